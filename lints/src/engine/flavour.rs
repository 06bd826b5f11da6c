//! Where code runs in relation to a tokio runtime: on a current-thread runtime
//! (`block_in_place_on_current_thread`), or where no runtime is entered (`missing_runtime`).
//!
//! Both answers are kept for the cases the code itself proves: a runtime attribute whose
//! generated wrapper builds a current-thread runtime, a future given to `block_on` of a runtime
//! whose construction is in sight, a sync `main`, a sync `#[test]`, a closure that starts a new
//! thread. Everything else (a runtime handed in from elsewhere, a sync fn with no known caller, a
//! `Drop` impl) is unknown, and unknown is quiet.

use super::Engine;
use super::calls::callee_of;
use async_lint_config::catalogue::{FUTURE_RUNNERS, NEW_THREADS, RUNTIME_FLAVOURS, RuntimeFlavour};
use clippy_utils::is_test_function;
use clippy_utils::visitors::for_each_expr;
use rustc_hir::def::Res;
use rustc_hir::{
    ClosureKind, CoroutineDesugaring, CoroutineKind, CoroutineSource, Expr, ExprKind, Node, PatKind, QPath,
};
use rustc_span::Span;
use rustc_span::def_id::{DefId, LocalDefId};
use std::ops::ControlFlow;

/// Why a body runs on a current-thread runtime.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CurrentThreadCause {
    /// The body of `#[tokio::test]` (current-thread unless `flavor = "multi_thread"`).
    TestAttribute,
    /// The body of `#[tokio::main(flavor = "current_thread")]` (or `"local"`).
    MainAttribute,
    /// A future given to `block_on` of a runtime built as current-thread, or of a
    /// `LocalRuntime`.
    BlockOn,
}

/// A body known to run on a current-thread runtime.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CurrentThread {
    pub cause: CurrentThreadCause,
    /// The attribute, or the `block_on` call.
    pub span: Span,
}

/// Why a body runs where no runtime is entered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RuntimeFree {
    /// A synchronous `fn main`.
    Main,
    /// A synchronous `#[test]`.
    Test,
    /// A closure that starts a new thread (`std::thread::spawn`), which has no runtime context.
    NewThread,
}

/// A call that runs a future on a runtime (`rt.block_on(future)`).
#[derive(Clone, Copy, Debug)]
pub(super) struct FutureRunner {
    /// The call.
    pub span: Span,
    /// The runtime's flavour, when its construction is in sight.
    pub flavour: Option<RuntimeFlavour>,
    /// A `LocalSet` runs it, and the local tasks spawned on it, on the calling thread.
    pub local_set: bool,
}

impl<'tcx> Engine<'tcx> {
    /// Whether the body of `owner` runs on a current-thread runtime, and why. Cached.
    #[must_use]
    pub fn current_thread_context(&self, owner: LocalDefId) -> Option<CurrentThread> {
        if let Some(&known) = self.flavours.borrow().get(&owner) {
            return known;
        }
        // Seen again while deciding (a closure inside itself cannot be): unknown meanwhile.
        self.flavours.borrow_mut().insert(owner, None);
        let context = self.compute_current_thread(owner);
        self.flavours.borrow_mut().insert(owner, context);
        context
    }

    fn compute_current_thread(&self, owner: LocalDefId) -> Option<CurrentThread> {
        let tcx = self.tcx;
        let Node::Expr(expr) = tcx.hir_node_by_def_id(owner) else {
            return None;
        };
        let ExprKind::Closure(closure) = expr.kind else {
            return None;
        };
        if self.is_boundary_closure(owner) {
            return None;
        }
        let async_block = matches!(
            closure.kind,
            ClosureKind::Coroutine(CoroutineKind::Desugared(
                CoroutineDesugaring::Async,
                CoroutineSource::Block
            ))
        );
        if async_block && self.is_runtime_attribute_body(expr.span) {
            let wrapper = tcx.hir_enclosing_body_owner(expr.hir_id);
            if self.flavour_built_in(wrapper) != Some(RuntimeFlavour::CurrentThread) {
                return None;
            }
            let cause = if is_test_function(tcx, wrapper) {
                CurrentThreadCause::TestAttribute
            } else {
                CurrentThreadCause::MainAttribute
            };
            return Some(CurrentThread {
                cause,
                span: expr.span.source_callsite(),
            });
        }
        if let Some(context) = self.runner_context(expr) {
            return Some(context);
        }
        // Nested code runs where its parent does: async blocks it awaits or spawns, closures it
        // calls in place.
        let runs_in_parent = match closure.kind {
            ClosureKind::Closure => self.closure_runs_inline(closure.kind, owner),
            ClosureKind::Coroutine(_) | ClosureKind::CoroutineClosure(_) => true,
        };
        if !runs_in_parent {
            return None;
        }
        let parent = tcx.hir_enclosing_body_owner(expr.hir_id);
        self.current_thread_context(parent)
    }

    /// When `future` is the future argument of `block_on` on a current-thread runtime: that
    /// context.
    #[must_use]
    pub fn runner_context(&self, future: &'tcx Expr<'tcx>) -> Option<CurrentThread> {
        // Only calls and async blocks make futures worth looking at.
        if !matches!(
            future.kind,
            ExprKind::Call(..) | ExprKind::MethodCall(..) | ExprKind::Closure(_)
        ) {
            return None;
        }
        let runner = self.runner_of(future)?;
        (runner.flavour == Some(RuntimeFlavour::CurrentThread)).then_some(CurrentThread {
            cause: CurrentThreadCause::BlockOn,
            span: runner.span,
        })
    }

    /// When `future` is the future argument of a catalogued runner (`block_on`): the runner.
    pub(super) fn runner_of(&self, future: &'tcx Expr<'tcx>) -> Option<FutureRunner> {
        let tcx = self.tcx;
        let Node::Expr(call) = tcx.parent_hir_node(future.hir_id) else {
            return None;
        };
        // Every runner is a `block_on`: what is called anything else is none (and costs no lookup).
        let name = match call.kind {
            ExprKind::MethodCall(segment, ..) => Some(segment.ident.name),
            ExprKind::Call(func, _) => match func.kind {
                ExprKind::Path(QPath::Resolved(_, path)) => path.segments.last().map(|segment| segment.ident.name),
                ExprKind::Path(QPath::TypeRelative(_, segment)) => Some(segment.ident.name),
                _ => None,
            },
            _ => None,
        };
        if !name.is_some_and(|name| {
            FUTURE_RUNNERS
                .iter()
                .any(|(path, ..)| path.rsplit("::").next() == Some(name.as_str()))
        }) {
            return None;
        }
        let args: Vec<&Expr<'_>> = match call.kind {
            ExprKind::Call(_, args) => args.iter().collect(),
            ExprKind::MethodCall(_, receiver, args, _) => std::iter::once(receiver).chain(args).collect(),
            _ => return None,
        };
        let owner = tcx.hir_enclosing_body_owner(call.hir_id);
        let (callee, _) = callee_of(tcx, tcx.typeck(owner), call)?;
        let &(path, runtime_index, future_index) = FUTURE_RUNNERS
            .iter()
            .find(|(path, ..)| self.resolve(path).contains(&callee))?;
        if args.get(future_index).is_none_or(|arg| arg.hir_id != future.hir_id) {
            return None;
        }
        let flavour = if path.contains("LocalRuntime") {
            Some(RuntimeFlavour::CurrentThread)
        } else {
            args.get(runtime_index)
                .and_then(|runtime| self.flavour_of_runtime(owner, runtime))
        };
        Some(FutureRunner {
            span: call.span,
            flavour,
            local_set: path.contains("LocalSet"),
        })
    }

    /// The flavour of the runtime `expr` evaluates to, when its construction is in sight: the
    /// expression itself (`Builder::new_current_thread().build().unwrap()`), or the `let` that
    /// made the local it names.
    fn flavour_of_runtime(&self, owner: LocalDefId, expr: &'tcx Expr<'tcx>) -> Option<RuntimeFlavour> {
        let tcx = self.tcx;
        let mut expr = expr;
        while let ExprKind::AddrOf(_, _, inner) = expr.kind {
            expr = inner;
        }
        if let ExprKind::Path(QPath::Resolved(None, path)) = expr.kind
            && let Res::Local(binding) = path.res
        {
            // `let rt = ..`, or a pattern that unwraps what the builder returns
            // (`if let Ok(rt) = Builder::new_multi_thread().build()`, `let Ok(rt) = .. else`).
            let mut node = binding;
            let init = loop {
                match tcx.parent_hir_node(node) {
                    Node::Pat(pat) if matches!(pat.kind, PatKind::TupleStruct(..) | PatKind::Ref(..)) => {
                        node = pat.hir_id;
                    }
                    Node::LetStmt(local) => break local.init?,
                    Node::Expr(Expr {
                        kind: ExprKind::Let(let_expr),
                        ..
                    }) => break let_expr.init,
                    _ => return None,
                }
            };
            return self.flavour_built_by(owner, init);
        }
        self.flavour_built_by(owner, expr)
    }

    /// The one flavour the runtime constructors called in `expr` give.
    fn flavour_built_by(&self, owner: LocalDefId, expr: &'tcx Expr<'tcx>) -> Option<RuntimeFlavour> {
        let typeck = self.tcx.typeck(owner);
        let mut found = None;
        let conflicting = for_each_expr(self.tcx, expr, |inner| {
            if let Some((callee, _)) = callee_of(self.tcx, typeck, inner)
                && let Some(flavour) = self.constructor_flavour(callee)
            {
                if found.is_some_and(|known| known != flavour) {
                    return ControlFlow::Break(());
                }
                found = Some(flavour);
            }
            ControlFlow::Continue(())
        })
        .is_some();
        if conflicting { None } else { found }
    }

    /// The flavour of the runtime a runtime attribute's wrapper fn builds.
    pub(super) fn flavour_built_in(&self, wrapper: LocalDefId) -> Option<RuntimeFlavour> {
        let flavours: Vec<RuntimeFlavour> = self
            .call_sites(wrapper)
            .iter()
            .filter_map(|site| self.constructor_flavour(site.callee))
            .collect();
        let first = *flavours.first()?;
        flavours.iter().all(|&flavour| flavour == first).then_some(first)
    }

    fn constructor_flavour(&self, callee: DefId) -> Option<RuntimeFlavour> {
        RUNTIME_FLAVOURS
            .iter()
            .find(|(path, _)| self.resolve(path).contains(&callee))
            .map(|&(_, flavour)| flavour)
    }

    /// Whether the body of `owner` runs where no runtime is entered, and why. Only bodies that
    /// prove it count: a synchronous `main` or `#[test]`, a closure given to
    /// `std::thread::spawn`, and closures those call in place. Cached.
    #[must_use]
    pub fn runtime_free_context(&self, owner: LocalDefId) -> Option<RuntimeFree> {
        if let Some(&known) = self.runtime_free.borrow().get(&owner) {
            return known;
        }
        let context = self.compute_runtime_free(owner);
        self.runtime_free.borrow_mut().insert(owner, context);
        context
    }

    fn compute_runtime_free(&self, owner: LocalDefId) -> Option<RuntimeFree> {
        let tcx = self.tcx;
        match tcx.hir_node_by_def_id(owner) {
            Node::Item(_) => {
                if tcx.asyncness(owner).is_async() || self.is_runtime_attribute_wrapper(owner) {
                    return None;
                }
                if tcx.entry_fn(()).is_some_and(|(main, _)| main == owner.to_def_id()) {
                    Some(RuntimeFree::Main)
                } else if is_test_function(tcx, owner) {
                    Some(RuntimeFree::Test)
                } else {
                    None
                }
            }
            Node::Expr(
                expr @ Expr {
                    kind: ExprKind::Closure(closure),
                    ..
                },
            ) if matches!(closure.kind, ClosureKind::Closure) => {
                if self.starts_a_thread(expr) {
                    return Some(RuntimeFree::NewThread);
                }
                if !self.closure_runs_inline(closure.kind, owner) {
                    return None;
                }
                self.runtime_free_context(tcx.hir_enclosing_body_owner(expr.hir_id))
            }
            _ => None,
        }
    }

    /// Whether `closure` is the argument of a call that starts a new thread with it.
    fn starts_a_thread(&self, closure: &Expr<'_>) -> bool {
        let tcx = self.tcx;
        let Node::Expr(call) = tcx.parent_hir_node(closure.hir_id) else {
            return false;
        };
        let passed = match call.kind {
            ExprKind::Call(_, args) | ExprKind::MethodCall(_, _, args, _) => {
                args.iter().any(|arg| arg.hir_id == closure.hir_id)
            }
            _ => false,
        };
        let owner = tcx.hir_enclosing_body_owner(call.hir_id);
        passed
            && callee_of(tcx, tcx.typeck(owner), call)
                .is_some_and(|(callee, _)| NEW_THREADS.iter().any(|path| self.resolve(path).contains(&callee)))
    }

    /// Whether the body of `owner` enters a runtime's context, or checks for one, before `span`
    /// (`let _guard = rt.enter();`, `Handle::try_current()`); with no `span`, anywhere. What
    /// comes after is not `missing_runtime`'s to judge.
    #[must_use]
    pub fn enters_runtime_context(&self, owner: LocalDefId, span: Option<Span>) -> bool {
        self.call_sites(owner).iter().any(|site| {
            span.is_none_or(|span| site.span.lo() < span.lo()) && self.runtime_context_entries.contains(&site.callee)
        })
    }
}
