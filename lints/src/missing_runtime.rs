use crate::Call;
use crate::diag::{emit_lint, explain_chain};
use crate::engine::{Effect, Reach, RuntimeFree};
use async_lint_config::catalogue::Category;
use rustc_lint::{LateContext, declare_lint};
use rustc_span::def_id::LocalDefId;

declare_lint! {
    /// ### What it does
    /// Finds calls that need the context of a tokio runtime, reached directly or through any
    /// chain of synchronous functions from code that runs where no runtime is entered.
    ///
    /// That code is:
    /// - a synchronous `fn main` (not `#[tokio::main]`), before it enters a runtime;
    /// - a synchronous `#[test]` (not `#[tokio::test]`);
    /// - a closure given to `std::thread::spawn` (or `Builder::spawn`, a scoped spawn): a new
    ///   thread has none of its parent's runtime context.
    ///
    /// What needs a runtime is the catalogue's `runtime-context` and `task-spawn` categories:
    /// `tokio::spawn`, `tokio::task::spawn_local`, `tokio::task::spawn_blocking`,
    /// `JoinSet::spawn`, `Handle::current()`, tokio's timers
    /// (`sleep`, `sleep_until`, `interval`, `timeout`), and the I/O types that register with the
    /// reactor when they are made (`TcpStream::from_std` and friends, `UnixListener::bind`,
    /// `AsyncFd::new`, `process::Command::spawn`, `signal::unix::signal`).
    ///
    /// ### Why is this bad?
    /// Each of these panics with "there is no reactor running, must be called from the context
    /// of a Tokio 1.x runtime" when it runs on a thread that has not entered a runtime. The
    /// compiler cannot tell: the call type-checks anywhere.
    ///
    /// ### Known problems
    /// The lint reports only what it can prove, so it stays quiet wherever it cannot tell: in
    /// async code and the futures given to `block_on` (they run inside the runtime); in closures
    /// given to `spawn_blocking`; after `let _guard = runtime.enter()` or `handle.enter()` (and
    /// after `Handle::try_current()`) in the same body, and in any function that enters or checks
    /// for a runtime itself; in `Drop` impls and in synchronous functions with no known caller. A
    /// guard dropped again before the call (`{ let _g = rt.enter(); } tokio::spawn(..)`) is
    /// taken as still held. Calls through `dyn Trait` or function pointers are not followed.
    ///
    /// ### Example
    /// ```no_run
    /// fn start_metrics() {
    ///     tokio::spawn(async { /* ... */ });
    /// }
    ///
    /// fn main() {
    ///     start_metrics();
    ///     let runtime = tokio::runtime::Runtime::new().unwrap();
    ///     runtime.block_on(serve());
    /// }
    /// ```
    /// Use instead:
    /// ```no_run
    /// fn main() {
    ///     let runtime = tokio::runtime::Runtime::new().unwrap();
    ///     let _guard = runtime.enter();
    ///     start_metrics();
    ///     runtime.block_on(serve());
    /// }
    /// ```
    ///
    /// ### Configuration
    /// - `lints.missing_runtime` (default: `"warn"`): the lint's level.
    /// - `catalogue.blocking` entries with the category `runtime-context` (or `task-spawn`) add APIs that need a
    ///   runtime; `catalogue.ignore` drops built-in ones.
    pub MISSING_RUNTIME,
    Warn,
    "tokio call that needs a runtime, reached where none is entered"
}

/// Reports a call in the body of `owner`, which runs where no runtime is entered, when it
/// reaches an API that needs one.
pub fn check_call<'tcx>(cx: &LateContext<'tcx>, call: &Call<'_, 'tcx, (LocalDefId, RuntimeFree)>) {
    let (span, (owner, context)) = (call.span, call.context);
    // After `let _guard = rt.enter()` (or a check for a runtime) the body decides for itself.
    if call.engine.enters_runtime_context(owner, Some(call.expr.span)) {
        return;
    }
    let Some(reach) = call.engine.reach(call.callee, call.args, Effect::NeedsRuntime) else {
        return;
    };
    let message = reach.message(cx.tcx, "needs a tokio runtime, and none is entered here");
    emit_lint(cx, MISSING_RUNTIME, call.expr.hir_id, span, message, |diag| {
        let (where_, help) = match context {
            RuntimeFree::Main => (
                "in a synchronous `main`, before any runtime is entered",
                "build the runtime first and enter it (`let _guard = runtime.enter();`), or make the call inside \
                 `runtime.block_on(async { .. })`",
            ),
            RuntimeFree::Test => (
                "in a synchronous test, which runs on no runtime",
                "make the test `#[tokio::test] async fn`, or build a runtime in the test and make the call inside \
                 `runtime.block_on(async { .. })`",
            ),
            RuntimeFree::NewThread => (
                "on a new thread, which has no runtime context",
                "give the thread a `tokio::runtime::Handle` and enter it first (`let _guard = handle.enter();`), or \
                 spawn from the runtime instead (`handle.spawn(..)`)",
            ),
        };
        diag.span_label(span, format!("called {where_}"));
        if let Reach::Through { witness, .. } = &reach {
            explain_chain(cx, diag, witness);
        }
        diag.note(Category::RuntimeContext.runtime_failure());
        diag.help(help);
    });
}
