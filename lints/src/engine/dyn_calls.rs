//! Calls through `dyn Trait`: they run the implementations of the types the crate turns into
//! that trait object (its unsizing coercions, from the type-check results), so a chain goes
//! through each.

use super::Engine;
use rustc_data_structures::fx::FxHashMap;
use rustc_middle::ty::adjustment::{Adjust, PointerCoercion};
use rustc_middle::ty::{self, GenericArgsRef, Instance, InstanceKind, Ty, TypeVisitableExt};
use rustc_span::Span;
use rustc_span::def_id::DefId;
use std::rc::Rc;

/// A type the crate turns into a trait object, and where.
#[derive(Clone, Copy, Debug)]
pub(super) struct Coercion<'tcx> {
    pub ty: Ty<'tcx>,
    /// The trait object type it became (regions erased): `dyn Fn(u64) -> u64` is not `dyn Fn()`.
    pub object: Ty<'tcx>,
    pub span: Span,
}

/// The coercions of one crate, by the trait of the object.
pub(super) type Coercions<'tcx> = FxHashMap<DefId, Vec<Coercion<'tcx>>>;

impl<'tcx> Engine<'tcx> {
    /// For a call of a trait method on `dyn Trait` (`store.read(..)` on `&dyn Storage`): the
    /// implementations it may run, one per type this crate coerces to that trait object, each
    /// with its arguments and where the type became a `dyn`.
    pub(super) fn dyn_implementations(
        &self,
        callee: DefId,
        args: GenericArgsRef<'tcx>,
    ) -> Vec<(DefId, GenericArgsRef<'tcx>, Coercion<'tcx>)> {
        let tcx = self.tcx;
        let Some(trait_id) = tcx.trait_of_assoc(callee) else {
            return Vec::new();
        };
        let Some(mut self_ty) = args.types().next() else {
            return Vec::new();
        };
        // `(self.callback)(..)` on a `Box<dyn Fn(..)>` or `&dyn Fn(..)` calls the object inside.
        if tcx.fn_trait_kind_from_def_id(trait_id).is_some() {
            while let Some(inner) = match *self_ty.kind() {
                ty::Ref(_, inner, _) => Some(inner),
                ty::Adt(adt, adt_args) if adt.is_box() => adt_args.types().next(),
                _ => None,
            } {
                self_ty = inner;
            }
        }
        let ty::Dynamic(predicates, ..) = self_ty.kind() else {
            return Vec::new();
        };
        if predicates.principal_def_id() != Some(trait_id) || args.has_non_region_param() {
            return Vec::new();
        }
        let coercions = self.coercions();
        let Some(candidates) = coercions.get(&trait_id) else {
            return Vec::new();
        };
        let object = tcx.erase_and_anonymize_regions(self_ty);
        candidates
            .iter()
            .filter(|coercion| coercion.object == object)
            .filter_map(|&coercion| {
                let impl_args = tcx.mk_args_from_iter(std::iter::once(coercion.ty.into()).chain(args.iter().skip(1)));
                match Instance::try_resolve(tcx, ty::TypingEnv::fully_monomorphized(), callee, impl_args) {
                    Ok(Some(Instance {
                        def: InstanceKind::Item(function),
                        args,
                    })) => Some((function, args, coercion)),
                    _ => None,
                }
            })
            .collect()
    }

    /// Every unsizing coercion of a concrete type to a trait object in this crate's bodies,
    /// read once.
    fn coercions(&self) -> Rc<Coercions<'tcx>> {
        if let Some(known) = self.coercions.borrow().as_ref() {
            return known.clone();
        }
        let tcx = self.tcx;
        let mut coercions: Coercions<'tcx> = FxHashMap::default();
        let mut record = |source: Ty<'tcx>, target: Ty<'tcx>, span: Span| {
            let (Some(source), Some(target)) = (pointee(source), pointee(target)) else {
                return;
            };
            if let ty::Dynamic(predicates, ..) = target.kind()
                && let Some(trait_id) = predicates.principal_def_id()
                && !source.has_non_region_param()
                && !matches!(source.kind(), ty::Dynamic(..))
            {
                let ty = tcx.erase_and_anonymize_regions(source);
                let object = tcx.erase_and_anonymize_regions(target);
                let known = coercions.entry(trait_id).or_default();
                if !known.iter().any(|seen| seen.ty == ty && seen.object == object) {
                    known.push(Coercion { ty, object, span });
                }
            }
        };
        // From the type-check results, which an incremental build keeps, rather than from MIR,
        // which it would have to build again for every body.
        for owner in tcx.hir_body_owners() {
            let typeck = tcx.typeck(owner);
            if typeck.tainted_by_errors.is_some() {
                continue;
            }
            for (local_id, adjustments) in typeck.adjustments().items_in_stable_order() {
                let hir_id = rustc_hir::HirId {
                    owner: typeck.hir_owner,
                    local_id,
                };
                let mut source = typeck.node_type(hir_id);
                for adjustment in adjustments {
                    if matches!(adjustment.kind, Adjust::Pointer(PointerCoercion::Unsize)) {
                        record(source, adjustment.target, tcx.hir_span(hir_id));
                    }
                    source = adjustment.target;
                }
            }
            for &local_id in typeck.coercion_casts().to_sorted_stable_ord() {
                let hir_id = rustc_hir::HirId {
                    owner: typeck.hir_owner,
                    local_id,
                };
                if let rustc_hir::Node::Expr(rustc_hir::Expr {
                    kind: rustc_hir::ExprKind::Cast(inner, _),
                    ..
                }) = tcx.hir_node(hir_id)
                {
                    record(
                        typeck.expr_ty_adjusted(inner),
                        typeck.node_type(hir_id),
                        tcx.hir_span(hir_id),
                    );
                }
            }
        }
        let coercions = Rc::new(coercions);
        *self.coercions.borrow_mut() = Some(coercions.clone());
        coercions
    }
}

/// What a pointer type points to: a reference's or raw pointer's target, a `Box`/`Rc`/`Arc`'s
/// first type argument.
fn pointee(ty: Ty<'_>) -> Option<Ty<'_>> {
    match *ty.kind() {
        ty::Ref(_, inner, _) | ty::RawPtr(inner, _) => Some(inner),
        ty::Adt(_, args) => args.types().next(),
        _ => None,
    }
}
