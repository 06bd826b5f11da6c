//! What a value owns: the values dropped with it and kept with it in a future.

use super::Engine;
use rustc_data_structures::fx::FxHashSet;
use rustc_hir::{CoroutineKind, CoroutineSource};
use rustc_middle::ty::{self, Ty, TyCtxt};
use rustc_span::def_id::DefId;
use rustc_span::sym;
use std::rc::Rc;

/// How deep the walk looks into nested types.
const MAX_DEPTH: usize = 6;

impl<'tcx> Engine<'tcx> {
    /// Visits `ty` and the values a value of that type owns, outermost first, until `visit`
    /// returns something: elements of tuples and arrays, fields of structs and enums, type
    /// arguments (`Option<..>`, `Box<..>`, `Vec<..>`), and what a closure or an `async` block
    /// captured. References are not looked through (what one points to is owned elsewhere),
    /// nor `PhantomData`; an `async fn`'s future is its own body's business.
    pub(super) fn find_owned<R>(&self, ty: Ty<'tcx>, visit: &mut impl FnMut(Ty<'tcx>) -> Option<R>) -> Option<R> {
        self.find_owned_within(ty, 0, &mut FxHashSet::default(), visit)
    }

    fn find_owned_within<R>(
        &self,
        ty: Ty<'tcx>,
        depth: usize,
        seen: &mut FxHashSet<Ty<'tcx>>,
        visit: &mut impl FnMut(Ty<'tcx>) -> Option<R>,
    ) -> Option<R> {
        if depth > MAX_DEPTH || !seen.insert(ty) {
            return None;
        }
        if let Some(found) = visit(ty) {
            return Some(found);
        }
        let tcx = self.tcx;
        let mut inner = |ty: Ty<'tcx>| self.find_owned_within(ty, depth + 1, seen, visit);
        match *ty.kind() {
            ty::Adt(adt, _) if adt.is_phantom_data() => None,
            ty::Adt(adt, args) => {
                if let Some(found) = args.types().find_map(&mut inner) {
                    return Some(found);
                }
                // The standard library's containers keep their elements behind raw pointers
                // and `PhantomData`: their type arguments above say what they hold.
                if is_standard_library(tcx, adt.did()) {
                    return None;
                }
                adt.all_fields()
                    .find_map(|field| inner(field.ty(tcx, args).skip_norm_wip()))
            }
            ty::Tuple(elements) => elements.iter().find_map(inner),
            ty::Array(element, _) | ty::Slice(element) => inner(element),
            ty::Closure(_, args) => args.as_closure().upvar_tys().iter().find_map(inner),
            ty::Coroutine(def_id, args)
                if matches!(
                    tcx.coroutine_kind(def_id),
                    Some(CoroutineKind::Desugared(_, CoroutineSource::Block))
                ) =>
            {
                args.as_coroutine().upvar_tys().iter().find_map(inner)
            }
            _ => None,
        }
    }

    /// The types with a destructor that dropping a value of type `ty` runs: `ty` itself and what
    /// it owns, outermost first, type parameters among them. Cached.
    pub fn drop_components(&self, ty: Ty<'tcx>) -> Rc<[Ty<'tcx>]> {
        if let Some(known) = self.drop_components.borrow().get(&ty) {
            return known.clone();
        }
        let tcx = self.tcx;
        let mut components = Vec::new();
        self.find_owned(ty, &mut |component| {
            // A value of a type parameter: its destructor is known once the type is (a generic
            // function walked with its caller's types).
            let has_destructor = match component.kind() {
                ty::Adt(adt, _) => adt.destructor(tcx).is_some(),
                ty::Param(_) => true,
                _ => false,
            };
            if has_destructor {
                components.push(component);
            }
            None::<()>
        });
        let components: Rc<[Ty<'tcx>]> = components.into();
        self.drop_components.borrow_mut().insert(ty, components.clone());
        components
    }

    /// `core::ptr::drop_in_place`: how a drop is written as a call (`drop_in_place::<T>`).
    #[must_use]
    pub fn drop_in_place(&self) -> Option<DefId> {
        self.tcx
            .get_diagnostic_item(rustc_span::Symbol::intern("ptr_drop_in_place"))
    }
}

/// Whether `def_id` is defined by the standard library (`std`, `core`, `alloc`).
#[must_use]
pub fn is_standard_library(tcx: TyCtxt<'_>, def_id: DefId) -> bool {
    matches!(tcx.crate_name(def_id.krate), sym::std | sym::core | sym::alloc)
}
