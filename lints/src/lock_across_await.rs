use crate::diag::emit_lint;
use crate::engine::{Engine, binding_at, borrows, held_across_awaits, release_point, scrutinee_holding};
use async_lint_config::catalogue::GuardKind;
use clippy_utils::source::{indent_of, snippet_with_context};
use clippy_utils::ty::implements_trait;
use rustc_errors::Applicability;
use rustc_hir::{Closure, ClosureKind, CoroutineDesugaring, CoroutineKind, Expr, ExprKind};
use rustc_lint::{LateContext, declare_lint};
use rustc_middle::ty;
use rustc_span::sym;

declare_lint! {
    /// ### What it does
    /// Finds a synchronous lock guard, `RefCell` borrow or entered `tracing` span that is still
    /// alive at an `.await`: std's `MutexGuard`, `RwLockReadGuard` and `RwLockWriteGuard`, the
    /// guards of `parking_lot` (`lock_api`) and `spin`, `RefCell`'s `Ref` and `RefMut`,
    /// `tracing`'s `span::Entered` and `span::EnteredSpan`, and types listed in
    /// `catalogue.guards`. A guard counts wherever the future keeps it: in a variable, in a
    /// tuple, array, struct or `Option` that holds it, or captured by an inner `async move` block
    /// that is awaited.
    ///
    /// What is alive at each await comes from the compiler's own analysis of the async body
    /// (the values it stores in the future), not from scopes: a guard dropped with `drop(guard)`
    /// before the await, moved into a function that consumes it, or a temporary that dies at the
    /// end of its statement is not reported. Async-aware locks (`tokio::sync`, `async_lock`,
    /// `futures::lock`) are made to be held across awaits and are not reported.
    ///
    /// `cargo async-lint --fix` inserts `drop(guard);` before the await when the guard's variable
    /// is not used from there on (and nothing bound in between borrows from it). A temporary guard
    /// in a `match` or `if let` scrutinee, which lives until the end of the whole expression, gets
    /// a suggestion to take the value out into a `let` first (cloned when it is borrowed from the
    /// guard).
    ///
    /// ### Why is this bad?
    /// While the task waits, the lock stays taken. Any other task that wants it blocks its
    /// executor thread in `lock()`; if that task runs on the same thread as the waiting one, or
    /// the waiting one needs it to make progress, the program deadlocks. A `RefCell` borrow held
    /// over an await makes any other borrow during the wait panic ("already borrowed"). Such a
    /// guard also makes the future `!Send`, so it cannot be spawned on a multi-threaded runtime.
    /// An entered span stays entered on the executor thread while the task waits: everything the
    /// other tasks on that thread record is attributed to it, and it is exited wherever the task
    /// resumes.
    ///
    /// ### Known problems
    /// A guard kept alive only on some paths to the await is reported, since the compiler keeps
    /// it in the future. A guard behind a reference is not looked for (the value it points to is
    /// held elsewhere), nor inside the standard library's containers other than through their
    /// type arguments. A guard moved out before the await is
    /// recognised when the move is a statement of the block holding the await (or of one around
    /// it), not inside a condition or a loop. A temporary in a `while let` scrutinee gets help
    /// only: taken out before the loop, the value would be read once instead of on each pass.
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
    "synchronous lock guard, `RefCell` borrow or entered span held across an `.await`"
}

/// Offers the edit that releases the guard before the await, when the body shows one: `drop`
/// of a variable not used after the await (machine-applicable), or a temporary of a `match` /
/// `if let` scrutinee taken out into a `let` first (a suggestion: the value is copied out, or
/// cloned, and the code around may want another name). Returns whether it offered one.
fn suggest_release<'tcx>(
    cx: &LateContext<'tcx>,
    diag: &mut crate::diag::Finding<'_, '_>,
    coroutine: rustc_span::def_id::LocalDefId,
    held: &crate::engine::Held<'tcx>,
    guard: GuardKind,
) -> bool {
    let indent = |span: rustc_span::Span| " ".repeat(indent_of(cx, span).unwrap_or(0));
    if let (Some(name), Some(statement)) = (held.variable(), release_point(cx.tcx, coroutine, held)) {
        diag.span_suggestion(
            statement.shrink_to_lo(),
            format!("release the {} before the `.await`", guard.noun()),
            format!("drop({name});\n{}", indent(statement)),
            Applicability::MachineApplicable,
        );
        return true;
    }
    let Some((scrutinee, statement)) = scrutinee_holding(cx.tcx, coroutine, held) else {
        return false;
    };
    if scrutinee.span.from_expansion() || statement.from_expansion() {
        return false;
    }
    let typeck = cx.tcx.typeck(coroutine);
    let ty = typeck.expr_ty(scrutinee);
    let clone = cx.tcx.lang_items().clone_trait();
    let cloneable =
        |inner: ty::Ty<'tcx>| !borrows(inner) && clone.is_some_and(|clone| implements_trait(cx, inner, clone, &[]));
    // An owned value is taken out as it is (a place in the guard only when it is `Copy`, else
    // cloned); a borrowed one is cloned out of the guard.
    let is_place = matches!(
        scrutinee.kind,
        ExprKind::Unary(rustc_hir::UnOp::Deref, _) | ExprKind::Field(..) | ExprKind::Index(..)
    );
    let copy = cx.tcx.type_is_copy_modulo_regions(cx.typing_env(), ty);
    let mut wrap = false;
    let take_out = if !borrows(ty) && (!is_place || copy) {
        ""
    } else if !borrows(ty) && cloneable(ty) {
        wrap = true;
        ".clone()"
    } else if let ty::Ref(_, inner, _) = ty.kind()
        && cloneable(*inner)
    {
        ".clone()"
    } else if let ty::Adt(adt, args) = ty.kind()
        && cx.tcx.is_diagnostic_item(sym::Option, adt.did())
        && let ty::Ref(_, inner, _) = args.type_at(0).kind()
        && cloneable(*inner)
    {
        ".cloned()"
    } else {
        return false;
    };
    let mut applicability = Applicability::MaybeIncorrect;
    let (text, _) = snippet_with_context(cx, scrutinee.span, statement.ctxt(), "..", &mut applicability);
    let text = if wrap { format!("({text})") } else { text.into_owned() };
    diag.multipart_suggestion(
        format!(
            "take the value out before the `{}`, so the temporary {} is released at once",
            if matches!(
                cx.tcx.parent_hir_node(scrutinee.hir_id),
                rustc_hir::Node::Expr(Expr {
                    kind: ExprKind::Let(_),
                    ..
                })
            ) {
                "if let"
            } else {
                "match"
            },
            guard.noun()
        ),
        vec![
            (
                statement.shrink_to_lo(),
                format!("let value = {text}{take_out};\n{}", indent(statement)),
            ),
            (scrutinee.span, "value".to_owned()),
        ],
        applicability,
    );
    true
}

/// Reports the guards an async body keeps across its awaits.
pub fn check_expr<'tcx>(cx: &LateContext<'tcx>, engine: &Engine<'tcx>, expr: &Expr<'_>) {
    let ExprKind::Closure(Closure {
        kind: ClosureKind::Coroutine(CoroutineKind::Desugared(CoroutineDesugaring::Async, _)),
        def_id,
        ..
    }) = expr.kind
    else {
        return;
    };
    for held in held_across_awaits(cx.tcx, *def_id) {
        let Some((guard, guard_ty)) = engine.guard_held_across_await(*def_id, &held) else {
            continue;
        };
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
                let optional =
                    matches!(held.ty.kind(), ty::Adt(adt, _) if cx.tcx.is_diagnostic_item(sym::Option, adt.did()));
                if guard_ty == held.ty || optional {
                    diag.span_label(held.span, format!("`{}` created here", held.ty));
                } else {
                    diag.span_label(held.span, format!("`{}` created here, holding a `{guard_ty}`", held.ty));
                }
                for await_span in &held.awaits {
                    diag.span_note(*await_span, format!("the {} is still held at this await", guard.noun()));
                }
                diag.note(guard.consequence(send));
                if matches!(held.ty.kind(), ty::Coroutine(..)) {
                    diag.help(format!(
                        "the `async` block keeps the {} it captured while it waits: release it inside the block before \
                         its first `.await`",
                        guard.noun()
                    ));
                } else if !suggest_release(cx, diag, *def_id, &held, guard) {
                    diag.help(guard.remedy(held.variable().as_ref().map(rustc_span::Symbol::as_str)));
                }
            },
        );
    }
}
