use crate::AsyncCall;
use crate::diag::{emit_lint, explain_chain};
use crate::engine::{ContextInfo, Effect, Reach};
use async_lint_config::catalogue::{Category, Entry};
use clippy_utils::is_in_test;
use clippy_utils::source::snippet_with_context;
use clippy_utils::ty::implements_trait;
use rustc_errors::Applicability;
use rustc_hir::intravisit::{self, Visitor};
use rustc_hir::{Expr, ExprKind, Node, Pat, PatKind, StmtKind};
use rustc_lint::{LateContext, Lint, declare_lint};
use rustc_span::def_id::DefId;
use rustc_span::sym;
use std::ops::ControlFlow;

declare_lint! {
    /// ### What it does
    /// Finds calls that block the current thread made from async code: inside an `async fn`, an
    /// `async` block or an async closure, or a closure such code runs inline (`iter.map(..)`,
    /// `Option::map`, a closure stored in a local and called). It follows chains of synchronous
    /// functions of the crate, so a handler that calls `load_settings()`, which calls
    /// `std::fs::read_to_string`, is reported at the handler's call, with the chain in notes.
    ///
    /// Blocking means the catalogue: `std::thread::sleep`; `std::fs` functions and `File`,
    /// `OpenOptions`, `ReadDir` and `DirEntry` operations; `Read`/`Write`/`BufRead` methods on
    /// files, TCP streams, the standard input and child process pipes; `std::net` connects,
    /// accepts, sends, receives and DNS lookups; `Command::output`/`status` and `Child::wait`;
    /// `mpsc` receives and bounded sends, `Condvar` and `Barrier` waits, `thread::park`,
    /// `thread::scope` and `JoinHandle::join`; tokio's `blocking_*` methods; and the synchronous
    /// clients of `reqwest::blocking`, `ureq`, `postgres`, `rusqlite` and `diesel`. Entries of
    /// crates your build does not use are skipped.
    ///
    /// Code handed to another thread is not async context: closures and functions passed to
    /// `tokio::task::spawn_blocking`, `block_in_place`, `std::thread::spawn` and scoped spawns,
    /// `rayon` spawns, and the unblock helpers of async-std, smol and `blocking`; closures passed
    /// where a function requires a `Send + 'static` closure (only code that runs on another
    /// thread needs those bounds, as with a pool's `interact`); and closures passed to this
    /// crate's own wrappers that hand them on to any of these.
    ///
    /// ### Why is this bad?
    /// An async executor runs many tasks on a few threads. A task that blocks its thread stops
    /// every other task scheduled there: timers fire late, requests queue up, and on a
    /// current-thread runtime the whole program stalls until the call returns. Tokio's
    /// `blocking_*` methods go further and panic when called on a runtime thread.
    ///
    /// ### Known problems
    /// Calls through `dyn Trait`, function pointers and trait methods on generic types whose
    /// concrete type the async code does not know are not followed. Functions of other crates
    /// are only known through the catalogue (`catalogue.blocking` adds your own). A closure is
    /// taken to run inline unless it is passed to a boundary, directly or through a local; a
    /// `Send + 'static` callback that is stored and later called on the executor is missed.
    /// Findings in test code are reported by `blocking_in_async_in_tests` instead.
    ///
    /// ### Example
    /// ```no_run
    /// fn load_settings() -> String {
    ///     std::fs::read_to_string("settings.toml").unwrap_or_default()
    /// }
    ///
    /// async fn handler() {
    ///     std::thread::sleep(std::time::Duration::from_millis(100));
    ///     let settings = load_settings();
    /// }
    /// ```
    /// Use instead:
    /// ```no_run
    /// async fn handler() {
    ///     tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    ///     let settings = tokio::task::spawn_blocking(load_settings).await;
    /// }
    /// ```
    ///
    /// ### Configuration
    /// - `lints.blocking_in_async` (default: `"warn"`): the lint's level.
    /// - `catalogue.blocking` (default: `[]`): more functions that block, as
    ///   `{ path = "crate::module::function", category = "network", hint = "..." }`.
    /// - `catalogue.ignore` (default: `[]`): built-in catalogue paths to drop.
    /// - `catalogue.boundaries` (default: `[]`): more functions whose closure arguments run on
    ///   another thread, such as your own wrapper around `spawn_blocking`.
    pub BLOCKING_IN_ASYNC,
    Warn,
    "blocking call reachable from async code"
}

declare_lint! {
    /// ### What it does
    /// The same findings as `blocking_in_async`, in test code: `#[test]` and `#[tokio::test]`
    /// functions, `#[cfg(test)]` modules and integration tests under `tests/`.
    ///
    /// ### Why is this bad?
    /// Tests run on async runtimes too, often the current-thread one, where a blocking call
    /// stalls every task the test spawned: tests get slow, and tests of channels or timeouts
    /// deadlock or pass for the wrong reason. It is a lint of its own so that its level can
    /// differ from production code's (for example `allow` while a suite is migrated).
    ///
    /// ### Known problems
    /// As for `blocking_in_async`. `#[test]` functions are only recognised in builds with
    /// `--tests` (`cargo async-lint --all-targets`).
    ///
    /// ### Example
    /// ```no_run
    /// #[tokio::test]
    /// async fn times_out() {
    ///     std::thread::sleep(std::time::Duration::from_secs(1));
    /// }
    /// ```
    /// Use instead:
    /// ```no_run
    /// #[tokio::test]
    /// async fn times_out() {
    ///     tokio::time::sleep(std::time::Duration::from_secs(1)).await;
    /// }
    /// ```
    ///
    /// ### Configuration
    /// - `lints.blocking_in_async_in_tests` (default: `"warn"`): the lint's level.
    /// - The `catalogue` keys of `blocking_in_async` apply here too.
    pub BLOCKING_IN_ASYNC_IN_TESTS,
    Warn,
    "blocking call reachable from async test code"
}

/// Reports `call` when it reaches a blocking API; returns whether it does.
#[must_use = "the report counts the calls this finds"]
pub fn check_call(cx: &LateContext<'_>, call: &AsyncCall<'_, '_>, has_tokio_time: bool) -> bool {
    let Some(reach) = call.engine.reach(call.callee, call.args, Effect::Blocks) else {
        return false;
    };
    let lint = if is_in_test(cx.tcx, call.expr.hir_id) {
        BLOCKING_IN_ASYNC_IN_TESTS
    } else {
        BLOCKING_IN_ASYNC
    };
    report(cx, lint, call, &reach, has_tokio_time);
    true
}

/// How diagnostics name what a call reaches: the catalogued API, or the first function of the
/// chain.
#[must_use]
pub fn callee_name(cx: &LateContext<'_>, reach: &Reach<'_>) -> String {
    match reach {
        Reach::Direct(entry) => entry.display_name(),
        Reach::Through { function, .. } => cx.tcx.def_path_str(*function),
    }
}

fn report(
    cx: &LateContext<'_>,
    lint: &'static Lint,
    call: &AsyncCall<'_, '_>,
    reach: &Reach<'_>,
    has_tokio_time: bool,
) {
    let (expr, context) = (call.expr, call.context);
    let name = callee_name(cx, reach);
    let entry = reach.entry();
    let what = if matches!(expr.kind, ExprKind::Path(_)) {
        "blocking function called from"
    } else {
        "blocking call in"
    };
    emit_lint(
        cx,
        lint,
        expr.hir_id,
        call.span,
        format!("`{name}` blocks the async executor"),
        |diag| {
            let effect = match reach {
                Reach::Direct(entry) => format!(": it {}", entry.category.description()),
                Reach::Through { .. } => String::new(),
            };
            diag.span_label(call.span, format!("{what} {}{effect}", context.description()));
            match reach {
                Reach::Direct(entry) => {
                    if let Some((replacement, applicability)) = sleep_rewrite(cx, expr, entry, context, has_tokio_time)
                    {
                        diag.span_suggestion(
                            expr.span,
                            "use the async timer and await it",
                            replacement,
                            applicability,
                        );
                    } else {
                        diag.help(entry.hint(call.engine.uses_tokio));
                    }
                }
                Reach::Through { witness, .. } => {
                    explain_chain(cx, diag, witness);
                    diag.help(entry.hint_through(&name, call.engine.uses_tokio));
                }
            }
            if std::ptr::eq(lint, BLOCKING_IN_ASYNC_IN_TESTS) {
                diag.note("this is test code: `blocking_in_async_in_tests` sets its level apart");
            }
        },
    );
}

/// `std::thread::sleep(d)` → `::tokio::time::sleep(d).await`, offered when the crate uses tokio
/// with its timer and the call is written in the async body itself (not in a closure, where
/// `.await` cannot go, nor produced by a macro).
///
/// Machine-applicable only where it surely compiles: the call is a whole statement, and no local
/// of the async body has a type that is not `Send` (a new `.await` could keep it in the future,
/// which would then no longer be `Send`, and `tokio::spawn` of it would stop compiling).
fn sleep_rewrite(
    cx: &LateContext<'_>,
    expr: &Expr<'_>,
    entry: &Entry,
    context: ContextInfo,
    has_tokio_time: bool,
) -> Option<(String, Applicability)> {
    if entry.category != Category::Sleep || !has_tokio_time || context.in_closure || expr.span.from_expansion() {
        return None;
    }
    let ExprKind::Call(_, [duration]) = expr.kind else {
        return None;
    };
    let mut applicability = Applicability::MachineApplicable;
    let (duration, _) = snippet_with_context(cx, duration.span, expr.span.ctxt(), "..", &mut applicability);
    let is_statement = matches!(
        cx.tcx.parent_hir_node(expr.hir_id),
        Node::Stmt(stmt) if matches!(stmt.kind, StmtKind::Semi(_))
    );
    if !is_statement || body_has_non_send_local(cx) {
        applicability = Applicability::MaybeIncorrect;
    }
    Some((format!("::tokio::time::sleep({duration}).await"), applicability))
}

/// Whether a parameter or local of the body being checked has a type that is not `Send`.
fn body_has_non_send_local(cx: &LateContext<'_>) -> bool {
    let (Some(body), Some(send)) = (cx.enclosing_body, cx.tcx.get_diagnostic_item(sym::Send)) else {
        return true;
    };
    NonSendBinding { cx, send }.visit_body(cx.tcx.hir_body(body)).is_break()
}

/// Breaks at a binding whose type is not `Send` (nested bodies are not entered).
struct NonSendBinding<'a, 'tcx> {
    cx: &'a LateContext<'tcx>,
    send: DefId,
}

impl<'tcx> Visitor<'tcx> for NonSendBinding<'_, 'tcx> {
    type Result = ControlFlow<()>;

    fn visit_pat(&mut self, pat: &'tcx Pat<'tcx>) -> ControlFlow<()> {
        if let PatKind::Binding(..) = pat.kind
            && !implements_trait(self.cx, self.cx.typeck_results().pat_ty(pat), self.send, &[])
        {
            return ControlFlow::Break(());
        }
        intravisit::walk_pat(self, pat)
    }
}
