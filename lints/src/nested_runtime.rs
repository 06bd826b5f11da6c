use crate::diag::{drop_label, emit_lint, explain_chain};
use crate::engine::{Engine, Reach};
use crate::{AsyncCall, AsyncDrop};
use async_lint_config::catalogue::Category;
use rustc_hir::{Expr, ExprKind};
use rustc_lint::{LateContext, declare_lint};
use rustc_middle::ty::Ty;
use rustc_span::def_id::DefId;

declare_lint! {
    /// ### What it does
    /// Finds runtime entry reached from async code, directly or through any chain of synchronous
    /// functions of the crate: blocking on a tokio runtime (`Runtime::block_on`,
    /// `Handle::block_on`, `LocalSet::block_on`); dropping a `Runtime` or `LocalRuntime` there,
    /// with `drop(rt)`, at the end of its scope, or inside a value that owns one (a synchronous
    /// client built around a runtime); blocking on a future with another executor
    /// (`futures::executor::block_on`, iterating `block_on_stream`, `LocalPool::run`,
    /// `async_std::task::block_on`, `smol::block_on`, `async_io::block_on`,
    /// `futures_lite::future::block_on`, `pollster::block_on`); and synchronous clients that
    /// drive an inner runtime (`reqwest::blocking`, the sync `postgres` client).
    ///
    /// It also recognises `Handle::try_current()` followed by `handle.block_on(..)` where the
    /// handle was found, in any code: that branch runs exactly when a runtime is present, which
    /// is where `block_on` panics.
    ///
    /// Building a runtime in async code is no finding by itself: what counts is where it is
    /// blocked on and dropped. A runtime moved into `std::thread::spawn(move || rt.block_on(..))`,
    /// returned or stored is fine where it was built.
    ///
    /// Code handed to another thread is not async context, as for `blocking_in_async`: a runtime
    /// built on a fresh `std::thread::spawn` thread, or `Handle::block_on` inside
    /// `tokio::task::spawn_blocking` (the sanctioned bridge), are fine. So are a synchronous
    /// `main` and the code `#[tokio::main]` and `#[tokio::test]` generate.
    ///
    /// ### Why is this bad?
    /// Tokio panics with "Cannot start a runtime from within a runtime" when a thread that
    /// drives async tasks blocks on a runtime, and with "Cannot drop a runtime in a context where
    /// blocking is not allowed" when a runtime is dropped there. Other executors' `block_on`
    /// stall the runtime's thread and deadlock when the future needs that thread, which on a
    /// current-thread runtime it always does.
    ///
    /// ### Known problems
    /// The chain is followed through this crate's functions, as for `blocking_in_async`; a
    /// runtime entered inside another crate that is not in the catalogue is not seen. When a call
    /// both blocks and enters a runtime, only this lint reports it. Every path through a helper
    /// counts, except the `Err`/`None` branch of `Handle::try_current()`, which async code never
    /// takes. A value moved anywhere in a body counts as dropped where it went, even when it is
    /// moved on only some paths. A runtime dropped inside an async block it was moved into, or
    /// kept in a future that is dropped, is not seen. The `try_current` pattern is recognised as
    /// `match`/`if let`/`let else` on `Ok(handle)` or `Some(handle)`.
    ///
    /// ### Example
    /// ```no_run
    /// fn fetch_sync(url: &str) -> String {
    ///     futures::executor::block_on(fetch(url))
    /// }
    ///
    /// async fn handler() {
    ///     let page = fetch_sync("https://example.com");
    /// }
    /// ```
    /// Use instead:
    /// ```no_run
    /// async fn handler() {
    ///     let page = fetch("https://example.com").await;
    /// }
    /// ```
    ///
    /// ### Configuration
    /// - `lints.nested_runtime` (default: `"deny"`): the lint's level.
    /// - `catalogue.blocking` entries with the category `tokio-runtime`, `block-on` or
    ///   `runtime-client` add APIs that enter a runtime; `catalogue.ignore` and
    ///   `catalogue.boundaries` apply as for `blocking_in_async`.
    pub NESTED_RUNTIME,
    Deny,
    "runtime entered from async code"
}

/// Reports `call`, which enters a runtime as `reach` shows.
pub fn check_call(cx: &LateContext<'_>, call: &AsyncCall<'_, '_>, reach: &Reach<'_>) {
    let name = reach.callee_name(cx.tcx);
    let entry = reach.entry();
    let message = match (reach, entry.self_ty.as_deref()) {
        // `drop(runtime)`: the value, not the function, is the problem.
        (Reach::Direct(_), Some(dropped)) if entry.is_drop() => format!("a `{dropped}` is dropped inside async code"),
        _ => format!("`{name}` enters a runtime inside async code"),
    };
    emit_lint(cx, NESTED_RUNTIME, call.expr.hir_id, call.span, message, |diag| {
        diag.span_label(call.span, format!("called in {}", call.context.description()));
        match reach {
            // The message says it for tokio's own APIs; the others need the word.
            Reach::Direct(_) if entry.category != Category::TokioRuntime => {
                diag.note(format!("`{}` {}", entry.display_name(), entry.category.description()));
            }
            Reach::Direct(_) => {}
            Reach::Through { witness, .. } => explain_chain(cx, diag, witness),
        }
        diag.note(entry.runtime_failure());
        diag.help(match &entry.hint {
            Some(hint) => hint.to_string(),
            None => remedy(entry.category, &name, call.engine.uses_tokio),
        });
    });
}

/// Reports a value dropped in async code whose drop enters or drops a runtime (a
/// `tokio::runtime::Runtime`, a sync client owning one, a type whose `Drop` blocks on a future):
/// `component` is what enters a runtime, as `reach` shows.
pub fn check_drop<'tcx>(cx: &LateContext<'tcx>, drop: &AsyncDrop<'_, 'tcx>, component: Ty<'tcx>, reach: &Reach<'_>) {
    let (engine, dropped, context) = (drop.engine, &drop.site, drop.context);
    let entry = reach.entry();
    let message = match reach {
        Reach::Direct(_) => format!("a `{component}` is dropped inside async code"),
        Reach::Through { .. } => format!("dropping `{component}` enters a runtime inside async code"),
    };
    emit_lint(cx, NESTED_RUNTIME, dropped.hir_id, dropped.span, message, |diag| {
        diag.span_label(dropped.span, drop_label(dropped, component, context));
        diag.span_note(dropped.created, "the value is created here");
        if let Reach::Through { witness, .. } = reach {
            explain_chain(cx, diag, witness);
        }
        diag.note(entry.runtime_failure());
        diag.help(match &entry.hint {
            Some(hint) => hint.to_string(),
            None => remedy(entry.category, &component.to_string(), engine.uses_tokio),
        });
    });
}

fn remedy(category: Category, name: &str, tokio: bool) -> String {
    if !tokio {
        return format!(
            "`.await` the future instead; if `{name}` must stay synchronous, run it on a thread of its own"
        );
    }
    match category {
        Category::RuntimeClient => format!(
            "use the async client (`reqwest::Client`, `tokio_postgres`), or call `{name}` inside \
             `tokio::task::spawn_blocking`"
        ),
        _ => format!(
            "`.await` the future instead; if `{name}` must stay synchronous, call it inside \
             `tokio::task::spawn_blocking`, where `Handle::current().block_on(..)` is allowed"
        ),
    }
}

/// `if let Ok(handle) = Handle::try_current() { handle.block_on(..) }` and its `match` and
/// `.ok()` forms, outside async code (inside it, `check_call` reports the call anyway).
pub fn check_try_current_block_on<'tcx>(
    cx: &LateContext<'tcx>,
    engine: &Engine<'tcx>,
    expr: &'tcx Expr<'tcx>,
    callee: DefId,
) {
    if !engine.resolve(crate::engine::paths::HANDLE_BLOCK_ON).contains(&callee) {
        return;
    }
    let (ExprKind::MethodCall(_, receiver, ..) | ExprKind::Call(_, [receiver, ..])) = expr.kind else {
        return;
    };
    let Some(try_current) = engine.found_by_try_current(receiver) else {
        return;
    };
    // A `Drop` impl doing this is `block_on_in_drop`'s finding.
    if engine.is_in_drop_impl(expr.hir_id) {
        return;
    }
    emit_lint(
        cx,
        NESTED_RUNTIME,
        expr.hir_id,
        expr.span,
        "`Handle::block_on` runs only where a runtime is present, and panics there",
        |diag| {
            diag.span_note(
                try_current.span,
                "`Handle::try_current()` returns a handle only on a thread that is inside a tokio runtime",
            );
            diag.note(Category::TokioRuntime.runtime_failure());
            diag.help(
                "when a runtime is present, make the caller async and `.await` the future; a caller that must \
                 stay synchronous can wrap the call in `tokio::task::block_in_place` (multi-thread runtime only)",
            );
        },
    );
}
