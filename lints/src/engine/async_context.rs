//! Which bodies run on an async executor.

use super::Engine;
use rustc_hir::def::DefKind;
use rustc_hir::{ClosureKind, CoroutineDesugaring, CoroutineKind, CoroutineSource, Expr, ExprKind, Node};
use rustc_span::def_id::LocalDefId;
use rustc_span::{ExpnKind, MacroKind, Span};

/// The kind of async body code runs in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AsyncContext {
    /// The body of an `async fn`.
    Fn,
    /// An `async { .. }` block.
    Block,
    /// The body of an async closure.
    Closure,
    /// An implementation of a poll method (`Future::poll`, `Stream::poll_next`,
    /// `AsyncRead::poll_read`, ...), which the executor calls like an `async fn` body.
    Poll,
}

impl AsyncContext {
    /// How the context is named in diagnostics.
    #[must_use]
    pub fn description(self) -> &'static str {
        match self {
            AsyncContext::Fn => "async fn",
            AsyncContext::Block => "async block",
            AsyncContext::Closure => "async closure",
            AsyncContext::Poll => "poll method",
        }
    }
}

/// Where a body runs: in an async context itself, or in a closure that an async context runs
/// inline (`iter.map(|x| ..)`, `opt.map(..)`, a closure in a local that is called).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ContextInfo {
    pub kind: AsyncContext,
    pub in_closure: bool,
}

impl ContextInfo {
    /// Whether code written here can `.await`: the async body itself, not a closure in it nor a
    /// poll method.
    #[must_use]
    pub fn can_await(self) -> bool {
        !self.in_closure && self.kind != AsyncContext::Poll
    }

    /// "an async fn", or "a closure run inside an async fn".
    #[must_use]
    pub fn description(self) -> String {
        let article = if self.kind == AsyncContext::Poll { "a" } else { "an" };
        if self.in_closure {
            format!("a closure run inside {article} {}", self.kind.description())
        } else {
            format!("{article} {}", self.kind.description())
        }
    }
}

impl Engine<'_> {
    /// The async context the body of `owner` runs in, if any. Closures handed to a boundary
    /// (`spawn_blocking`, `std::thread::spawn`, ...) run elsewhere: they are not async context.
    #[must_use]
    pub fn context_of_body(&self, owner: LocalDefId) -> Option<ContextInfo> {
        if let Some(&known) = self.contexts.borrow().get(&owner) {
            return known;
        }
        let context = self.compute_context(owner);
        self.contexts.borrow_mut().insert(owner, context);
        context
    }

    fn compute_context(&self, owner: LocalDefId) -> Option<ContextInfo> {
        let tcx = self.tcx;
        if let Some(kind) = tcx.coroutine_kind(owner) {
            let CoroutineKind::Desugared(CoroutineDesugaring::Async, source) = kind else {
                return None;
            };
            // `spawn_blocking(move || handle.block_on(async { .. }))`: that executor runs on the
            // blocking thread.
            if source == CoroutineSource::Block && self.runs_on_another_thread(owner) {
                return None;
            }
            let kind = match source {
                CoroutineSource::Fn => AsyncContext::Fn,
                CoroutineSource::Block => AsyncContext::Block,
                CoroutineSource::Closure => AsyncContext::Closure,
            };
            return Some(ContextInfo {
                kind,
                in_closure: false,
            });
        }
        if self.implemented_poll_method(owner).is_some() {
            return Some(ContextInfo {
                kind: AsyncContext::Poll,
                in_closure: false,
            });
        }
        let Node::Expr(expr) = tcx.hir_node_by_def_id(owner) else {
            return None;
        };
        let ExprKind::Closure(closure) = expr.kind else {
            return None;
        };
        if !self.closure_runs_inline(closure.kind, owner) {
            return None;
        }
        let parent = tcx.hir_enclosing_body_owner(expr.hir_id);
        self.context_of_body(parent).map(|context| ContextInfo {
            in_closure: true,
            ..context
        })
    }

    /// Whether `def_id` is the `drop` method of a `Drop` impl.
    #[must_use]
    pub fn is_drop_impl_fn(&self, def_id: rustc_span::def_id::DefId) -> bool {
        let tcx = self.tcx;
        let parent = tcx.parent(def_id);
        matches!(tcx.def_kind(parent), DefKind::Impl { of_trait: true })
            && Some(tcx.impl_trait_id(parent)) == tcx.lang_items().drop_trait()
    }

    /// Whether `hir_id` is inside the body of a `Drop::drop` impl.
    #[must_use]
    pub fn is_in_drop_impl(&self, hir_id: rustc_hir::HirId) -> bool {
        self.tcx.hir_parent_iter(hir_id).any(|(_, node)| match node {
            Node::ImplItem(item) => self.is_drop_impl_fn(item.owner_id.to_def_id()),
            _ => false,
        })
    }

    /// The poll method (`Future::poll`, ...) that `owner` implements, if it is one.
    #[must_use]
    pub fn implemented_poll_method(&self, owner: LocalDefId) -> Option<rustc_span::def_id::DefId> {
        let tcx = self.tcx;
        if tcx.def_kind(owner) != DefKind::AssocFn {
            return None;
        }
        tcx.trait_item_of(owner.to_def_id())
            .filter(|method| self.poll_methods.contains(method))
    }

    /// Whether the body of `owner` sits (through closures run inline) in a closure that runs on
    /// another thread.
    #[must_use]
    pub fn runs_on_another_thread(&self, owner: LocalDefId) -> bool {
        let tcx = self.tcx;
        let mut current = owner;
        loop {
            let Node::Expr(expr) = tcx.hir_node_by_def_id(current) else {
                return false;
            };
            let parent = tcx.hir_enclosing_body_owner(expr.hir_id);
            let Node::Expr(Expr {
                kind: ExprKind::Closure(closure),
                ..
            }) = tcx.hir_node_by_def_id(parent)
            else {
                return false;
            };
            if !matches!(closure.kind, ClosureKind::Closure) {
                return false;
            }
            if self.is_boundary_closure(parent) {
                return true;
            }
            current = parent;
        }
    }

    /// Whether an async block at `span` was written by another crate's attribute macro around
    /// the body of the user's `async fn` (`#[tokio::main]`, `#[tokio::test]`, `#[async_trait]`):
    /// the macro's `async` keyword starts the block, so its span is the expansion's.
    #[must_use]
    pub fn is_runtime_attribute_body(&self, span: Span) -> bool {
        let data = span.ctxt().outer_expn_data();
        matches!(data.kind, ExpnKind::Macro(MacroKind::Attr, _)) && data.macro_def_id.is_some_and(|id| !id.is_local())
    }

    /// Whether `owner` is the sync fn such an attribute made of an `async fn`: its runtime setup
    /// and `block_on` are the macro's, not calls the user wrote.
    #[must_use]
    pub fn is_runtime_attribute_wrapper(&self, owner: LocalDefId) -> bool {
        let tcx = self.tcx;
        if tcx.def_kind(owner) != DefKind::Fn || tcx.asyncness(owner).is_async() {
            return false;
        }
        tcx.nested_bodies_within(owner).iter().any(|nested| {
            matches!(
                tcx.coroutine_kind(nested),
                Some(CoroutineKind::Desugared(
                    CoroutineDesugaring::Async,
                    CoroutineSource::Block
                ))
            ) && matches!(tcx.hir_node_by_def_id(nested), Node::Expr(expr) if self.is_runtime_attribute_body(expr.span))
        })
    }
}
