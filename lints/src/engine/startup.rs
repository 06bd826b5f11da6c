//! The start of the program's `async fn main` (`#[tokio::main]`, `#[async_std::main]`): until
//! its first `.await`, and until it first uses the runtime (spawning a task, a timer, an I/O
//! type), its future is the only task the runtime has, so a blocking call there (reading the
//! configuration, opening a log file) delays nothing else.

use super::{Effect, Engine};
use rustc_hir::intravisit::{self, Visitor};
use rustc_hir::{CoroutineDesugaring, CoroutineKind, Expr, ExprKind, MatchSource};
use rustc_span::def_id::LocalDefId;
use rustc_span::{BytePos, Span};

impl Engine<'_> {
    /// Whether `span`, in the async body `body`, runs while the program's `async fn main` is the
    /// only task: `body` is the async block `main`'s attribute made of its body, and `span` comes
    /// before the block's first `.await` and before its first call that needs the runtime.
    #[must_use]
    pub fn runs_before_other_tasks(&self, body: LocalDefId, span: Span) -> bool {
        let Some(end) = self.startup_end(body) else {
            return false;
        };
        let span = span.source_callsite();
        span.lo() < end
    }

    /// Where the start of `main`'s async block ends, for that block (`None` for other bodies);
    /// cached.
    fn startup_end(&self, body: LocalDefId) -> Option<BytePos> {
        if let Some(&known) = self.startup_ends.borrow().get(&body) {
            return known;
        }
        let end = self.startup_end_uncached(body);
        self.startup_ends.borrow_mut().insert(body, end);
        end
    }

    fn startup_end_uncached(&self, body: LocalDefId) -> Option<BytePos> {
        let tcx = self.tcx;
        let (entry, _) = tcx.entry_fn(())?;
        let async_block = matches!(
            tcx.coroutine_kind(body),
            Some(CoroutineKind::Desugared(CoroutineDesugaring::Async, _))
        );
        if !async_block || tcx.parent(body.to_def_id()) != entry {
            return None;
        }
        let value = tcx.hir_maybe_body_owned_by(body)?.value;
        let mut awaits = FirstAwait { first: None };
        awaits.visit_expr(value);
        let runtime_uses = self
            .call_sites(body)
            .iter()
            .filter(|site| self.reach(site.callee, site.args, Effect::NeedsRuntime).is_some())
            .map(|site| site.span.source_callsite().lo())
            .min();
        // A body with neither ends where it ends.
        [awaits.first, runtime_uses]
            .into_iter()
            .flatten()
            .min()
            .or(Some(value.span.hi()))
    }
}

/// The first `.await` of a body (not of the closures and async blocks inside it, which run
/// when they are called or awaited).
struct FirstAwait {
    first: Option<BytePos>,
}

impl<'tcx> Visitor<'tcx> for FirstAwait {
    fn visit_expr(&mut self, expr: &'tcx Expr<'tcx>) {
        // `match IntoFuture::into_future(<operand>) { .. }`: the task waits once the operand
        // (`serve(Args::parse())` in `serve(Args::parse()).await`) has run.
        if let ExprKind::Match(scrutinee, _, MatchSource::AwaitDesugar) = expr.kind {
            let operand = match scrutinee.kind {
                ExprKind::Call(_, [operand]) => operand,
                _ => scrutinee,
            };
            let at = operand.span.source_callsite().hi();
            self.first = Some(self.first.map_or(at, |first| first.min(at)));
        }
        intravisit::walk_expr(self, expr);
    }
}
