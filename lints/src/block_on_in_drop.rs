use crate::diag::{emit_lint, explain_external, explain_hops};
use crate::engine::{Effect, Engine};
use rustc_hir::{ImplItem, ImplItemKind};
use rustc_lint::{LateContext, LintContext, declare_lint};

declare_lint! {
    /// ### What it does
    /// Finds `Drop::drop` impls that enter a runtime or block on a future, directly or through
    /// any chain of synchronous functions of the crate: `Runtime::block_on`,
    /// `Handle::block_on`, `futures::executor::block_on`, `pollster::block_on`, creating or
    /// dropping a runtime, or a synchronous client that drives an inner runtime. The APIs are
    /// those of `nested_runtime`.
    ///
    /// Not reported for a type that other crates cannot name when every value of it the crate
    /// makes is moved into a closure that runs on a thread of its own
    /// (`std::thread::spawn(move || ..)`, `spawn_blocking`), through locals, blocks, branches
    /// and the crate's functions that return it: it is dropped there, away from any executor.
    ///
    /// ### Why is this bad?
    /// Values are dropped inside async code all the time: at the end of a scope in an
    /// `async fn`, when a task is cancelled, when a future is dropped in the middle of an
    /// `.await`. There, entering a runtime panics ("Cannot start a runtime from within a
    /// runtime") and other executors' `block_on` deadlock. The `Drop` impl looks fine in
    /// isolation, and the crash shows up far from it.
    ///
    /// ### Known problems
    /// Otherwise reported whether or not the type is ever dropped in async code: a type that
    /// only sync code owns, such as one stored in a struct that only a thread uses, may do this
    /// safely (allow the lint on the impl then). A value the thread sends back (through a
    /// channel, as the thread's result) is not followed there, nor one dropped by a panic
    /// before it reaches the thread.
    ///
    /// ### Example
    /// ```no_run
    /// impl Drop for Connection {
    ///     fn drop(&mut self) {
    ///         futures::executor::block_on(self.close());
    ///     }
    /// }
    /// ```
    /// Use instead:
    /// ```no_run
    /// impl Connection {
    ///     /// Callers `.await` this before dropping the connection.
    ///     pub async fn close(self) { /* ... */ }
    /// }
    /// ```
    ///
    /// ### Configuration
    /// - `lints.block_on_in_drop` (default: `"warn"`): the lint's level.
    /// - `catalogue.blocking` entries with a runtime category, `catalogue.ignore` and
    ///   `catalogue.boundaries` apply as for `nested_runtime`.
    pub BLOCK_ON_IN_DROP,
    Warn,
    "`Drop` impl that enters a runtime or blocks on a future"
}

/// Reports a `Drop::drop` whose body reaches runtime entry.
pub fn check_impl_item(cx: &LateContext<'_>, engine: &Engine<'_>, item: &ImplItem<'_>) {
    if !matches!(item.kind, ImplItemKind::Fn(..))
        || item.span.in_external_macro(cx.sess().source_map())
        || !engine.is_drop_impl_fn(item.owner_id.to_def_id())
    {
        return;
    }
    let Some(witness) = engine.reach_from_body(item.owner_id.to_def_id(), Effect::EntersRuntime) else {
        return;
    };
    let Some((first, rest)) = witness.hops.split_first() else {
        return;
    };
    let impl_id = cx.tcx.parent(item.owner_id.to_def_id());
    let self_ty = cx.tcx.type_of(impl_id).instantiate_identity().skip_norm_wip();
    // Every value is dropped on a thread of its own, away from any executor.
    if self_ty
        .ty_adt_def()
        .is_some_and(|adt| engine.dropped_only_on_own_threads(adt.did()))
    {
        return;
    }
    let entry = &witness.entry;
    emit_lint(
        cx,
        BLOCK_ON_IN_DROP,
        first.hir_id,
        first.span,
        format!("dropping `{self_ty}` {}", entry.category.description()),
        |diag| {
            if let Some(dropped) = &first.dropped {
                diag.span_label(first.span, format!("a `{dropped}` is dropped here, in `drop`"));
                explain_hops(cx, diag, rest);
                explain_external(diag, &witness.external);
            } else if rest.is_empty() && witness.external.is_empty() {
                diag.span_label(first.span, format!("`{}` is called in `drop`", first.callee));
            } else {
                diag.span_label(first.span, format!("`drop` calls `{}` here", first.callee));
                explain_hops(cx, diag, rest);
                explain_external(diag, &witness.external);
            }
            diag.note(
                "values are dropped inside async code all the time: at the end of a scope, when a task is \
                 cancelled, when a future is dropped during an `.await`",
            );
            diag.note(format!("there, {}", entry.runtime_failure()));
            diag.help(format!(
                "give `{self_ty}` an async `close()` or `shutdown()` that callers `.await` before dropping it, \
                 or spawn the cleanup as a task (`tokio::spawn`) from `drop`"
            ));
        },
    );
}
