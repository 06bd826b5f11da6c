//! Which bodies run on an async executor.

use rustc_hir::{CoroutineDesugaring, CoroutineKind, CoroutineSource, HirId};
use rustc_middle::ty::TyCtxt;
use rustc_span::def_id::LocalDefId;

/// The kind of async body an expression sits in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AsyncContext {
    /// The body of an `async fn`.
    Fn,
    /// An `async { .. }` block.
    Block,
    /// The body of an async closure.
    Closure,
}

impl AsyncContext {
    /// How the context is named in diagnostics.
    #[must_use]
    pub fn description(self) -> &'static str {
        match self {
            AsyncContext::Fn => "async fn",
            AsyncContext::Block => "async block",
            AsyncContext::Closure => "async closure",
        }
    }
}

/// The async context whose body directly contains `hir_id` (not through a nested closure or
/// item), if any, together with the body's owner.
#[must_use]
pub fn async_context_of(tcx: TyCtxt<'_>, hir_id: HirId) -> Option<(LocalDefId, AsyncContext)> {
    let owner = tcx.hir_enclosing_body_owner(hir_id);
    let context = match tcx.coroutine_kind(owner)? {
        CoroutineKind::Desugared(CoroutineDesugaring::Async, source) => match source {
            CoroutineSource::Fn => AsyncContext::Fn,
            CoroutineSource::Block => AsyncContext::Block,
            CoroutineSource::Closure => AsyncContext::Closure,
        },
        _ => return None,
    };
    Some((owner, context))
}
