//! A runtime's main task: the future the program's `async fn main` is made of
//! (`#[tokio::main]`, `#[async_std::main]`, `#[actix_web::main]`), or an async block a sync
//! function runs with `block_on`. Two stretches of it run while nothing else needs the thread:
//! - its start, until its first `.await` and until it first uses the runtime (spawning a task,
//!   a timer, an I/O type): it is the only task the runtime has;
//! - its end, after its last `.await` (outside loops that await): the work it waited for is
//!   done, and only the end of `block_on` waits for it.
//!
//! A blocking call there (reading the configuration, writing a report on the way out) delays
//! nothing else.

use super::{Effect, Engine};
use rustc_hir::intravisit::{self, Visitor};
use rustc_hir::{CoroutineDesugaring, CoroutineKind, CoroutineSource, Expr, ExprKind, MatchSource, Node};
use rustc_span::def_id::LocalDefId;
use rustc_span::{BytePos, DesugaringKind, Span};

/// Where in a runtime's main task a call runs while nothing else needs the thread.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MainTaskStretch {
    /// Before its first `.await` and its first use of the runtime.
    Start,
    /// After its last `.await`.
    End,
}

/// The stretches of a main task's body, by position in the source.
#[derive(Clone, Debug)]
pub(super) struct MainTaskStretches {
    /// The start ends here.
    start_end: BytePos,
    /// The end begins here, if the body awaits after its last use of the runtime.
    end_start: Option<BytePos>,
    /// The loops that await: a call in one of them runs between awaits.
    awaiting_loops: Vec<Span>,
}

impl Engine<'_> {
    /// Whether `span`, in the async body `body`, runs in a runtime's main task while nothing
    /// else needs the thread, and in which stretch of it.
    #[must_use]
    pub fn main_task_stretch(&self, body: LocalDefId, span: Span) -> Option<MainTaskStretch> {
        let stretches = self.main_task_stretches(body)?;
        let at = span.source_callsite();
        if at.lo() < stretches.start_end {
            return Some(MainTaskStretch::Start);
        }
        let end_start = stretches.end_start?;
        (at.lo() >= end_start && !stretches.awaiting_loops.iter().any(|looped| looped.contains(at)))
            .then_some(MainTaskStretch::End)
    }

    /// The stretches of `body` when it is a runtime's main task (`None` for other bodies);
    /// cached.
    fn main_task_stretches(&self, body: LocalDefId) -> Option<MainTaskStretches> {
        if let Some(known) = self.main_task_stretches.borrow().get(&body) {
            return known.clone();
        }
        let stretches = self
            .is_main_task(body)
            .then(|| self.compute_main_task_stretches(body))
            .flatten();
        self.main_task_stretches.borrow_mut().insert(body, stretches.clone());
        stretches
    }

    /// Whether `body` is an async block that a runtime runs as its main task: the block of the
    /// program's `async fn main` (the attribute makes `main` a sync fn that runs it), or a block
    /// that sync code hands to `block_on` (`rt.block_on(async { .. })`) or to another function
    /// that enters a runtime with it.
    fn is_main_task(&self, body: LocalDefId) -> bool {
        let tcx = self.tcx;
        if tcx.coroutine_kind(body)
            != Some(CoroutineKind::Desugared(
                CoroutineDesugaring::Async,
                CoroutineSource::Block,
            ))
        {
            return false;
        }
        let parent = tcx.local_parent(body);
        if tcx.entry_fn(()).is_some_and(|(entry, _)| entry == parent.to_def_id()) {
            return true;
        }
        // Sync code: a `block_on` in async code is `nested_runtime`'s, not a main task.
        if tcx.coroutine_kind(parent).is_some() || tcx.asyncness(tcx.typeck_root_def_id(parent.to_def_id())).is_async()
        {
            return false;
        }
        let value = self.outermost_value(tcx.local_def_id_to_hir_id(body));
        let Node::Expr(call) = tcx.parent_hir_node(value) else {
            return false;
        };
        let is_argument = match call.kind {
            ExprKind::Call(_, args) | ExprKind::MethodCall(_, _, args, _) => args.iter().any(|arg| arg.hir_id == value),
            _ => false,
        };
        // `block_on`, or a function that enters a runtime with it (actix's `SystemRunner::block_on`).
        is_argument
            && super::calls::callee_of(tcx, tcx.typeck(parent), call)
                .is_some_and(|(callee, args)| self.reach(callee, args, Effect::EntersRuntime).is_some())
    }

    fn compute_main_task_stretches(&self, body: LocalDefId) -> Option<MainTaskStretches> {
        let tcx = self.tcx;
        let value = tcx.hir_maybe_body_owned_by(body)?.value;
        let mut awaits = Awaits::default();
        awaits.visit_expr(value);
        let runtime_uses: Vec<Span> = self
            .call_sites(body)
            .iter()
            .filter(|site| self.reach(site.callee, site.args, Effect::NeedsRuntime).is_some())
            .map(|site| site.span.source_callsite())
            .collect();
        // A call that uses the runtime may do so before it blocks: it is not part of the start.
        let first_runtime_use = runtime_uses.iter().map(|span| span.lo()).min();
        let last_runtime_use = runtime_uses.iter().map(|span| span.hi()).max();
        // A body with neither awaits nor uses of the runtime is all start.
        let start_end = [awaits.first, first_runtime_use]
            .into_iter()
            .flatten()
            .min()
            .unwrap_or(value.span.hi());
        let end_start = awaits
            .last
            .filter(|&last| last_runtime_use.is_none_or(|runtime_use| runtime_use <= last));
        Some(MainTaskStretches {
            start_end,
            end_start,
            awaiting_loops: awaits.loops,
        })
    }
}

/// The `.await`s of a body (not of the closures and async blocks inside it, which run when they
/// are called or awaited).
#[derive(Default)]
struct Awaits {
    /// Where the task first waits: the end of the first `.await`'s operand.
    first: Option<BytePos>,
    /// The end of the last `.await`.
    last: Option<BytePos>,
    /// The loops with an `.await` in them.
    loops: Vec<Span>,
    /// The loops being visited, and whether each awaits so far.
    open_loops: Vec<(Span, bool)>,
}

impl<'tcx> Visitor<'tcx> for Awaits {
    fn visit_expr(&mut self, expr: &'tcx Expr<'tcx>) {
        match expr.kind {
            // `match IntoFuture::into_future(<operand>) { .. }`: the task waits once the operand
            // (`serve(Args::parse())` in `serve(Args::parse()).await`) has run.
            ExprKind::Match(scrutinee, _, MatchSource::AwaitDesugar) => {
                let operand = match scrutinee.kind {
                    ExprKind::Call(_, [operand]) => operand,
                    _ => scrutinee,
                };
                let waits_at = operand.span.source_callsite().hi();
                self.first = Some(self.first.map_or(waits_at, |first| first.min(waits_at)));
                let done_at = expr.span.source_callsite().hi();
                self.last = Some(self.last.map_or(done_at, |last| last.max(done_at)));
                for open in &mut self.open_loops {
                    open.1 = true;
                }
                intravisit::walk_expr(self, expr);
            }
            // The loop an `.await` desugars to is not the user's.
            ExprKind::Loop(..) if expr.span.desugaring_kind() != Some(DesugaringKind::Await) => {
                self.open_loops.push((expr.span.source_callsite(), false));
                intravisit::walk_expr(self, expr);
                if let Some((span, awaited)) = self.open_loops.pop()
                    && awaited
                {
                    self.loops.push(span);
                }
            }
            _ => intravisit::walk_expr(self, expr),
        }
    }
}
