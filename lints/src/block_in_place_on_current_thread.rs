use crate::Call;
use crate::diag::{emit_lint, explain_chain};
use crate::engine::{CurrentThread, CurrentThreadCause, Effect, Reach};
use async_lint_config::catalogue::Category;
use rustc_lint::{LateContext, declare_lint};

declare_lint! {
    /// ### What it does
    /// Finds `tokio::task::block_in_place` reached, directly or through any chain of functions,
    /// from code that runs on a current-thread tokio runtime.
    ///
    /// That code is:
    /// - the body of `#[tokio::test]` (current-thread unless it says
    ///   `flavor = "multi_thread"`), and of `#[tokio::main(flavor = "current_thread")]` or
    ///   `flavor = "local"`;
    /// - a future given to `block_on` of a runtime built with `Builder::new_current_thread()`,
    ///   of a `LocalRuntime`, or of a `LocalSet` on such a runtime;
    /// - what those run in turn: the async fns they await, the async blocks they await or
    ///   spawn, the closures they call in place.
    ///
    /// Unlike the other lints, the chain goes through async fns too: an async handler awaited
    /// by a test runs on the test's runtime.
    ///
    /// ### Why is this bad?
    /// `block_in_place` is the standard way to run blocking code inside async code, and it
    /// panics on a current-thread runtime: "can call blocking only when running on the
    /// multi-threaded runtime". `#[tokio::test]` defaults to a current-thread runtime, so code
    /// that works in production under `#[tokio::main]` panics in its own tests.
    ///
    /// ### Known problems
    /// Only flavours the code shows are known: `#[tokio::main]`, `#[tokio::test(flavor =
    /// "multi_thread")]`, `Builder::new_multi_thread()` and a runtime handed in from elsewhere
    /// (a parameter, a field, a `static`) are not reported. A future stored in a local before
    /// it is given to `block_on` is not followed. Calls through `dyn Trait` or function pointers
    /// are not followed, as for `blocking_in_async`.
    ///
    /// ### Example
    /// ```no_run
    /// fn checksum(path: &str) -> u64 {
    ///     tokio::task::block_in_place(|| std::fs::read(path).map_or(0, |bytes| bytes.len() as u64))
    /// }
    ///
    /// #[tokio::test]
    /// async fn checksum_of_the_manifest() {
    ///     assert!(checksum("Cargo.toml") > 0);
    /// }
    /// ```
    /// Use instead:
    /// ```no_run
    /// #[tokio::test(flavor = "multi_thread")]
    /// async fn checksum_of_the_manifest() {
    ///     assert!(checksum("Cargo.toml") > 0);
    /// }
    /// ```
    ///
    /// ### Configuration
    /// - `lints.block_in_place_on_current_thread` (default: `"deny"`): the lint's level.
    /// - `catalogue.blocking` entries with the category `multi-thread-only` add APIs that work
    ///   only on a multi-thread runtime.
    pub BLOCK_IN_PLACE_ON_CURRENT_THREAD,
    Deny,
    "`block_in_place` reached on a current-thread runtime"
}

/// Reports a call made where code runs on a current-thread runtime when it reaches an API that
/// works only on a multi-thread runtime.
pub fn check_call<'tcx>(cx: &LateContext<'tcx>, call: &Call<'_, 'tcx, CurrentThread>) {
    let Some(reach) = call.engine.reach(call.callee, call.args, Effect::MultiThreadOnly) else {
        return;
    };
    let (span, context) = (call.span, call.context);
    let message = reach.message(cx.tcx, "panics on a current-thread runtime");
    emit_lint(
        cx,
        BLOCK_IN_PLACE_ON_CURRENT_THREAD,
        call.expr.hir_id,
        span,
        message,
        |diag| {
            let (where_, flavour_note, help) = match context.cause {
                CurrentThreadCause::TestAttribute => (
                    "in a test",
                    "`#[tokio::test]` runs the test on a current-thread runtime unless it says `flavor = \"multi_thread\"`",
                    "run the test on the multi-thread runtime, `#[tokio::test(flavor = \"multi_thread\")]`, or move the \
                 blocking work into `tokio::task::spawn_blocking(..).await`, which works on every runtime",
                ),
                CurrentThreadCause::MainAttribute => (
                    "in `main`",
                    "this attribute runs `main` on a current-thread runtime",
                    "use the multi-thread runtime (`#[tokio::main]`, the default flavour), or move the blocking work into \
                 `tokio::task::spawn_blocking(..).await`, which works on every runtime",
                ),
                CurrentThreadCause::BlockOn => (
                    "in a future given to `block_on`",
                    "this runtime is a current-thread one: the future runs on it",
                    "build the runtime with `Builder::new_multi_thread()`, or move the blocking work into \
                 `tokio::task::spawn_blocking(..).await`, which works on every runtime",
                ),
            };
            diag.span_label(span, format!("called {where_}, on a current-thread runtime"));
            if let Reach::Through { witness, .. } = &reach {
                explain_chain(cx, diag, witness);
            }
            diag.span_note(context.span, flavour_note);
            diag.note(Category::MultiThreadOnly.runtime_failure());
            diag.help(help);
        },
    );
}
