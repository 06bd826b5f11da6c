//! The report's statistics. They observe; they decide nothing: the facts the lint pass meets as
//! it walks the crate (async fns, `.await`s, calls of the counted APIs), and the findings the
//! lints make, whatever the level they are shown at.

use crate::engine::Engine;
use crate::{blocking_in_async, lock_across_await, nested_runtime, non_send_future, report};
use async_lint_config::report::{COUNTED_CALLS, Counter, Counts};
use clippy_utils::is_in_test;
use clippy_utils::paths::{PathNS, lookup_path_str};
use rustc_data_structures::fx::FxHashMap;
use rustc_hir::{ClosureKind, CoroutineDesugaring, CoroutineKind, CoroutineSource, Expr, ExprKind, HirId, YieldSource};
use rustc_lint::{LateContext, Lint};
use rustc_middle::ty::TyCtxt;
use rustc_span::def_id::{DefId, LocalDefId};
use std::sync::Mutex;

/// The findings made so far in this compilation, by lint and place; only kept for a report.
static FINDINGS_MADE: Mutex<Vec<(&'static Lint, HirId)>> = Mutex::new(Vec::new());

/// Tells the statistics that `lint` made a finding at `hir_id`.
pub(crate) fn finding_made(lint: &'static Lint, hir_id: HirId) {
    if report::enabled()
        && let Ok(mut made) = FINDINGS_MADE.lock()
    {
        made.push((lint, hir_id));
    }
}

/// Counts over production and test code, and the counted APIs resolved for this crate.
pub(crate) struct Stats {
    production: Counts,
    test: Counts,
    counted_calls: FxHashMap<DefId, Counter>,
}

impl Stats {
    /// The statistics of this crate, when a report was asked for.
    pub(crate) fn new(tcx: TyCtxt<'_>) -> Option<Self> {
        if !report::enabled() {
            return None;
        }
        let counted_calls = COUNTED_CALLS
            .iter()
            .flat_map(|&(path, counter)| {
                lookup_path_str(tcx, PathNS::Value, path)
                    .into_iter()
                    .map(move |def_id| (def_id, counter))
            })
            .collect();
        Some(Self {
            production: Counts::default(),
            test: Counts::default(),
            counted_calls,
        })
    }

    fn bucket(&mut self, tcx: TyCtxt<'_>, hir_id: HirId) -> &mut Counts {
        if is_in_test(tcx, hir_id) {
            &mut self.test
        } else {
            &mut self.production
        }
    }

    /// An expression the pass walks: async fns and `.await`s are counted here.
    pub(crate) fn observe_expr(&mut self, cx: &LateContext<'_>, engine: &Engine<'_>, expr: &Expr<'_>) {
        match expr.kind {
            ExprKind::Closure(closure) => {
                let is_async_fn = match closure.kind {
                    ClosureKind::Coroutine(CoroutineKind::Desugared(
                        CoroutineDesugaring::Async,
                        CoroutineSource::Fn,
                    )) => true,
                    // `#[tokio::main]`/`#[tokio::test]` turn the user's `async fn` into a sync fn
                    // around an async block: that block is the async fn.
                    ClosureKind::Coroutine(CoroutineKind::Desugared(
                        CoroutineDesugaring::Async,
                        CoroutineSource::Block,
                    )) => engine.is_runtime_attribute_body(expr.span),
                    _ => false,
                };
                if is_async_fn {
                    self.bucket(cx.tcx, expr.hir_id).async_fns += 1;
                }
            }
            ExprKind::Yield(_, YieldSource::Await { .. }) => {
                self.bucket(cx.tcx, expr.hir_id).await_points += 1;
            }
            _ => {}
        }
    }

    /// A call of `callee` in the body of `owner`, counted when it is one of the counted APIs.
    pub(crate) fn observe_call(
        &mut self,
        cx: &LateContext<'_>,
        engine: &Engine<'_>,
        hir_id: HirId,
        callee: DefId,
        owner: LocalDefId,
    ) {
        // The runtime a runtime attribute sets up around the user's async fn is not the user's.
        if let Some(&counter) = self.counted_calls.get(&callee)
            && !engine.is_runtime_attribute_wrapper(owner)
        {
            self.bucket(cx.tcx, hir_id).count_call(counter);
        }
    }

    /// The counts over production and test code, with the findings made counted in.
    pub(crate) fn finish(mut self, cx: &LateContext<'_>, engine: &Engine<'_>) -> (Counts, Counts) {
        let made = FINDINGS_MADE
            .lock()
            .map_or_else(|_| Vec::new(), |mut made| std::mem::take(&mut *made));
        for (lint, hir_id) in made {
            let is = |other: &'static Lint| std::ptr::eq(lint, other);
            let counts = self.bucket(cx.tcx, hir_id);
            if is(blocking_in_async::BLOCKING_IN_ASYNC) || is(blocking_in_async::BLOCKING_IN_ASYNC_IN_TESTS) {
                counts.blocking_calls_in_async += 1;
            } else if is(nested_runtime::NESTED_RUNTIME) {
                // Only the runtime entries from async code; the rest are `block_on` calls in sync
                // code that may run on a runtime's thread.
                if body_owner(cx.tcx, hir_id).is_some_and(|owner| engine.context_of_body(owner).is_some()) {
                    counts.runtime_entries_in_async += 1;
                }
            } else if is(lock_across_await::LOCK_ACROSS_AWAIT) {
                counts.guards_across_awaits += 1;
            } else if is(non_send_future::NON_SEND_FUTURE) {
                counts.non_send_futures += 1;
            }
        }
        (self.production, self.test)
    }
}

/// The body `hir_id` is in: itself when it owns one (a drop at the end of an async block is
/// placed at the block).
fn body_owner(tcx: TyCtxt<'_>, hir_id: HirId) -> Option<LocalDefId> {
    std::iter::once((hir_id, tcx.hir_node(hir_id)))
        .chain(tcx.hir_parent_iter(hir_id))
        .find_map(|(_, node)| node.associated_body().map(|(def_id, _)| def_id))
}
