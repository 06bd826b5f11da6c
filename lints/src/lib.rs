//! The analysis engine and the lints of cargo-async-lint.
//!
//! `engine` knows which bodies are async contexts, what each call resolves to and which APIs
//! block or enter a runtime; each lint module only decides when to report and words its
//! diagnostic. One pass drives them all, so the engine's work is shared.

#![feature(rustc_private)]
#![warn(rustc::internal)]

extern crate rustc_data_structures;
extern crate rustc_errors;
extern crate rustc_hir;
extern crate rustc_lint;
extern crate rustc_middle;
extern crate rustc_session;
extern crate rustc_span;

#[rustfmt::skip] // Generated; `cargo bless` writes it.
mod declared_lints;
pub mod diag;
pub mod engine;

// The lints, one file each.
pub mod block_on_in_drop;
pub mod blocking_in_async;
pub mod lock_across_await;
pub mod nested_runtime;
pub mod non_send_future;

pub use clippy_utils::sym::EXTRA_SYMBOLS;
pub use declared_lints::declared_lints;

use async_lint_config::Conf;
use clippy_utils::paths::{PathNS, lookup_path_str};
use engine::{ContextInfo, Engine};
use rustc_hir::intravisit::FnKind;
use rustc_hir::{Body, Expr, ExprKind, FnDecl, ImplItem};
use rustc_lint::{LateContext, LateLintPass, LintContext, LintPass, LintStore, LintVec};
use rustc_middle::ty::GenericArgsRef;
use rustc_span::Span;
use rustc_span::def_id::{DefId, LocalDefId};

/// Registers every lint and the pass that drives them.
pub fn register_lints(store: &mut LintStore, conf: &'static Conf) {
    store.register_lints(&declared_lints());
    store.register_late_lint_pass(Box::new(move |_| Box::new(AsyncLints::new(conf))));
}

/// A call (or a function passed as a value) made from async code.
pub struct AsyncCall<'a, 'tcx> {
    pub engine: &'a Engine<'tcx>,
    pub expr: &'tcx Expr<'tcx>,
    /// Where to point: the expression, or the call of the standard library macro it came from.
    pub span: Span,
    pub context: ContextInfo,
    pub callee: DefId,
    pub args: GenericArgsRef<'tcx>,
}

/// The pass behind every lint.
pub struct AsyncLints<'tcx> {
    conf: &'static Conf,
    /// Built when the crate's check starts.
    engine: Option<Engine<'tcx>>,
    /// Whether the crate uses tokio with its timer, so `tokio::time::sleep` can be written.
    has_tokio_time: bool,
}

impl AsyncLints<'_> {
    #[must_use]
    pub fn new(conf: &'static Conf) -> Self {
        Self {
            conf,
            engine: None,
            has_tokio_time: false,
        }
    }
}

impl LintPass for AsyncLints<'_> {
    fn name(&self) -> &'static str {
        "AsyncLints"
    }

    fn get_lints(&self) -> LintVec {
        declared_lints()
    }
}

impl<'tcx> LateLintPass<'tcx> for AsyncLints<'tcx> {
    fn check_crate(&mut self, cx: &LateContext<'tcx>) {
        self.engine = Some(Engine::new(cx.tcx, self.conf));
        self.has_tokio_time = cx.sess().opts.externs.get("tokio").is_some()
            && !lookup_path_str(cx.tcx, PathNS::Value, "tokio::time::sleep").is_empty();
    }

    fn check_expr(&mut self, cx: &LateContext<'tcx>, expr: &'tcx Expr<'tcx>) {
        if let (ExprKind::Closure(_), Some(engine)) = (expr.kind, &self.engine) {
            lock_across_await::check_expr(cx, engine, expr);
            return;
        }
        if !matches!(
            expr.kind,
            ExprKind::Call(..) | ExprKind::MethodCall(..) | ExprKind::Path(_)
        ) {
            return;
        }
        let Some(span) = user_span(cx, expr.span) else {
            return;
        };
        let (Some(engine), Some(body)) = (&self.engine, cx.enclosing_body) else {
            return;
        };
        if cx.typeck_results().tainted_by_errors.is_some() {
            return;
        }
        let Some((callee, args)) = engine.call_of(cx.typeck_results(), expr) else {
            return;
        };
        let Some(context) = engine.context_of_body(cx.tcx.hir_body_owner_def_id(body)) else {
            nested_runtime::check_try_current_block_on(cx, engine, expr, callee);
            return;
        };
        let call = AsyncCall {
            engine,
            expr,
            span,
            context,
            callee,
            args,
        };
        // One diagnostic per call: entering a runtime is the more specific finding.
        if !nested_runtime::check_call(cx, &call) {
            blocking_in_async::check_call(cx, &call, self.has_tokio_time);
        }
    }

    fn check_fn(
        &mut self,
        cx: &LateContext<'tcx>,
        _: FnKind<'tcx>,
        _: &'tcx FnDecl<'tcx>,
        _: &'tcx Body<'tcx>,
        _: Span,
        def_id: LocalDefId,
    ) {
        if let Some(engine) = &self.engine {
            non_send_future::check_fn(cx, engine, def_id);
        }
    }

    fn check_impl_item(&mut self, cx: &LateContext<'tcx>, item: &'tcx ImplItem<'tcx>) {
        if let Some(engine) = &self.engine {
            block_on_in_drop::check_impl_item(cx, engine, item);
        }
    }
}

/// The span to report code at, or `None` for code another crate's macro wrote (not the user's
/// to fix). The standard library's macros (`write!`, `writeln!`, ...) are the user's calls:
/// those point at the macro call.
fn user_span(cx: &LateContext<'_>, span: Span) -> Option<Span> {
    if !span.in_external_macro(cx.sess().source_map()) {
        return Some(span);
    }
    let from_std = span
        .ctxt()
        .outer_expn_data()
        .macro_def_id
        .is_some_and(|def_id| matches!(cx.tcx.crate_name(def_id.krate).as_str(), "std" | "core" | "alloc"));
    from_std.then(|| span.source_callsite())
}
