//! The calls a body makes, read from its MIR: every call the compiled code makes, including the
//! ones the source does not spell as calls (an overloaded `Deref` reached by auto-deref, `a + b`
//! through `Add::add`, `v[i]` through `Index::index`), and only the function values that are
//! called: a fn item named, coerced to a `fn` pointer and never called is no call.
//!
//! The MIR read is the one borrow checking left (`mir_promoted`), so nothing is built for us
//! that the check did not build; when a later pass took it, the body that pass made.

use super::Engine;
use super::calls::{CallSite, Via};
use rustc_data_structures::fx::{FxHashMap, FxHashSet};
use rustc_hir::HirId;
use rustc_hir::def::DefKind;
use rustc_hir::intravisit::{self, Visitor};
use rustc_middle::mir::{self, AggregateKind, CastKind, ClearCrossCrate, Rvalue, StatementKind, TerminatorKind};
use rustc_middle::ty::adjustment::{Adjust, DerefAdjustKind, PointerCoercion};
use rustc_middle::ty::{self, GenericArgsRef, Ty, TyCtxt, TypeVisitableExt};
use rustc_span::def_id::{DefId, LocalDefId};
use rustc_span::{DesugaringKind, Span};

/// A value a body drops: a local of `ty` that goes out of scope (or is overwritten) without
/// having been moved anywhere in the body.
#[derive(Clone, Copy, Debug)]
pub struct DropSite<'tcx> {
    pub ty: Ty<'tcx>,
    /// Where it is dropped: the end of its scope.
    pub span: Span,
    /// Where the local is declared.
    pub created: Span,
    pub name: Option<rustc_span::Symbol>,
    pub hir_id: HirId,
}

/// A call as the MIR has it, before it is matched with the source.
struct RawCall<'tcx> {
    callee: DefId,
    args: GenericArgsRef<'tcx>,
    span: Span,
    lint_root: Option<HirId>,
    /// Function values among the arguments (closures, fn items, the closures behind a `&dyn Fn`
    /// made in this body): the parameter index and the function.
    function_arguments: Vec<(usize, DefId, GenericArgsRef<'tcx>)>,
    /// Whether this is the creation of an async block or closure rather than a call.
    creates: bool,
    /// For a call of a `fn` pointer read from a struct field: the struct and the field, whose
    /// stored functions it calls (`callee` is then the struct).
    field: Option<(DefId, rustc_span::Symbol)>,
}

impl<'tcx> Engine<'tcx> {
    /// The calls the body of `owner` makes, from its MIR: direct calls (trait methods with the
    /// body's own generic arguments), calls of function values whose function the body knows,
    /// and the closures and fn items it hands to functions that are not followed (a dependency's
    /// `Option::map`), which call them there. With `into_async`, the async blocks and async
    /// closures it creates too. Calls written by the compiler for `.await` and `?` are left out.
    pub(super) fn mir_call_sites(&self, owner: LocalDefId, into_async: bool) -> Vec<CallSite<'tcx>> {
        let tcx = self.tcx;
        let Some((calls, drops)) = with_mir(tcx, owner, |body| {
            (raw_calls(tcx, body, into_async), raw_drops(tcx, owner, body))
        }) else {
            return Vec::new();
        };
        let mut sites = Vec::with_capacity(calls.len());
        let hir_ids = if calls.is_empty() && drops.is_empty() {
            FxHashMap::default()
        } else {
            hir_ids_by_span(tcx, owner)
        };
        for call in calls {
            let hir_id = hir_ids
                .get(&call.span)
                .copied()
                .or(call.lint_root)
                .unwrap_or_else(|| tcx.local_def_id_to_hir_id(owner));
            if self.only_without_a_runtime(hir_id) {
                continue;
            }
            if let Some((adt, field)) = call.field {
                for function in self.functions_stored_in(adt, field) {
                    sites.push(CallSite {
                        callee: function,
                        args: ty::List::empty(),
                        span: call.span,
                        hir_id,
                        via: Via::Call,
                    });
                }
                continue;
            }
            for &(index, function, args) in &call.function_arguments {
                if !self.runs_function_argument(call.callee, index) {
                    continue;
                }
                sites.push(CallSite {
                    callee: function,
                    args,
                    span: call.span,
                    hir_id,
                    via: Via::Argument,
                });
            }
            sites.push(CallSite {
                callee: call.callee,
                args: call.args,
                span: call.span,
                hir_id,
                via: if call.creates { Via::Creation } else { Via::Call },
            });
        }
        // A drop runs the destructors of the value and of what it owns: each is a call of
        // `drop_in_place` for that type. After the calls, so a chain shows a call when it can.
        if let Some(drop_in_place) = self.drop_in_place() {
            for dropped in self.placed_drops(drops, &hir_ids) {
                for &component in self.drop_components(dropped.ty).iter() {
                    sites.push(CallSite {
                        callee: drop_in_place,
                        args: tcx.mk_args(&[component.into()]),
                        span: dropped.span,
                        hir_id: dropped.hir_id,
                        via: Via::Drop,
                    });
                }
            }
        }
        sites
    }

    /// The calls of the body of `owner` that the source does not spell as calls: an overloaded
    /// `Deref` reached by auto-deref, an operator, an index. Each is matched with the expression
    /// it is made for.
    #[must_use]
    pub fn implicit_calls(&self, owner: LocalDefId) -> Vec<CallSite<'tcx>> {
        let tcx = self.tcx;
        let typeck = tcx.typeck(owner);
        if typeck.tainted_by_errors.is_some() || !self.may_call_implicitly(owner) {
            return Vec::new();
        }
        let mut seen = FxHashSet::default();
        self.call_sites(owner)
            .iter()
            .filter(|site| {
                // Calls of function values (closures are async context of their own), and the
                // `Iterator::next` of a `for` loop, which the source spells as the loop.
                if site.via != Via::Call
                    || is_fn_trait_method(tcx, site.callee)
                    || site.span.is_desugaring(DesugaringKind::ForLoop)
                {
                    return false;
                }
                let rustc_hir::Node::Expr(expr) = tcx.hir_node(site.hir_id) else {
                    return false;
                };
                // What the source calls at that expression is reported there already.
                !self
                    .call_of(typeck, expr)
                    .is_some_and(|(callee, _)| callee == site.callee)
                    && seen.insert((site.span, site.callee))
            })
            .copied()
            .collect()
    }

    /// Whether the type-check results of `owner` show an implicit call of a function outside the
    /// standard library: an overloaded `Deref` of a type defined elsewhere, or an overloaded
    /// operator or index. A body without one needs no MIR for [`Engine::implicit_calls`].
    fn may_call_implicitly(&self, owner: LocalDefId) -> bool {
        let tcx = self.tcx;
        let typeck = tcx.typeck(owner);
        let outside_std = |ty: Ty<'tcx>| match ty.peel_refs().kind() {
            ty::Adt(adt, _) => !super::is_standard_library(tcx, adt.did()),
            _ => false,
        };
        let derefs = typeck
            .adjustments()
            .items_in_stable_order()
            .into_iter()
            .any(|(local_id, adjustments)| {
                let mut source = typeck.node_type(HirId {
                    owner: typeck.hir_owner,
                    local_id,
                });
                adjustments.iter().any(|adjustment| {
                    let overloaded =
                        matches!(adjustment.kind, Adjust::Deref(DerefAdjustKind::Overloaded(_))) && outside_std(source);
                    source = adjustment.target;
                    overloaded
                })
            });
        derefs
            || typeck
                .type_dependent_defs()
                .items_in_stable_order()
                .into_iter()
                .any(|(local_id, _)| {
                    let hir_id = HirId {
                        owner: typeck.hir_owner,
                        local_id,
                    };
                    match tcx.hir_node(hir_id) {
                        rustc_hir::Node::Expr(rustc_hir::Expr {
                            kind:
                                rustc_hir::ExprKind::Binary(_, operand, _)
                                | rustc_hir::ExprKind::AssignOp(_, operand, _)
                                | rustc_hir::ExprKind::Index(operand, ..)
                                | rustc_hir::ExprKind::Unary(_, operand),
                            ..
                        }) => outside_std(typeck.expr_ty_adjusted(operand)),
                        _ => false,
                    }
                })
    }

    /// Whether a value the body of `owner` has can reach something when dropped: one of the
    /// types of its expressions owns a type whose destructor blocks or drops a runtime. A body
    /// without one needs no MIR for [`Engine::drops_in`].
    fn may_drop_something(&self, owner: LocalDefId) -> bool {
        let typeck = self.tcx.typeck(owner);
        let mut seen = FxHashSet::default();
        typeck.node_types().items_in_stable_order().into_iter().any(|(_, &ty)| {
            seen.insert(ty)
                && !ty.has_non_region_param()
                && (self.drop_reach(ty, super::Effect::Blocks).is_some()
                    || self.drop_reach(ty, super::Effect::EntersRuntime).is_some())
        })
    }

    /// The values the body of `owner` drops (see [`DropSite`]).
    #[must_use]
    pub fn drops_in(&self, owner: LocalDefId) -> Vec<DropSite<'tcx>> {
        let tcx = self.tcx;
        if tcx.typeck(owner).tainted_by_errors.is_some() || !self.may_drop_something(owner) {
            return Vec::new();
        }
        let Some(drops) = with_mir(tcx, owner, |body| raw_drops(tcx, owner, body)) else {
            return Vec::new();
        };
        if drops.is_empty() {
            return drops;
        }
        self.placed_drops(drops, &hir_ids_by_span(tcx, owner))
    }

    /// Drops matched with the source: each takes the `HirId` of the variable or temporary it
    /// drops (so `#[allow]` on its `let` applies), and those in code that runs only without a
    /// runtime (`Err(_)` of `Handle::try_current()`) are left out.
    fn placed_drops(&self, drops: Vec<DropSite<'tcx>>, hir_ids: &FxHashMap<Span, HirId>) -> Vec<DropSite<'tcx>> {
        drops
            .into_iter()
            .filter_map(|mut dropped| {
                if let Some(&hir_id) = hir_ids.get(&dropped.created) {
                    dropped.hir_id = hir_id;
                }
                (!self.only_without_a_runtime(dropped.hir_id)).then_some(dropped)
            })
            .collect()
    }

    /// The first type with a destructor that dropping a value of `ty` runs, whose drop reaches
    /// an API with `effect`, and how.
    pub fn drop_reach(&self, ty: Ty<'tcx>, effect: super::Effect) -> Option<(Ty<'tcx>, super::Reach<'_>)> {
        let drop_in_place = self.drop_in_place()?;
        self.drop_components(ty).iter().find_map(|&component| {
            self.reach(drop_in_place, self.tcx.mk_args(&[component.into()]), effect)
                .map(|reach| (component, reach))
        })
    }

    /// Whether the calls in the body of `owner` use `function`: call it, call it through a
    /// `fn` pointer or `Fn*` method, or hand it to a function. A fn item only named (`let f:
    /// fn() = helper;`, `(helper, other)`) or a closure only created is not used. Cached.
    pub fn calls_use_function(&self, owner: LocalDefId, function: DefId) -> bool {
        let tcx = self.tcx;
        if let Some(known) = self.used_functions.borrow().get(&owner) {
            return known.contains(&function);
        }
        let mut used = FxHashSet::default();
        if tcx.typeck(owner).tainted_by_errors.is_none()
            && let Some(calls) = with_mir(tcx, owner, |body| raw_calls(tcx, body, false))
        {
            for call in calls {
                used.insert(call.callee);
                used.extend(call.function_arguments.iter().map(|&(_, function, _)| function));
                if let Some((called, _)) = called_function_value(tcx, call.callee, call.args) {
                    used.insert(called);
                }
            }
        }
        let used = std::rc::Rc::new(used);
        self.used_functions.borrow_mut().insert(owner, used.clone());
        used.contains(&function)
    }

    /// Whether a function value passed as parameter `index` of `callee` is taken as called at
    /// the call: `callee` is not followed into (a dependency's function), or its parameter is a
    /// `dyn Fn` or `fn` pointer the walk cannot resolve; and it does not hand the value to
    /// another thread. A generic function of this crate is walked with the value's type, which
    /// shows whether it calls it.
    fn runs_function_argument(&self, callee: DefId, index: usize) -> bool {
        let tcx = self.tcx;
        if self.offloads_parameter(callee, index) {
            return false;
        }
        if !matches!(tcx.def_kind(callee), DefKind::Fn | DefKind::AssocFn) {
            // A constructor (`Some(helper)`) keeps the value; anything else may call it.
            return !matches!(tcx.def_kind(callee), DefKind::Ctor(..));
        }
        let sig = tcx.fn_sig(callee).instantiate_identity().skip_norm_wip();
        let Some(&param) = sig.skip_binder().inputs().get(index) else {
            return true;
        };
        if !matches!(param.kind(), ty::Param(_)) {
            return true;
        }
        // A generic function of this crate is walked with the value's type. Another crate's
        // summary says which of its parameters it runs; without one, a value of a type
        // parameter can only be called through a bound: `Box::new(closure)`, `Arc::new(..)`,
        // `vec.push(..)` keep it.
        if callee.is_local() {
            return false;
        }
        self.summary_runs_parameter(callee, index)
            .unwrap_or_else(|| self.parameter_has_callable_bound(callee, param))
    }

    /// The parameters of the generic function `owner` whose values it runs where it is called:
    /// a parameter of a type parameter's type (`attempt: F`, `F: FnMut()`) that it calls, in its
    /// body, in the closures and async blocks there, in the generic functions of this crate it
    /// hands the value to, or by handing the value to another crate's function that runs it.
    /// Summaries record them, so another crate's call knows which of the closures it gives run
    /// rather than guessing from the bounds.
    pub(super) fn parameters_run(&self, owner: LocalDefId) -> Vec<u32> {
        let tcx = self.tcx;
        if tcx.generics_of(owner).count() == 0 || tcx.typeck(owner).tainted_by_errors.is_some() {
            return Vec::new();
        }
        let sig = tcx.fn_sig(owner).instantiate_identity().skip_norm_wip();
        sig.skip_binder()
            .inputs()
            .iter()
            .enumerate()
            .filter(|&(index, &input)| {
                matches!(input.kind(), ty::Param(_))
                    && self.has_fn_bound(owner.to_def_id(), input)
                    && !self.offloads_parameter(owner.to_def_id(), index)
                    && self.runs_value_of_type(owner, input)
            })
            .filter_map(|(index, _)| u32::try_from(index).ok())
            .collect()
    }

    /// Whether the type parameter `param` of `function` is bound by `Fn`, `FnMut` or `FnOnce`:
    /// only then can the function (or anything it hands the value to) call it.
    fn has_fn_bound(&self, function: DefId, param: Ty<'tcx>) -> bool {
        self.traits_bounding(function, param)
            .any(|trait_id| self.tcx.fn_trait_kind_from_def_id(trait_id).is_some())
    }

    /// The traits that the bounds of `function` require of its type parameter `param`.
    fn traits_bounding(&self, function: DefId, param: Ty<'tcx>) -> impl Iterator<Item = DefId> {
        self.tcx
            .clauses_of(function)
            .instantiate_identity(self.tcx)
            .clauses
            .into_iter()
            .filter_map(move |clause| {
                let bound = clause.skip_norm_wip().as_trait_clause()?;
                (bound.self_ty().skip_binder() == param).then(|| bound.def_id())
            })
    }

    /// Whether the body of `owner` (or what it runs of this crate) calls a value of the type
    /// parameter `param`, or hands one to another crate's function that runs it.
    fn runs_value_of_type(&self, owner: LocalDefId, param: Ty<'tcx>) -> bool {
        /// How many functions of this crate deep a value is followed.
        const MAX_DEPTH: usize = 8;
        let tcx = self.tcx;
        let mut seen = FxHashSet::default();
        let mut pending = vec![(owner, ty::GenericArgs::identity_for_item(tcx, owner), 0)];
        while let Some((body, body_args, depth)) = pending.pop() {
            if !seen.insert(body) {
                continue;
            }
            for site in self.call_sites_with_async(body).iter() {
                if site.via == Via::Drop {
                    continue;
                }
                let args = ty::EarlyBinder::bind(tcx, site.args)
                    .instantiate(tcx, body_args)
                    .skip_norm_wip();
                if !args
                    .iter()
                    .any(|arg| arg.as_type().is_some_and(|ty| ty.peel_refs() == param))
                {
                    continue;
                }
                if is_fn_trait_method(tcx, site.callee) {
                    if args.type_at(0).peel_refs() == param {
                        return true;
                    }
                } else if let Some(local) = site.callee.as_local() {
                    // A trait's method runs the implementation the caller's types choose.
                    if depth < MAX_DEPTH
                        && tcx.trait_of_assoc(site.callee).is_none()
                        && tcx.hir_maybe_body_owned_by(local).is_some()
                    {
                        pending.push((local, args, depth + 1));
                    }
                } else if self.hands_value_to_runner(site.callee, args, param) {
                    return true;
                }
            }
        }
        false
    }

    /// Whether `callee`, another crate's function called with `args`, takes a value of type
    /// `param` as one of its parameters and runs it.
    fn hands_value_to_runner(&self, callee: DefId, args: GenericArgsRef<'tcx>, param: Ty<'tcx>) -> bool {
        let tcx = self.tcx;
        if !matches!(tcx.def_kind(callee), DefKind::Fn | DefKind::AssocFn) {
            return false;
        }
        let sig = tcx.fn_sig(callee).instantiate_identity().skip_norm_wip();
        sig.skip_binder().inputs().iter().enumerate().any(|(index, input)| {
            if let ty::Param(input_param) = input.kind()
                && let Some(given) = args.get(input_param.index as usize).and_then(|arg| arg.as_type())
            {
                given.peel_refs() == param && self.runs_function_argument(callee, index)
            } else {
                false
            }
        })
    }

    /// Whether the summary of `function`'s crate says it runs its parameter `index` (see
    /// [`Engine::parameters_run`]); `None` when that crate has no summary, or for a trait's
    /// method, which the implementation called decides.
    fn summary_runs_parameter(&self, function: DefId, index: usize) -> Option<bool> {
        if self.tcx.trait_of_assoc(function).is_some() {
            return None;
        }
        let summary = self.crate_summary(function.krate)?;
        let summarized = summary.functions.get(&super::summary::key(self.tcx, function));
        Some(
            u32::try_from(index)
                .is_ok_and(|index| summarized.is_some_and(|function| function.runs_parameters.contains(&index))),
        )
    }

    /// Whether a bound on the type parameter `param` of `callee` lets it call or use the value
    /// (`F: Fn()`, `H: Handler`), rather than only move, copy or compare it.
    fn parameter_has_callable_bound(&self, callee: DefId, param: ty::Ty<'tcx>) -> bool {
        let tcx = self.tcx;
        let items = tcx.lang_items();
        let inert = [items.sized_trait(), items.copy_trait(), items.clone_trait()];
        self.traits_bounding(callee, param)
            .any(|trait_id| !tcx.trait_is_auto(trait_id) && !inert.contains(&Some(trait_id)))
    }
}

/// Runs `f` on the MIR of `owner` that exists after the check: `mir_promoted`, unless a later
/// pass took it.
pub(super) fn with_mir<'tcx, R>(
    tcx: TyCtxt<'tcx>,
    owner: LocalDefId,
    f: impl FnOnce(&mir::Body<'tcx>) -> R,
) -> Option<R> {
    if !has_mir(tcx, owner) {
        return None;
    }
    if cached_optimized_mir(tcx, owner) {
        return Some(f(tcx.optimized_mir(owner)));
    }
    let (promoted, _) = tcx.mir_promoted(owner);
    if !promoted.is_stolen() {
        return Some(f(&promoted.borrow()));
    }
    let elaborated = tcx.mir_drops_elaborated_and_const_checked(owner);
    if !elaborated.is_stolen() {
        return Some(f(&elaborated.borrow()));
    }
    if tcx.hir_body_const_context(owner).is_some() {
        return None;
    }
    Some(f(tcx.optimized_mir(owner)))
}

/// Whether to read `owner`'s optimized MIR: in an incremental build, an unchanged function's is
/// loaded from the cache, while the MIR borrow checking uses is built again from the source
/// every time. Not for coroutines (their optimized MIR is the state machine, without the
/// `.await`s), nor where the optimizations inline other functions into this one.
fn cached_optimized_mir(tcx: TyCtxt<'_>, owner: LocalDefId) -> bool {
    let opts = &tcx.sess.opts;
    opts.incremental.is_some()
        && tcx.sess.mir_opt_level() <= 2
        && opts.unstable_opts.inline_mir != Some(true)
        && !tcx.is_coroutine(owner.to_def_id())
}

/// Whether `owner` is a function or closure with a body (consts are evaluated, not run).
fn has_mir(tcx: TyCtxt<'_>, owner: LocalDefId) -> bool {
    matches!(tcx.def_kind(owner), DefKind::Fn | DefKind::AssocFn | DefKind::Closure)
        && tcx.hir_maybe_body_owned_by(owner).is_some()
}

/// The drops of `body`'s whole locals (see [`DropSite`]). Like [`raw_calls`], read while the
/// body is borrowed: nothing here may ask for MIR.
fn raw_drops<'tcx>(tcx: TyCtxt<'tcx>, owner: LocalDefId, body: &mir::Body<'tcx>) -> Vec<DropSite<'tcx>> {
    let moved = moved_locals(body);
    let names: FxHashMap<mir::Local, rustc_span::Symbol> = body
        .var_debug_info
        .iter()
        .filter_map(|info| match info.value {
            mir::VarDebugInfoContents::Place(place) if place.projection.is_empty() => Some((place.local, info.name)),
            _ => None,
        })
        .collect();
    let mut drops = Vec::new();
    for data in body.basic_blocks.iter() {
        // Drops on unwinding run while a panic is on its way: no finding of ours.
        if data.is_cleanup {
            continue;
        }
        let Some(terminator) = &data.terminator else {
            continue;
        };
        let TerminatorKind::Drop { place, .. } = &terminator.kind else {
            continue;
        };
        // A value moved somewhere is dropped there, if at all.
        if !place.projection.is_empty() || moved.contains(&place.local) || place.local == mir::RETURN_PLACE {
            continue;
        }
        let decl = &body.local_decls[place.local];
        drops.push(DropSite {
            ty: decl.ty,
            span: terminator.source_info.span,
            created: decl.source_info.span,
            name: names.get(&place.local).copied(),
            hir_id: lint_root(body, terminator.source_info.scope).unwrap_or_else(|| tcx.local_def_id_to_hir_id(owner)),
        });
    }
    drops
}

/// The `HirId` whose lint levels the MIR scope `scope` has.
fn lint_root(body: &mir::Body<'_>, scope: mir::SourceScope) -> Option<HirId> {
    match &body.source_scopes[scope].local_data {
        ClearCrossCrate::Set(data) => Some(data.lint_root),
        ClearCrossCrate::Clear => None,
    }
}

/// The locals `body` moves out of, wholly or in part, anywhere.
fn moved_locals(body: &mir::Body<'_>) -> FxHashSet<mir::Local> {
    struct Moves(FxHashSet<mir::Local>);
    impl<'tcx> mir::visit::Visitor<'tcx> for Moves {
        fn visit_operand(&mut self, operand: &mir::Operand<'tcx>, location: mir::Location) {
            if let mir::Operand::Move(place) = operand {
                self.0.insert(place.local);
            }
            self.super_operand(operand, location);
        }
    }
    let mut moves = Moves(FxHashSet::default());
    mir::visit::Visitor::visit_body(&mut moves, body);
    moves.0
}

/// The calls of `body`, read while it is borrowed (nothing here may ask for MIR).
fn raw_calls<'tcx>(tcx: TyCtxt<'tcx>, body: &mir::Body<'tcx>, into_async: bool) -> Vec<RawCall<'tcx>> {
    // Locals that hold a known function behind a `fn` pointer or a `dyn Fn`: the body made them
    // from a fn item or a closure (`let f: fn() = helper;`, `&job as &dyn Fn()`).
    let mut functions_in: FxHashMap<mir::Local, (DefId, GenericArgsRef<'tcx>)> = FxHashMap::default();
    let mut fields_in: FxHashMap<mir::Local, (DefId, rustc_span::Symbol)> = FxHashMap::default();
    let mut calls = Vec::new();
    for data in body.basic_blocks.iter() {
        for statement in &data.statements {
            let StatementKind::Assign(assign) = &statement.kind else {
                continue;
            };
            let (place, rvalue) = &**assign;
            match rvalue {
                Rvalue::Cast(
                    CastKind::PointerCoercion(PointerCoercion::ReifyFnPointer(_) | PointerCoercion::Unsize, _),
                    operand,
                    _,
                ) if place.projection.is_empty() => {
                    let known = function_of(operand.ty(body, tcx))
                        .or_else(|| operand.place().and_then(|from| functions_in.get(&from.local).copied()));
                    if let Some(function) = known {
                        functions_in.insert(place.local, function);
                    }
                }
                // A copy or move of such a local holds the same function; one of a struct's
                // `fn` pointer field holds what the crate stores there.
                Rvalue::Use(operand, ..) if place.projection.is_empty() => {
                    if let Some(&function) = operand.place().and_then(|from| functions_in.get(&from.local)) {
                        functions_in.insert(place.local, function);
                    } else if let Some(field) = operand.place().and_then(|from| struct_field(tcx, body, from)) {
                        fields_in.insert(place.local, field);
                    }
                }
                Rvalue::Aggregate(kind, _) if into_async => {
                    if let AggregateKind::Coroutine(def_id, args) | AggregateKind::CoroutineClosure(def_id, args) =
                        **kind
                    {
                        calls.push(RawCall {
                            callee: def_id,
                            args,
                            span: statement.source_info.span,
                            lint_root: lint_root(body, statement.source_info.scope),
                            function_arguments: Vec::new(),
                            creates: true,
                            field: None,
                        });
                    }
                }
                _ => {}
            }
        }
        let Some(terminator) = &data.terminator else {
            continue;
        };
        let TerminatorKind::Call { func, args, .. } = &terminator.kind else {
            continue;
        };
        let span = terminator.source_info.span;
        // The compiler's own calls for `.await` and `?` are not the user's; the
        // `Iterator::next` of a `for` loop is (iterating a `ReadDir` or a channel blocks).
        if span
            .desugaring_kind()
            .is_some_and(|kind| kind != DesugaringKind::ForLoop)
        {
            continue;
        }
        let Some(((callee, callee_args), field)) = called_function(tcx, body, func, &functions_in, &fields_in) else {
            continue;
        };
        let function_arguments = args
            .iter()
            .enumerate()
            .filter_map(|(index, arg)| {
                let known = function_of(arg.node.ty(body, tcx)).or_else(|| {
                    arg.node
                        .place()
                        .and_then(|place| functions_in.get(&place.local).copied())
                })?;
                Some((index, known.0, known.1))
            })
            .collect();
        calls.push(RawCall {
            callee,
            args: callee_args,
            span,
            lint_root: lint_root(body, terminator.source_info.scope),
            function_arguments,
            creates: false,
            field,
        });
    }
    calls
}

/// What the callee operand of a `Call` calls: a fn item; a `fn` pointer the body made from a
/// fn item; or one read from a struct field, then with the struct and field (the callee is the
/// struct, the functions stored there are found later).
#[expect(clippy::type_complexity, reason = "a local helper of raw_calls")]
fn called_function<'tcx>(
    tcx: TyCtxt<'tcx>,
    body: &mir::Body<'tcx>,
    func: &mir::Operand<'tcx>,
    functions_in: &FxHashMap<mir::Local, (DefId, GenericArgsRef<'tcx>)>,
    fields_in: &FxHashMap<mir::Local, (DefId, rustc_span::Symbol)>,
) -> Option<((DefId, GenericArgsRef<'tcx>), Option<(DefId, rustc_span::Symbol)>)> {
    match *func.ty(body, tcx).kind() {
        ty::FnDef(def_id, callee_args) => Some(((def_id, callee_args.no_bound_vars()?), None)),
        ty::FnPtr(..) => {
            let place = func.place()?;
            if let Some(&known) = functions_in.get(&place.local) {
                return Some((known, None));
            }
            let stored = fields_in
                .get(&place.local)
                .copied()
                .or_else(|| struct_field(tcx, body, place))?;
            Some(((stored.0, ty::List::empty()), Some(stored)))
        }
        _ => None,
    }
}

/// For a place that reads a `fn` pointer field of a struct (`(*self).on_save`): the struct and
/// the field's name.
fn struct_field<'tcx>(
    tcx: TyCtxt<'tcx>,
    body: &mir::Body<'tcx>,
    place: mir::Place<'tcx>,
) -> Option<(DefId, rustc_span::Symbol)> {
    let (base, mir::ProjectionElem::Field(index, field_ty)) = place.as_ref().last_projection()? else {
        return None;
    };
    if !matches!(field_ty.kind(), ty::FnPtr(..)) {
        return None;
    }
    let ty::Adt(adt, _) = base.ty(body, tcx).ty.kind() else {
        return None;
    };
    adt.is_struct()
        .then(|| (adt.did(), adt.non_enum_variant().fields[index].name))
}

/// Whether `def_id` is a method of `Fn`, `FnMut` or `FnOnce`: a call of a function value.
fn is_fn_trait_method(tcx: TyCtxt<'_>, def_id: DefId) -> bool {
    tcx.trait_of_assoc(def_id)
        .is_some_and(|trait_id| tcx.fn_trait_kind_from_def_id(trait_id).is_some())
}

/// For a call of an `Fn*` method (`f()`) on a closure or fn item whose type is known: that
/// function.
pub(super) fn called_function_value<'tcx>(
    tcx: TyCtxt<'tcx>,
    callee: DefId,
    args: GenericArgsRef<'tcx>,
) -> Option<(DefId, GenericArgsRef<'tcx>)> {
    if !is_fn_trait_method(tcx, callee) {
        return None;
    }
    function_of(args.types().next()?)
}

/// The function a value of type `ty` is: a fn item or a closure, by value or behind references
/// and boxes.
fn function_of(ty: Ty<'_>) -> Option<(DefId, GenericArgsRef<'_>)> {
    let mut current = ty;
    loop {
        match *current.kind() {
            ty::FnDef(def_id, args) => return args.no_bound_vars().map(|args| (def_id, args)),
            ty::Closure(def_id, args) => return Some((def_id, args)),
            ty::Ref(_, inner, _) => current = inner,
            ty::Adt(adt, args) if adt.is_box() => current = args.type_at(0),
            _ => return None,
        }
    }
}

/// The expressions and patterns of the body of `owner` (not of the closures in it), by span: how
/// a MIR call finds the expression it came from, and a drop the variable it drops.
fn hir_ids_by_span(tcx: TyCtxt<'_>, owner: LocalDefId) -> FxHashMap<Span, HirId> {
    struct Spans(FxHashMap<Span, HirId>);
    impl<'tcx> Visitor<'tcx> for Spans {
        fn visit_expr(&mut self, expr: &'tcx rustc_hir::Expr<'tcx>) {
            self.0.entry(expr.span).or_insert(expr.hir_id);
            intravisit::walk_expr(self, expr);
        }

        fn visit_pat(&mut self, pat: &'tcx rustc_hir::Pat<'tcx>) {
            self.0.entry(pat.span).or_insert(pat.hir_id);
            intravisit::walk_pat(self, pat);
        }
    }
    let mut spans = Spans(FxHashMap::default());
    if let Some(body) = tcx.hir_maybe_body_owned_by(owner) {
        spans.visit_body(body);
    }
    spans.0
}
