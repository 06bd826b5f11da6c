//! Calls through `dyn Trait`: they run the implementations of the types the crate turns into
//! that trait object (its unsizing coercions, from the type-check results), so a chain goes
//! through each.

use super::{Effect, Engine, Witness, summary};
use rustc_data_structures::fx::{FxHashMap, FxHashSet};
use rustc_middle::ty::adjustment::{Adjust, PointerCoercion};
use rustc_middle::ty::{self, GenericArgsRef, Instance, InstanceKind, Ty, TypeVisitableExt};
use rustc_span::Span;
use rustc_span::def_id::{DefId, LocalDefId};
use std::rc::Rc;

/// A type the crate turns into a trait object, and where.
#[derive(Clone, Copy, Debug)]
pub(super) struct Coercion<'tcx> {
    pub ty: Ty<'tcx>,
    /// The trait object type it became (regions erased): `dyn Fn(u64) -> u64` is not `dyn Fn()`.
    pub object: Ty<'tcx>,
    pub span: Span,
    /// The body it is in.
    pub owner: LocalDefId,
}

/// The coercions of one crate, by the trait of the object.
pub(super) type Coercions<'tcx> = FxHashMap<DefId, Vec<Coercion<'tcx>>>;

impl<'tcx> Engine<'tcx> {
    /// A call of a trait method on `dyn Trait` (`store.read(..)` on `&dyn Storage`): the first
    /// implementation with a chain among those of the types this crate made that trait object,
    /// then among those its dependencies did (from their summaries).
    pub(super) fn follow_dyn(
        &self,
        callee: DefId,
        args: GenericArgsRef<'tcx>,
        (trait_id, object): (DefId, Ty<'tcx>),
        effect: Effect,
    ) -> Option<(DefId, Option<Rc<Witness>>)> {
        // A poll method is async context itself: an implementation that blocks is reported
        // there, not at each `dyn Future` polled.
        if self.poll_methods.contains(&callee) {
            return None;
        }
        let local = self
            .dyn_implementations(callee, args, (trait_id, object), effect)
            .into_iter()
            .find_map(|(function, args, coercion)| {
                let (function, witness) = self.follow(function, args, effect)?;
                let witness = witness?;
                Some((
                    function,
                    Some(Rc::new(Witness {
                        entry: witness.entry.clone(),
                        hops: witness.hops.clone(),
                        external: witness.external.clone(),
                        coerced: Some((coerced_description(coercion.ty, |ty| ty.to_string()), coercion.span)),
                    })),
                ))
            });
        local.or_else(|| {
            self.external_dyn_witness(callee, object, effect)
                .map(|(function, witness)| (function, Some(witness)))
        })
    }

    /// The implementations a `dyn` call may run, one per type this crate coerces to that trait
    /// object, each with its arguments and where the type became a `dyn`.
    fn dyn_implementations(
        &self,
        callee: DefId,
        args: GenericArgsRef<'tcx>,
        (trait_id, self_ty): (DefId, Ty<'tcx>),
        effect: Effect,
    ) -> Vec<(DefId, GenericArgsRef<'tcx>, Coercion<'tcx>)> {
        let tcx = self.tcx;
        let is_fn_trait = tcx.fn_trait_kind_from_def_id(trait_id).is_some();
        if !is_fn_trait && !self.some_implementation_may_reach(trait_id, callee, args, effect) {
            return Vec::new();
        }
        let coercions = self.coercions(if is_fn_trait { Scan::FunctionValues } else { Scan::All });
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

    /// For a call of a trait method on a trait object: the trait and the object type.
    pub(super) fn dyn_object(&self, callee: DefId, args: GenericArgsRef<'tcx>) -> Option<(DefId, Ty<'tcx>)> {
        let tcx = self.tcx;
        let trait_id = tcx.trait_of_assoc(callee)?;
        let mut self_ty = args.types().next()?;
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
            return None;
        };
        (predicates.principal_def_id() == Some(trait_id) && !args.has_non_region_param()).then_some((trait_id, self_ty))
    }

    /// For a call of a trait method on a trait object: the chain through a type a dependency
    /// made that trait object, from its summary ("`store::open` makes `DiskStore` the trait
    /// object at …"), with the function it runs.
    fn external_dyn_witness(&self, callee: DefId, object: Ty<'tcx>, effect: Effect) -> Option<(DefId, Rc<Witness>)> {
        let tcx = self.tcx;
        if !matches!(effect, Effect::Blocks | Effect::EntersRuntime) {
            return None;
        }
        let object = object_key(tcx, object);
        let (method_crate, method) = (summary::crate_of(tcx, callee), summary::key(tcx, callee));
        tcx.crates(()).iter().find_map(|&krate| {
            let summary = self.crate_summary(krate)?;
            summary
                .coercions
                .iter()
                .filter(|coercion| coercion.object == object)
                .find_map(|coercion| {
                    let implemented = coercion
                        .methods
                        .iter()
                        .find(|implemented| implemented.method_crate == method_crate && implemented.method == method)?;
                    // Summaries record what a trait object's methods block on or enter.
                    let chain = match effect {
                        Effect::Blocks => implemented.blocks.as_ref(),
                        Effect::EntersRuntime => implemented.enters_runtime.as_ref(),
                        _ => None,
                    }?;
                    let function = summary::keyed_function(tcx, krate, &implemented.implementation)?;
                    let mut witness = summary::witness_of_chain(chain);
                    let mut external = vec![coercion.site.clone()];
                    external.append(&mut witness.external);
                    witness.external = external;
                    Some((function, Rc::new(witness)))
                })
        })
    }

    /// For the summary: each type this crate makes a trait object whose implementation of one of
    /// the trait's methods may block or enter a runtime, with those chains. Reading the
    /// coercions costs a look at every body, so only when some trait implementation here may
    /// (closures made `dyn Fn*` are looked for in any case).
    pub(super) fn summarized_coercions(&self) -> Vec<async_lint_config::summary::DynCoercion> {
        use async_lint_config::summary::{DynCoercion, DynMethod};
        let tcx = self.tcx;
        let reaches = |function: DefId| {
            [Effect::Blocks, Effect::EntersRuntime]
                .into_iter()
                .any(|effect| self.reach_from_body(function, effect).is_some())
        };
        let worth: FxHashSet<DefId> = tcx
            .all_local_trait_impls(())
            .iter()
            .filter(|(trait_id, implementations)| {
                tcx.is_dyn_compatible(**trait_id)
                    && implementations.iter().any(|implementation| {
                        tcx.associated_item_def_ids(*implementation)
                            .iter()
                            .any(|&item| tcx.def_kind(item) == rustc_hir::def::DefKind::AssocFn && reaches(item))
                    })
            })
            .map(|(trait_id, _)| *trait_id)
            .collect();
        // Closures made into `dyn Fn*` values are looked for in any case, in the bodies that
        // make closures or name functions, as for a call.
        let coercions = self.coercions(if worth.is_empty() {
            Scan::FunctionValues
        } else {
            Scan::All
        });
        let mut summarized = Vec::new();
        for (trait_id, coerced) in coercions.iter() {
            if !worth.contains(trait_id) && tcx.fn_trait_kind_from_def_id(*trait_id).is_none() {
                continue;
            }
            for coercion in coerced {
                let ty::Dynamic(predicates, ..) = coercion.object.kind() else {
                    continue;
                };
                let Some(principal) = predicates.principal() else {
                    continue;
                };
                let trait_ref = tcx.instantiate_bound_regions_with_erased(principal.with_self_ty(tcx, coercion.ty));
                let methods: Vec<DynMethod> = tcx
                    .associated_items(*trait_id)
                    .in_definition_order()
                    .filter(|item| item.is_fn() && !tcx.generics_of(item.def_id).own_requires_monomorphization())
                    .filter_map(|item| {
                        let Ok(Some(Instance {
                            def: InstanceKind::Item(function),
                            args,
                        })) = Instance::try_resolve(
                            tcx,
                            ty::TypingEnv::fully_monomorphized(),
                            item.def_id,
                            trait_ref.args,
                        )
                        else {
                            return None;
                        };
                        let chain = |effect| {
                            let (_, witness) = self.follow(function, args, effect)?;
                            witness.map(|witness| self.chain(&witness))
                        };
                        let (blocks, enters_runtime) = (chain(Effect::Blocks), chain(Effect::EntersRuntime));
                        if blocks.is_none() && enters_runtime.is_none() {
                            return None;
                        }
                        Some(DynMethod {
                            method_crate: summary::crate_of(tcx, item.def_id),
                            method: summary::key(tcx, item.def_id),
                            implementation: summary::key(tcx, function),
                            blocks,
                            enters_runtime,
                        })
                    })
                    .collect();
                if methods.is_empty() {
                    continue;
                }
                // Other crates read it: the type's path with its crate.
                let what = coerced_description(coercion.ty, |ty| {
                    rustc_middle::ty::print::with_resolve_crate_name!(ty.to_string())
                });
                let mut site = self.chain_hop(coercion.owner.to_def_id(), what.clone(), coercion.span);
                site.coerced = Some(what);
                summarized.push(DynCoercion {
                    object: object_key(tcx, coercion.object),
                    site,
                    methods,
                });
            }
        }
        summarized
    }

    /// Whether calling `callee` on some implementation of `trait_id` may reach `effect`: an
    /// impl for a concrete type whose method does, or a generic impl (its types are only known
    /// from a coercion). Reading the crate's coercions costs a look at every body's type-check
    /// results; most `dyn` calls (`Error::source`, `Any::type_id`) need none.
    fn some_implementation_may_reach(
        &self,
        trait_id: DefId,
        callee: DefId,
        args: GenericArgsRef<'tcx>,
        effect: Effect,
    ) -> bool {
        let tcx = self.tcx;
        tcx.all_impls(trait_id).any(|implementation| {
            if tcx.generics_of(implementation).requires_monomorphization(tcx) {
                return true;
            }
            let self_ty =
                tcx.erase_and_anonymize_regions(tcx.type_of(implementation).instantiate_identity().skip_norm_wip());
            let impl_args = tcx.mk_args_from_iter(std::iter::once(self_ty.into()).chain(args.iter().skip(1)));
            if impl_args.has_non_region_param() {
                return true;
            }
            match Instance::try_resolve(tcx, ty::TypingEnv::fully_monomorphized(), callee, impl_args) {
                Ok(Some(Instance {
                    def: InstanceKind::Item(function),
                    args,
                })) => self.reach(function, args, effect).is_some(),
                _ => false,
            }
        })
    }

    /// The unsizing coercions of concrete types to trait objects in this crate's bodies, read
    /// once per [`Scan`].
    fn coercions(&self, scan: Scan) -> Rc<Coercions<'tcx>> {
        if let Some(known) = self.coercions.borrow()[scan as usize].as_ref() {
            return known.clone();
        }
        let tcx = self.tcx;
        let mut coercions: Coercions<'tcx> = FxHashMap::default();
        let mut record = |source: Ty<'tcx>, target: Ty<'tcx>, span: Span, owner: LocalDefId| {
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
                    known.push(Coercion {
                        ty,
                        object,
                        span,
                        owner,
                    });
                }
            }
        };
        // From the type-check results, which an incremental build keeps, rather than from MIR,
        // which it would have to build again for every body.
        for owner in tcx.hir_body_owners() {
            // A closure's results are its parent's.
            if tcx.typeck_root_def_id(owner.to_def_id()) != owner.to_def_id()
                || (scan == Scan::FunctionValues && !makes_function_values(tcx, owner))
            {
                continue;
            }
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
                        record(source, adjustment.target, tcx.hir_span(hir_id), owner);
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
                        owner,
                    );
                }
            }
        }
        let coercions = Rc::new(coercions);
        self.coercions.borrow_mut()[scan as usize] = Some(coercions.clone());
        coercions
    }
}

/// What became a trait object, as chains name it: "a closure", or the type as `print` writes it.
fn coerced_description<'tcx>(ty: Ty<'tcx>, print: impl FnOnce(Ty<'tcx>) -> String) -> String {
    if matches!(ty.kind(), ty::Closure(..)) {
        "a closure".to_owned()
    } else {
        format!("`{}`", print(ty))
    }
}

/// A trait object type as both the crate that makes it and the crate that calls it print it:
/// every path with its crate, regions erased.
fn object_key<'tcx>(tcx: rustc_middle::ty::TyCtxt<'tcx>, object: Ty<'tcx>) -> String {
    let object = tcx.erase_and_anonymize_regions(object);
    rustc_middle::ty::print::with_no_trimmed_paths!(rustc_middle::ty::print::with_resolve_crate_name!(
        object.to_string()
    ))
}

/// Which bodies [`Engine::coercions`] reads.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Scan {
    /// Those that make a closure or name a function as a value: what a `dyn Fn` can hold.
    FunctionValues,
    All,
}

/// Whether the body of `owner` writes a closure or names a function without calling it, the
/// values a `dyn Fn*` coercion starts from. (A closure returned by another function and
/// coerced here is missed; the Known problems of `blocking_in_async` say so.)
fn makes_function_values(tcx: rustc_middle::ty::TyCtxt<'_>, owner: rustc_span::def_id::LocalDefId) -> bool {
    use rustc_hir::def::{DefKind, Res};
    use rustc_hir::intravisit::{self, Visitor};
    use rustc_hir::{ClosureKind, Expr, ExprKind, QPath};
    use rustc_middle::hir::nested_filter;
    struct Finder<'tcx> {
        tcx: rustc_middle::ty::TyCtxt<'tcx>,
        found: bool,
    }
    impl<'tcx> Visitor<'tcx> for Finder<'tcx> {
        // Into the bodies of closures and async blocks, whose coercions are the parent's.
        type NestedFilter = nested_filter::OnlyBodies;
        fn maybe_tcx(&mut self) -> rustc_middle::ty::TyCtxt<'tcx> {
            self.tcx
        }
        fn visit_expr(&mut self, expr: &'tcx Expr<'tcx>) {
            if self.found {
                return;
            }
            match expr.kind {
                ExprKind::Closure(closure)
                    if matches!(closure.kind, ClosureKind::Closure | ClosureKind::CoroutineClosure(_)) =>
                {
                    self.found = true;
                }
                // The callee of a call is called, not made a value.
                ExprKind::Call(callee, arguments) => {
                    if !matches!(callee.kind, ExprKind::Path(_)) {
                        self.visit_expr(callee);
                    }
                    for argument in arguments {
                        self.visit_expr(argument);
                    }
                }
                ExprKind::Path(QPath::Resolved(_, path))
                    if matches!(path.res, Res::Def(DefKind::Fn | DefKind::AssocFn, _)) =>
                {
                    self.found = true;
                }
                ExprKind::Path(QPath::TypeRelative(..)) => self.found = true,
                _ => intravisit::walk_expr(self, expr),
            }
        }
    }
    let Some(body) = tcx.hir_maybe_body_owned_by(owner) else {
        return false;
    };
    let mut finder = Finder { tcx, found: false };
    finder.visit_expr(body.value);
    finder.found
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
