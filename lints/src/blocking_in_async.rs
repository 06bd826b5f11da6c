use crate::diag::emit_lint;
use crate::engine::{AsyncContext, Catalogue, Category, Entry, async_context_of};
use clippy_utils::source::snippet_with_context;
use rustc_errors::Applicability;
use rustc_hir::{Expr, ExprKind, Node, StmtKind};
use rustc_lint::{LateContext, LateLintPass, LintContext, declare_lint, impl_lint_pass};

declare_lint! {
    /// ### What it does
    /// Finds calls that block the current thread (sleeping, synchronous file, network and
    /// process I/O, waiting on channels, joins and condition variables, synchronous database
    /// and HTTP clients) made inside an `async fn`, an `async` block or an async closure.
    ///
    /// ### Why is this bad?
    /// An async executor runs many tasks on a few threads. A task that blocks its thread stops
    /// every other task scheduled there: timers fire late, requests queue up, and on a
    /// single-threaded runtime the whole program stalls until the call returns. Tokio's own
    /// `blocking_*` methods go further and panic when called on a runtime thread.
    ///
    /// ### Known problems
    /// Only calls made directly in the async body are found so far; a blocking call reached
    /// through a chain of synchronous helpers is not reported yet. Whether a call blocks is
    /// decided from the catalogue of known APIs, so blocking code in other crates that is not
    /// catalogued is missed.
    ///
    /// ### Example
    /// ```no_run
    /// async fn handler() {
    ///     std::thread::sleep(std::time::Duration::from_millis(100));
    ///     let body = std::fs::read_to_string("page.html").unwrap();
    /// }
    /// ```
    /// Use instead:
    /// ```no_run
    /// async fn handler() {
    ///     tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    ///     let body = tokio::fs::read_to_string("page.html").await.unwrap();
    /// }
    /// ```
    ///
    /// ### Configuration
    /// - `lints.blocking_in_async` (default: `"warn"`): the lint's level.
    pub BLOCKING_IN_ASYNC,
    Warn,
    "blocking call inside async code"
}

/// Reports catalogued blocking calls made directly in an async body.
#[derive(Default)]
pub struct BlockingInAsync {
    /// Resolved at the start of each crate; `None` before that.
    catalogue: Option<Catalogue>,
    /// Whether the crate depends directly on tokio, so `tokio::time::sleep` can be written.
    has_tokio_time: bool,
}

impl_lint_pass!(BlockingInAsync => [BLOCKING_IN_ASYNC]);

impl<'tcx> LateLintPass<'tcx> for BlockingInAsync {
    fn check_crate(&mut self, cx: &LateContext<'tcx>) {
        self.catalogue = Some(Catalogue::resolve(cx.tcx));
        self.has_tokio_time = cx.sess().opts.externs.get("tokio").is_some()
            && !clippy_utils::paths::lookup_path_str(cx.tcx, clippy_utils::paths::PathNS::Value, "tokio::time::sleep")
                .is_empty();
    }

    fn check_expr(&mut self, cx: &LateContext<'tcx>, expr: &'tcx Expr<'tcx>) {
        if !matches!(expr.kind, ExprKind::Call(..) | ExprKind::MethodCall(..))
            || expr.span.in_external_macro(cx.sess().source_map())
        {
            return;
        }
        let Some(catalogue) = &self.catalogue else { return };
        let Some(entry) = catalogue.entry_for_call(cx, expr) else {
            return;
        };
        let Some((_, context)) = async_context_of(cx.tcx, expr.hir_id) else {
            return;
        };
        report(cx, expr, entry, context, self.has_tokio_time);
    }
}

fn report(cx: &LateContext<'_>, expr: &Expr<'_>, entry: Entry, context: AsyncContext, has_tokio_time: bool) {
    let message = format!("`{}` blocks the async executor", entry.path);
    emit_lint(cx, BLOCKING_IN_ASYNC, expr.hir_id, expr.span, message, |diag| {
        diag.span_label(
            expr.span,
            format!(
                "blocking call in an {}: it {}",
                context.description(),
                entry.category.description()
            ),
        );
        if let Some((replacement, applicability)) = sleep_rewrite(cx, expr, entry, has_tokio_time) {
            diag.span_suggestion(
                expr.span,
                "use the async timer and await it",
                replacement,
                applicability,
            );
        } else {
            diag.help(entry.hint());
        }
    });
}

/// `std::thread::sleep(d)` → `tokio::time::sleep(d).await`, offered when the crate uses tokio
/// with its timer and the call is written in the async body itself (not produced by a macro).
/// Machine-applicable only where it surely compiles: the call is a whole statement.
fn sleep_rewrite(
    cx: &LateContext<'_>,
    expr: &Expr<'_>,
    entry: Entry,
    has_tokio_time: bool,
) -> Option<(String, Applicability)> {
    if entry.category != Category::Sleep || !has_tokio_time || expr.span.from_expansion() {
        return None;
    }
    let ExprKind::Call(_, [duration]) = expr.kind else {
        return None;
    };
    let mut applicability = Applicability::MachineApplicable;
    let ctxt = expr.span.ctxt();
    let (duration, _) = snippet_with_context(cx, duration.span, ctxt, "..", &mut applicability);
    let is_statement = matches!(
        cx.tcx.parent_hir_node(expr.hir_id),
        Node::Stmt(stmt) if matches!(stmt.kind, StmtKind::Semi(_))
    );
    if !is_statement {
        applicability = Applicability::MaybeIncorrect;
    }
    Some((format!("tokio::time::sleep({duration}).await"), applicability))
}
