//! Calls as the compiler resolved them, and the bodies they run in.

use super::Engine;
use clippy_utils::ty::all_clauses_of;
use rustc_hir::def::{DefKind, Res};
use rustc_hir::intravisit::{self, Visitor};
use rustc_hir::{ClosureKind, Expr, ExprKind, HirId, LetStmt, MatchSource, Node, PatKind, QPath};
use rustc_middle::hir::nested_filter;
use rustc_middle::ty::{self, GenericArgsRef, TyCtxt, TypeckResults};
use rustc_span::def_id::{DefId, LocalDefId};
use rustc_span::{DesugaringKind, Span, sym};
use std::ops::ControlFlow;
use std::rc::Rc;

/// A call found in a body: what it calls, with the generic arguments as written there (in
/// terms of the body's own generic parameters).
#[derive(Clone, Copy, Debug)]
pub struct CallSite<'tcx> {
    pub callee: DefId,
    pub args: GenericArgsRef<'tcx>,
    pub span: Span,
    pub hir_id: HirId,
    pub via: Via,
}

/// How a body comes to run the function of a [`CallSite`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Via {
    /// It calls it.
    Call,
    /// It hands it (a closure, a fn item) to the function called there, which calls it.
    Argument,
    /// It drops a value whose destructor it is (`drop_in_place::<T>`).
    Drop,
    /// It creates an async block or async closure, which runs on the same runtime.
    Creation,
}

/// The function `expr` calls: a call of a fn path, a method call, or a fn item passed as a
/// value (`iter.map(helper)`), which the receiving function calls.
#[must_use]
pub fn callee_of<'tcx>(
    tcx: TyCtxt<'tcx>,
    typeck: &TypeckResults<'tcx>,
    expr: &Expr<'_>,
) -> Option<(DefId, GenericArgsRef<'tcx>)> {
    // Calls the compiler wrote for `.await` and `?` are not the user's; the `Iterator::next`
    // of a `for` loop is (iterating a `ReadDir` or a channel blocks).
    if expr
        .span
        .desugaring_kind()
        .is_some_and(|kind| kind != DesugaringKind::ForLoop)
    {
        return None;
    }
    match expr.kind {
        ExprKind::MethodCall(..) => Some((
            typeck.type_dependent_def_id(expr.hir_id)?,
            typeck.node_args(expr.hir_id),
        )),
        ExprKind::Call(func, args) => {
            let Some((def_id, generic_args)) = fn_path(typeck, func) else {
                // A value called through `Fn*`: a closure a helper returned, a `Box<dyn Fn>`
                // field.
                return typeck
                    .type_dependent_def_id(expr.hir_id)
                    .map(|method| (method, typeck.node_args(expr.hir_id)));
            };
            // Lang-item paths (the `Iterator::next(&mut iter)` of a `for` loop) record no
            // generic arguments; a trait method's only one, `Self`, is the receiver's type.
            if generic_args.is_empty()
                && let [receiver, ..] = args
                && tcx.trait_of_assoc(def_id).is_some()
                && tcx.generics_of(def_id).count() == 1
            {
                let self_ty = match typeck.expr_ty(receiver).kind() {
                    ty::Ref(_, inner, _) => *inner,
                    _ => typeck.expr_ty(receiver),
                };
                return Some((def_id, tcx.mk_args(&[self_ty.into()])));
            }
            Some((def_id, generic_args))
        }
        ExprKind::Path(_) => {
            // The callee of a call is handled with the call.
            if let Node::Expr(parent) = tcx.parent_hir_node(expr.hir_id)
                && let ExprKind::Call(func, _) = parent.kind
                && func.hir_id == expr.hir_id
            {
                return None;
            }
            fn_path(typeck, expr)
        }
        _ => None,
    }
}

fn fn_path<'tcx>(typeck: &TypeckResults<'tcx>, expr: &Expr<'_>) -> Option<(DefId, GenericArgsRef<'tcx>)> {
    let ExprKind::Path(ref qpath) = expr.kind else {
        return None;
    };
    match typeck.qpath_res(qpath, expr.hir_id) {
        Res::Def(DefKind::Fn | DefKind::AssocFn, def_id) => Some((def_id, typeck.node_args(expr.hir_id))),
        _ => None,
    }
}

/// How an expression uses a function (see [`for_each_fn_use`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum FnUse {
    /// Called by its path (`run(config)`, `Pipe::new(tx)`).
    PathCall,
    /// Called as a method (`client.run()`).
    MethodCall,
    /// Named as a value (`.map(parse)`, `let f = run;`).
    Value,
}

/// Calls `found` with each use of a fn or associated fn in the expression `body` (not in the
/// closures inside it, which are bodies of their own): the function, the expression (the call,
/// or the path named as a value) and how it is used.
pub(super) fn for_each_fn_use<'tcx>(
    typeck: &'tcx TypeckResults<'tcx>,
    body: &'tcx Expr<'tcx>,
    found: impl FnMut(DefId, &'tcx Expr<'tcx>, FnUse),
) {
    struct Uses<'tcx, F> {
        typeck: &'tcx TypeckResults<'tcx>,
        found: F,
    }
    impl<'tcx, F: FnMut(DefId, &'tcx Expr<'tcx>, FnUse)> Visitor<'tcx> for Uses<'tcx, F> {
        fn visit_expr(&mut self, expr: &'tcx Expr<'tcx>) {
            match expr.kind {
                ExprKind::Call(function, args) => {
                    if let ExprKind::Path(ref qpath) = function.kind
                        && let Res::Def(DefKind::Fn | DefKind::AssocFn, callee) =
                            self.typeck.qpath_res(qpath, function.hir_id)
                    {
                        // The callee's path is the call, not a use as a value.
                        (self.found)(callee, expr, FnUse::PathCall);
                    } else {
                        self.visit_expr(function);
                    }
                    for arg in args {
                        self.visit_expr(arg);
                    }
                    return;
                }
                ExprKind::MethodCall(..) => {
                    if let Some(callee) = self.typeck.type_dependent_def_id(expr.hir_id) {
                        (self.found)(callee, expr, FnUse::MethodCall);
                    }
                }
                ExprKind::Path(ref qpath) => {
                    if let Res::Def(DefKind::Fn | DefKind::AssocFn, function) =
                        self.typeck.qpath_res(qpath, expr.hir_id)
                    {
                        (self.found)(function, expr, FnUse::Value);
                    }
                }
                _ => {}
            }
            intravisit::walk_expr(self, expr);
        }
    }
    Uses { typeck, found }.visit_expr(body);
}

/// The expression whose value is the value of the expression `expr`, one step out: the block
/// `expr` is the tail of, the `if` or `match` it is a branch of, the `DropTemps` the compiler
/// wraps it in. `None` when `expr` is no such part.
pub(super) fn yielded_by(tcx: TyCtxt<'_>, expr: HirId) -> Option<HirId> {
    match tcx.parent_hir_node(expr) {
        Node::Block(block) if block.expr.is_some_and(|tail| tail.hir_id == expr) => {
            match tcx.parent_hir_node(block.hir_id) {
                Node::Expr(
                    outer @ Expr {
                        kind: ExprKind::Block(..),
                        ..
                    },
                ) => Some(outer.hir_id),
                _ => None,
            }
        }
        Node::Expr(Expr {
            hir_id,
            kind: ExprKind::DropTemps(_),
            ..
        }) => Some(*hir_id),
        Node::Expr(Expr {
            hir_id,
            kind: ExprKind::If(condition, ..),
            ..
        }) if condition.hir_id != expr => Some(*hir_id),
        Node::Arm(arm) if arm.body.hir_id == expr => match tcx.parent_hir_node(arm.hir_id) {
            Node::Expr(Expr {
                hir_id,
                kind: ExprKind::Match(_, _, MatchSource::Normal),
                ..
            }) => Some(*hir_id),
            _ => None,
        },
        _ => None,
    }
}

impl<'tcx> Engine<'tcx> {
    /// Whether `arg` is an argument of a call that runs it on another thread: a boundary
    /// (like `tokio::task::spawn_blocking`), or a function of this crate that hands that
    /// parameter on to one (a wrapper such as `asyncify(f)`).
    #[must_use]
    pub fn is_boundary_argument(&self, arg: &Expr<'_>) -> bool {
        // `spawn_blocking({ let path = path.clone(); move || read(path) })`
        let arg = self.outermost_value(arg.hir_id);
        let Node::Expr(parent) = self.tcx.parent_hir_node(arg) else {
            return false;
        };
        // Parameter positions count the receiver of a method call as the first.
        let index = match parent.kind {
            ExprKind::Call(_, args) => args.iter().position(|candidate| candidate.hir_id == arg),
            ExprKind::MethodCall(_, receiver, args, _) => {
                if receiver.hir_id == arg {
                    Some(0)
                } else {
                    args.iter().position(|candidate| candidate.hir_id == arg).map(|i| i + 1)
                }
            }
            _ => None,
        };
        let Some(index) = index else {
            return false;
        };
        let owner = self.tcx.hir_enclosing_body_owner(parent.hir_id);
        let typeck = self.tcx.typeck(owner);
        callee_of(self.tcx, typeck, parent).is_some_and(|(callee, _)| self.offloads_parameter(callee, index))
    }

    /// Whether `callee` runs its parameter `index` on another thread.
    ///
    /// The signature hints: a closure parameter that must be `Send + 'static`. For this crate's
    /// functions the body says first: one that hands the parameter to a boundary offloads it,
    /// one that calls it runs it in place whatever its bounds.
    pub(super) fn offloads_parameter(&self, callee: DefId, index: usize) -> bool {
        if self.boundaries.contains(&callee) {
            return true;
        }
        match callee.as_local() {
            Some(local) => {
                if !matches!(self.tcx.def_kind(callee), DefKind::Fn | DefKind::AssocFn) {
                    return false;
                }
                match self.offloaded_parameters(local).get(index).copied() {
                    Some(Offload::Offloaded) => true,
                    Some(Offload::CalledInPlace) => false,
                    Some(Offload::Unknown) | None => self.requires_sendable_closure(callee, index),
                }
            }
            None => self.requires_sendable_closure(callee, index),
        }
    }

    /// Whether parameter `index` of `callee` is a closure bound by `Send + 'static`: bounds that
    /// only code run on another thread needs (`deadpool`'s `interact`, `actix_web::web::block`
    /// and the like), never a closure called in place.
    fn requires_sendable_closure(&self, callee: DefId, index: usize) -> bool {
        let tcx = self.tcx;
        if !matches!(tcx.def_kind(callee), DefKind::Fn | DefKind::AssocFn) {
            return false;
        }
        let sig = tcx.fn_sig(callee).instantiate_identity().skip_norm_wip();
        let Some(&param) = sig.skip_binder().inputs().get(index) else {
            return false;
        };
        if !matches!(param.kind(), ty::Param(_)) {
            return false;
        }
        let send = tcx.get_diagnostic_item(sym::Send);
        let (mut callable, mut sendable, mut outlives_static) = (false, false, false);
        for (clause, _) in all_clauses_of(tcx, callee) {
            match clause.kind().skip_binder() {
                ty::ClauseKind::Trait(bound) if bound.self_ty() == param => {
                    callable |= tcx.fn_trait_kind_from_def_id(bound.def_id()).is_some();
                    sendable |= Some(bound.def_id()) == send;
                }
                ty::ClauseKind::TypeOutlives(ty::OutlivesClause(ty, region)) if ty == param => {
                    outlives_static |= region.is_static();
                }
                _ => {}
            }
        }
        callable && sendable && outlives_static
    }

    /// For each parameter of a function of this crate: what its body does with it.
    fn offloaded_parameters(&self, function: LocalDefId) -> Rc<[Offload]> {
        if let Some(known) = self.offloaded.borrow().get(&function) {
            return known.clone();
        }
        // A recursive wrapper sees "unknown" for itself while it is being looked at.
        self.offloaded.borrow_mut().insert(function, Rc::from([]));
        let offloaded: Rc<[Offload]> = match self.tcx.hir_maybe_body_owned_by(function) {
            Some(body) => body
                .params
                .iter()
                .map(|param| match param.pat.kind {
                    PatKind::Binding(_, local, ..) if self.local_passed_to_boundary(function, local) => {
                        Offload::Offloaded
                    }
                    PatKind::Binding(_, local, ..) if self.local_called(function, local) => Offload::CalledInPlace,
                    _ => Offload::Unknown,
                })
                .collect(),
            None => Rc::from([]),
        };
        self.offloaded.borrow_mut().insert(function, offloaded.clone());
        offloaded
    }

    /// Whether the local `local` (or a local it is moved into) is called in the body of `owner`
    /// (`job()`), outside closures that run on another thread.
    fn local_called(&self, owner: LocalDefId, local: HirId) -> bool {
        LocalFinder::find(self, owner, local, Looking::Called)
    }

    /// Whether the local `local` (or a local it is moved into, as `async fn` bodies do with
    /// their parameters) is passed to a boundary in the body of `owner` or the bodies nested in it.
    fn local_passed_to_boundary(&self, owner: LocalDefId, local: HirId) -> bool {
        LocalFinder::find(self, owner, local, Looking::HandedToBoundary)
    }

    /// Whether the closure `closure_def` runs on another thread: passed to a boundary directly,
    /// or bound to a local that is passed to one or used inside one
    /// (`let job = || ..; spawn_blocking(job)`, `spawn_blocking(move || job())`). Cached.
    #[must_use]
    pub fn is_boundary_closure(&self, closure_def: LocalDefId) -> bool {
        if let Some(&known) = self.boundary_closures.borrow().get(&closure_def) {
            return known;
        }
        // Seen again while being decided (closures that refer to each other): not yet known.
        self.boundary_closures.borrow_mut().insert(closure_def, false);
        let result = self.compute_boundary_closure(closure_def);
        self.boundary_closures.borrow_mut().insert(closure_def, result);
        result
    }

    fn compute_boundary_closure(&self, closure_def: LocalDefId) -> bool {
        let tcx = self.tcx;
        let Node::Expr(closure) = tcx.hir_node_by_def_id(closure_def) else {
            return false;
        };
        if self.is_boundary_argument(closure) {
            return true;
        }
        let Node::LetStmt(LetStmt { pat, .. }) = tcx.parent_hir_node(closure.hir_id) else {
            return false;
        };
        let PatKind::Binding(_, local, ..) = pat.kind else {
            return false;
        };
        self.local_passed_to_boundary(tcx.hir_enclosing_body_owner(closure.hir_id), local)
    }

    /// Whether the body of this closure expression runs where the closure is written: a plain
    /// closure neither handed to a boundary nor returned to the caller (which calls it later,
    /// perhaps elsewhere). Async blocks and async closures are async contexts of their own.
    #[must_use]
    pub fn closure_runs_inline(&self, kind: ClosureKind, def_id: LocalDefId) -> bool {
        let tcx = self.tcx;
        let parent = tcx.hir_enclosing_body_owner(tcx.local_def_id_to_hir_id(def_id));
        matches!(kind, ClosureKind::Closure)
            && !self.is_boundary_closure(def_id)
            && !self.is_returned(def_id)
            // A closure only created, never called nor handed on, never runs. One written as a
            // call's argument is handed on: no need to read the MIR for it.
            && (self.is_call_argument(def_id) || self.calls_use_function(parent, def_id.to_def_id()))
    }

    /// Whether the expression `def_id` (a closure) is, through block tails, an argument of a
    /// call or method call.
    fn is_call_argument(&self, def_id: LocalDefId) -> bool {
        let value = self.outermost_value(self.tcx.local_def_id_to_hir_id(def_id));
        matches!(
            self.tcx.parent_hir_node(value),
            Node::Expr(Expr {
                kind: ExprKind::Call(..) | ExprKind::MethodCall(..),
                ..
            })
        )
    }

    /// Whether the value of the expression `def_id` (a closure) is what its body returns.
    fn is_returned(&self, def_id: LocalDefId) -> bool {
        let tcx = self.tcx;
        let value = self.outermost_value(tcx.local_def_id_to_hir_id(def_id));
        if let Node::Expr(Expr {
            kind: ExprKind::Ret(Some(_)),
            ..
        }) = tcx.parent_hir_node(value)
        {
            return true;
        }
        let owner = tcx.hir_enclosing_body_owner(value);
        tcx.hir_maybe_body_owned_by(owner)
            .is_some_and(|body| body.value.hir_id == value)
    }

    /// The expression whose value `expr` is, through block tails: for the closure in
    /// `{ let p = ..; move || .. }`, the block.
    pub(super) fn outermost_value(&self, expr: HirId) -> HirId {
        let tcx = self.tcx;
        let mut current = expr;
        loop {
            match tcx.parent_hir_node(current) {
                Node::Block(block)
                    if block.expr.is_some_and(|tail| tail.hir_id == current)
                        && let Node::Expr(block_expr) = tcx.parent_hir_node(block.hir_id)
                        && matches!(block_expr.kind, ExprKind::Block(..)) =>
                {
                    current = block_expr.hir_id;
                }
                // The compiler wraps an `async fn`'s block in `DropTemps`.
                Node::Expr(Expr {
                    kind: ExprKind::DropTemps(_),
                    hir_id,
                    ..
                }) => current = *hir_id,
                _ => return current,
            }
        }
    }

    /// The calls that run when the body of `owner` runs, from its MIR (see
    /// [`Engine::mir_call_sites`]). Cached per body.
    pub fn call_sites(&self, owner: LocalDefId) -> Rc<[CallSite<'tcx>]> {
        self.collect_call_sites(owner, false)
    }

    /// [`Engine::call_sites`], plus the calls in the async blocks and async closures of the body
    /// (an `async fn`'s own body among them), which run on the runtime the body runs on. Cached.
    pub fn call_sites_with_async(&self, owner: LocalDefId) -> Rc<[CallSite<'tcx>]> {
        self.collect_call_sites(owner, true)
    }

    fn collect_call_sites(&self, owner: LocalDefId, into_async: bool) -> Rc<[CallSite<'tcx>]> {
        let cache = if into_async {
            &self.call_sites_with_async
        } else {
            &self.call_sites
        };
        if let Some(sites) = cache.borrow().get(&owner) {
            return sites.clone();
        }
        // A body that failed to type-check has holes a walk could trip over.
        let sites = if self.tcx.typeck(owner).tainted_by_errors.is_none() {
            self.mir_call_sites(owner, into_async)
        } else {
            Vec::new()
        };
        let sites: Rc<[CallSite<'tcx>]> = sites.into();
        cache.borrow_mut().insert(owner, sites.clone());
        sites
    }

    /// Whether `hir_id` sits where only code without a tokio runtime goes: the `Err(_)`/`None`
    /// arm of a `match` on `Handle::try_current()` (or `.ok()`), or the `else` of an `if let`
    /// on it. Async code never runs there, so what is called there is no finding of ours.
    #[must_use]
    pub fn only_without_a_runtime(&self, hir_id: HirId) -> bool {
        let tcx = self.tcx;
        ancestors_in_body(tcx, hir_id).any(|(child, parent_id, parent)| match parent {
            Node::Arm(arm) if arm.body.hir_id == child && is_no_value_pattern(arm.pat) => {
                matches!(tcx.parent_hir_node(parent_id), Node::Expr(Expr {
                    kind: ExprKind::Match(scrutinee, ..),
                    ..
                }) if self.is_try_current(scrutinee))
            }
            Node::Expr(Expr {
                kind: ExprKind::If(condition, _, Some(otherwise)),
                ..
            }) if otherwise.hir_id == child => {
                matches!(condition.kind, ExprKind::Let(let_expr)
                    if !is_no_value_pattern(let_expr.pat) && self.is_try_current(let_expr.init))
            }
            _ => false,
        })
    }

    /// Whether `expr` is `Handle::try_current()`, or `Handle::try_current().ok()`.
    fn is_try_current(&self, expr: &Expr<'_>) -> bool {
        let mut expr = expr;
        if let ExprKind::MethodCall(segment, receiver, [], _) = expr.kind
            && segment.ident.name.as_str() == "ok"
        {
            expr = receiver;
        }
        let owner = self.tcx.hir_enclosing_body_owner(expr.hir_id);
        callee_of(self.tcx, self.tcx.typeck(owner), expr)
            .is_some_and(|(callee, _)| self.resolve(super::paths::HANDLE_TRY_CURRENT).contains(&callee))
    }

    /// The call `expr` makes, unless it is a fn item handed to a boundary (not called here).
    #[must_use]
    pub fn call_of(&self, typeck: &TypeckResults<'tcx>, expr: &Expr<'_>) -> Option<(DefId, GenericArgsRef<'tcx>)> {
        let Some(call) = callee_of(self.tcx, typeck, expr) else {
            return self.stored_function_called(typeck, expr);
        };
        // A fn item named as a value is a call only where the body calls it (through a `fn`
        // pointer made of it) or hands it to a function that runs it: not `let f: fn() = helper;`
        // alone, nor one handed to another thread or to a generic function of this crate (whose
        // call is followed with the fn item's type).
        if matches!(expr.kind, ExprKind::Path(_))
            && (self.is_boundary_argument(expr)
                || !self
                    .call_sites(self.tcx.hir_enclosing_body_owner(expr.hir_id))
                    .iter()
                    .any(|site| site.callee == call.0))
        {
            return None;
        }
        Some(call)
    }
}

impl<'tcx> Engine<'tcx> {
    /// The `Handle::try_current()` call whose `Ok` value `receiver` is bound from.
    #[must_use]
    pub fn found_by_try_current(&self, receiver: &'tcx Expr<'tcx>) -> Option<&'tcx Expr<'tcx>> {
        let tcx = self.tcx;
        let mut receiver = receiver;
        while let ExprKind::AddrOf(_, _, inner) = receiver.kind {
            receiver = inner;
        }
        let ExprKind::Path(QPath::Resolved(None, path)) = receiver.kind else {
            return None;
        };
        let Res::Local(binding) = path.res else {
            return None;
        };
        // The binding sits in `Ok(handle)` / `Some(handle)`...
        let Node::Pat(enclosing) = tcx.parent_hir_node(binding) else {
            return None;
        };
        if !matches!(enclosing.kind, PatKind::TupleStruct(..)) {
            return None;
        }
        // ... matched against a scrutinee: `match`, `if let`/`while let`, or `let ... else`.
        let scrutinee = match tcx.parent_hir_node(enclosing.hir_id) {
            Node::Arm(_) => match tcx.parent_hir_node(tcx.parent_hir_id(enclosing.hir_id)) {
                Node::Expr(Expr {
                    kind: ExprKind::Match(scrutinee, ..),
                    ..
                }) => *scrutinee,
                _ => return None,
            },
            Node::LetStmt(local) => local.init?,
            Node::Expr(Expr {
                kind: ExprKind::Let(let_expr),
                ..
            }) => let_expr.init,
            _ => return None,
        };
        let mut scrutinee = scrutinee;
        // `Handle::try_current().ok()`
        if let ExprKind::MethodCall(segment, inner, [], _) = scrutinee.kind
            && segment.ident.name.as_str() == "ok"
        {
            scrutinee = inner;
        }
        let owner = tcx.hir_enclosing_body_owner(scrutinee.hir_id);
        let (callee, _) = callee_of(tcx, tcx.typeck(owner), scrutinee)?;
        self.resolve(super::paths::HANDLE_TRY_CURRENT)
            .contains(&callee)
            .then_some(scrutinee)
    }

    /// For `(hooks.on_save)(key)` on a `fn` pointer field: a function the crate stores there,
    /// one that enters a runtime or blocks when there is such a one.
    fn stored_function_called(
        &self,
        typeck: &TypeckResults<'tcx>,
        expr: &Expr<'_>,
    ) -> Option<(DefId, GenericArgsRef<'tcx>)> {
        let ExprKind::Call(func, _) = expr.kind else {
            return None;
        };
        let (adt, field) = self.called_field(typeck, func)?;
        let candidates = self.functions_stored_in(adt, field);
        let empty = ty::List::empty();
        let reaching = |effect| {
            candidates
                .iter()
                .copied()
                .find(|&function| self.reach(function, empty, effect).is_some())
        };
        let function = reaching(super::Effect::EntersRuntime)
            .or_else(|| reaching(super::Effect::Blocks))
            .or_else(|| candidates.first().copied())?;
        Some((function, empty))
    }
}

/// What a [`LocalFinder`] looks for.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Looking {
    /// A use passed to a boundary, or inside a closure that runs on another thread.
    HandedToBoundary,
    /// A call of the local (`job()`), outside closures that run on another thread.
    Called,
}

/// Breaks where one of `locals` is used as it looks for; follows moves into new locals
/// (`let job = f;`, as `async fn` bodies do with their parameters).
struct LocalFinder<'a, 'tcx> {
    engine: &'a Engine<'tcx>,
    locals: Vec<HirId>,
    looking: Looking,
    /// How many boundary closures enclose the expression being visited.
    inside_boundary: usize,
}

impl<'a, 'tcx> LocalFinder<'a, 'tcx> {
    fn find(engine: &'a Engine<'tcx>, owner: LocalDefId, local: HirId, looking: Looking) -> bool {
        LocalFinder {
            engine,
            locals: vec![local],
            looking,
            inside_boundary: 0,
        }
        .visit_body(engine.tcx.hir_body_owned_by(owner))
        .is_break()
    }
}

impl<'tcx> Visitor<'tcx> for LocalFinder<'_, 'tcx> {
    type NestedFilter = nested_filter::OnlyBodies;
    type Result = ControlFlow<()>;

    fn maybe_tcx(&mut self) -> TyCtxt<'tcx> {
        self.engine.tcx
    }

    fn visit_local(&mut self, local: &'tcx LetStmt<'tcx>) -> ControlFlow<()> {
        if let Some(init) = local.init
            && is_local_in(init, &self.locals)
            && let PatKind::Binding(_, alias, ..) = local.pat.kind
        {
            self.locals.push(alias);
        }
        intravisit::walk_local(self, local)
    }

    fn visit_expr(&mut self, expr: &'tcx Expr<'tcx>) -> ControlFlow<()> {
        let found = match self.looking {
            Looking::HandedToBoundary => {
                is_local_in(expr, &self.locals) && (self.inside_boundary > 0 || self.engine.is_boundary_argument(expr))
            }
            Looking::Called => {
                self.inside_boundary == 0
                    && matches!(expr.kind, ExprKind::Call(func, _) if is_local_in(func, &self.locals))
            }
        };
        if found {
            return ControlFlow::Break(());
        }
        if let ExprKind::Closure(closure) = expr.kind
            && self.engine.is_boundary_closure(closure.def_id)
        {
            self.inside_boundary += 1;
            let result = intravisit::walk_expr(self, expr);
            self.inside_boundary -= 1;
            return result;
        }
        intravisit::walk_expr(self, expr)
    }
}

/// What a function does with one of its closure parameters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Offload {
    /// Hands it to a boundary.
    Offloaded,
    /// Calls it.
    CalledInPlace,
    /// Neither, as far as the body shows (stores it, passes it elsewhere).
    Unknown,
}

fn is_local_in(expr: &Expr<'_>, locals: &[HirId]) -> bool {
    matches!(
        expr.kind,
        ExprKind::Path(QPath::Resolved(None, path)) if matches!(path.res, Res::Local(id) if locals.contains(&id))
    )
}

/// The nodes around `hir_id` out to the body it is in, each with the node it was reached from:
/// `(child, parent_id, parent)`. Items and closures end the walk: their bodies run elsewhere.
pub(super) fn ancestors_in_body(tcx: TyCtxt<'_>, hir_id: HirId) -> impl Iterator<Item = (HirId, HirId, Node<'_>)> {
    let mut child = hir_id;
    tcx.hir_parent_iter(hir_id)
        .take_while(|(_, parent)| {
            !matches!(
                parent,
                Node::Item(_)
                    | Node::ImplItem(_)
                    | Node::TraitItem(_)
                    | Node::Expr(Expr {
                        kind: ExprKind::Closure(_),
                        ..
                    })
            )
        })
        .map(move |(parent_id, parent)| {
            let from = std::mem::replace(&mut child, parent_id);
            (from, parent_id, parent)
        })
}

/// `Err(..)`, `None` or `_`: the patterns of the branch where no value came.
fn is_no_value_pattern(pat: &rustc_hir::Pat<'_>) -> bool {
    let last_segment = |qpath: &QPath<'_>| match qpath {
        QPath::Resolved(_, path) => path.segments.last().map(|segment| segment.ident.name),
        QPath::TypeRelative(..) => None,
    };
    match pat.kind {
        PatKind::Wild => true,
        PatKind::TupleStruct(ref qpath, ..) => last_segment(qpath).is_some_and(|name| name.as_str() == "Err"),
        PatKind::Expr(rustc_hir::PatExpr {
            kind: rustc_hir::PatExprKind::Path(qpath),
            ..
        }) => last_segment(qpath).is_some_and(|name| name.as_str() == "None"),
        _ => false,
    }
}
