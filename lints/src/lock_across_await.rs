use crate::diag::emit_lint;
use crate::engine::{Engine, binding_at, held_across_awaits, moved_out_before};
use async_lint_config::catalogue::GuardKind;
use clippy_utils::ty::implements_trait;
use rustc_hir::{Closure, ClosureKind, CoroutineDesugaring, CoroutineKind, Expr, ExprKind};
use rustc_lint::{LateContext, LintContext, declare_lint};
use rustc_middle::ty;
use rustc_span::sym;

declare_lint! {
    /// ### What it does
    /// Finds a synchronous lock guard or `RefCell` borrow that is still alive at an `.await`:
    /// std's `MutexGuard`, `RwLockReadGuard` and `RwLockWriteGuard`, the guards of `parking_lot`
    /// (`lock_api`) and `spin`, `RefCell`'s `Ref` and `RefMut`, and types listed in
    /// `catalogue.guards`.
    ///
    /// What is alive at each await comes from the compiler's own analysis of the async body
    /// (the values it stores in the future), not from scopes: a guard dropped with `drop(guard)`
    /// before the await, moved into a function that consumes it, or a temporary that dies at the
    /// end of its statement is not reported. Async-aware locks (`tokio::sync`, `async_lock`,
    /// `futures::lock`) are made to be held across awaits and are not reported.
    ///
    /// ### Why is this bad?
    /// While the task waits, the lock stays taken. Any other task that wants it blocks its
    /// executor thread in `lock()`; if that task runs on the same thread as the waiting one, or
    /// the waiting one needs it to make progress, the program deadlocks. A `RefCell` borrow held
    /// over an await makes any other borrow during the wait panic ("already borrowed"). Such a
    /// guard also makes the future `!Send`, so it cannot be spawned on a multi-threaded runtime.
    ///
    /// ### Known problems
    /// A guard kept alive only on some paths to the await is reported, since the compiler keeps
    /// it in the future. Guards inside another value (other than an `Option`) and guards captured by
    /// an inner `async move` block are not recognised. A guard moved out before the await is
    /// recognised when the move is a statement of the block holding the await (or of one around
    /// it), not inside a condition or a loop.
    ///
    /// ### Example
    /// ```no_run
    /// async fn bump(counter: &std::sync::Mutex<u64>) {
    ///     let mut guard = counter.lock().unwrap();
    ///     *guard += 1;
    ///     save().await;
    /// }
    /// ```
    /// Use instead:
    /// ```no_run
    /// async fn bump(counter: &std::sync::Mutex<u64>) {
    ///     {
    ///         let mut guard = counter.lock().unwrap();
    ///         *guard += 1;
    ///     }
    ///     save().await;
    /// }
    /// ```
    ///
    /// ### Configuration
    /// - `lints.lock_across_await` (default: `"warn"`): the lint's level.
    /// - `catalogue.guards` (default: `[]`): more guard types, by path
    ///   (`"my_crate::sync::Guard"`).
    pub LOCK_ACROSS_AWAIT,
    Warn,
    "synchronous lock guard or `RefCell` borrow held across an `.await`"
}

/// The guard kind of `ty`, or of the value in an `Option` (`m.try_lock().ok()`).
fn guard_in(cx: &LateContext<'_>, engine: &Engine<'_>, ty: rustc_middle::ty::Ty<'_>) -> Option<GuardKind> {
    let ty::Adt(adt, args) = ty.kind() else {
        return None;
    };
    if let Some(kind) = engine.guard_kind(adt.did()) {
        return Some(kind);
    }
    if cx.tcx.is_diagnostic_item(sym::Option, adt.did())
        && let ty::Adt(inner, _) = args.type_at(0).kind()
    {
        return engine.guard_kind(inner.did());
    }
    None
}

/// Reports the guards an async body keeps across its awaits; returns how many.
pub fn check_expr(cx: &LateContext<'_>, engine: &Engine<'_>, expr: &Expr<'_>) -> u64 {
    let ExprKind::Closure(Closure {
        kind: ClosureKind::Coroutine(CoroutineKind::Desugared(CoroutineDesugaring::Async, _)),
        def_id,
        ..
    }) = expr.kind
    else {
        return 0;
    };
    let mut reported = 0;
    for held in held_across_awaits(cx.tcx, *def_id) {
        let Some(guard) = guard_in(cx, engine, held.ty) else {
            continue;
        };
        // The guard's own span: where the value is created. Code another crate's macro wrote
        // is not the user's.
        if held.span.in_external_macro(cx.sess().source_map()) || moved_out_before(cx.tcx, *def_id, &held) {
            continue;
        }
        let send = cx
            .tcx
            .get_diagnostic_item(sym::Send)
            .is_some_and(|send| implements_trait(cx, held.ty, send, &[]));
        emit_lint(
            cx,
            LOCK_ACROSS_AWAIT,
            // The variable's `let`, so `#[allow]` there works; a temporary has only the body.
            binding_at(cx.tcx, *def_id, held.span).unwrap_or(expr.hir_id),
            held.span,
            format!("this {} is held across an `.await`", guard.description()),
            |diag| {
                diag.span_label(held.span, format!("`{}` created here", held.ty));
                for await_span in &held.awaits {
                    diag.span_note(*await_span, format!("the {} is still held at this await", guard.noun()));
                }
                diag.note(guard.consequence(send));
                diag.help(guard.remedy(held.name.as_ref().map(rustc_span::Symbol::as_str)));
            },
        );
        reported += 1;
    }
    reported
}
