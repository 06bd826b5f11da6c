//! The analysis engine and the lints of cargo-async-lint.
//!
//! `engine` knows which bodies are async contexts, what each call resolves to and which APIs
//! block or enter a runtime; each lint module only decides when to report and words its
//! diagnostic. One pass drives them all, so the engine's work is shared.

#![feature(rustc_private)]
#![warn(rustc::internal)]

extern crate rustc_ast;
extern crate rustc_data_structures;
extern crate rustc_errors;
extern crate rustc_hashes;
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
pub mod block_in_place_on_current_thread;
pub mod block_on_in_drop;
pub mod blocking_in_async;
pub mod blocking_in_main_task;
pub mod lock_across_await;
pub mod missing_runtime;
pub mod nested_runtime;
pub mod non_send_future;
pub mod terminal_output_in_async;

mod report;
mod stats;

pub use clippy_utils::sym::EXTRA_SYMBOLS;
pub use declared_lints::declared_lints;
pub use diag::denied_findings;
pub use report::write_failed_placeholder;

use async_lint_config::Conf;
use async_lint_config::catalogue::Category;
use clippy_utils::paths::{PathNS, lookup_path_str};
use engine::{ContextInfo, Effect, Engine};
use rustc_hir::intravisit::FnKind;
use rustc_hir::{Body, Expr, ExprKind, FnDecl, ImplItem};
use rustc_lint::{LateContext, LateLintPass, LintContext, LintPass, LintStore, LintVec};
use rustc_middle::ty::GenericArgsRef;
use rustc_span::Span;
use rustc_span::def_id::{DefId, LocalDefId};

/// Writes the cross-crate summary of the crate being compiled (a dependency) into `dir`.
pub fn write_summary(tcx: rustc_middle::ty::TyCtxt<'_>, conf: &Conf, dir: &std::path::Path) -> std::io::Result<()> {
    if !wants_summary(tcx, conf) {
        return Ok(());
    }
    write_summary_of(&Engine::new(tcx, conf), dir)
}

/// Whether other crates can read a summary of this one: a library, not a build script, a
/// proc macro or a crate the config leaves out.
fn wants_summary(tcx: rustc_middle::ty::TyCtxt<'_>, conf: &Conf) -> bool {
    let name = tcx.crate_name(rustc_span::def_id::LOCAL_CRATE);
    // Build scripts and proc macros run at build time, never on an executor.
    let build_time = name.as_str().starts_with("build_script_") || tcx.proc_macro_decls_static(()).is_some();
    // Only libraries have dependents: a binary or a test harness is read by no other crate.
    let library = !tcx.sess.opts.test
        && tcx
            .crate_types()
            .iter()
            .any(|crate_type| matches!(crate_type.to_string().as_str(), "rlib" | "dylib" | "lib"));
    !build_time && library && !conf.cross_crate_skips(name.as_str())
}

/// Writes the summary `engine` makes of its crate into `dir`.
fn write_summary_of(engine: &Engine<'_>, dir: &std::path::Path) -> std::io::Result<()> {
    let tcx = engine.tcx;
    let name = tcx.crate_name(rustc_span::def_id::LOCAL_CRATE);
    let summary = engine.summarize();
    std::fs::create_dir_all(dir)?;
    let stable_crate_id = tcx.stable_crate_id(rustc_span::def_id::LOCAL_CRATE).as_u64();
    summary.write(&async_lint_config::summary::CrateSummary::file(
        dir,
        name.as_str(),
        stable_crate_id,
    ))
}

/// Writes the summary of a workspace library for the workspace's other crates, when summaries
/// are on. Failing to write is a warning: the build itself must not fail for it.
fn write_workspace_summary(engine: &Engine<'_>, conf: &Conf) {
    let Some(dir) = engine.summary_dir() else {
        return;
    };
    if wants_summary(engine.tcx, conf)
        && let Err(err) = write_summary_of(engine, dir)
    {
        engine.tcx.dcx().warn(format!(
            "cargo-async-lint could not write its summary of this crate: {err}"
        ));
    }
}

/// [`write_workspace_summary`] for a workspace crate whose lint pass rustc skipped (every lint
/// of ours allowed).
pub fn write_workspace_summary_without_lints(tcx: rustc_middle::ty::TyCtxt<'_>, conf: &Conf) {
    write_workspace_summary(&Engine::new(tcx, conf), conf);
}

/// Whether this compilation ran our lint pass (rustc skips a pass whose lints are all allowed).
static LINT_PASS_RAN: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Whether our lint pass ran in this compilation (and wrote the summary, for a library).
#[must_use]
pub fn lint_pass_ran() -> bool {
    LINT_PASS_RAN.load(std::sync::atomic::Ordering::Relaxed)
}

/// Registers every lint and the pass that drives them.
pub fn register_lints(store: &mut LintStore, conf: &'static Conf) {
    store.register_lints(&declared_lints());
    store.register_late_lint_pass(Box::new(move |_| Box::new(AsyncLints::new(conf))));
}

/// A call (or a function passed as a value) made in a context the lints judge: async code, a
/// current-thread runtime, code where no runtime is entered.
pub struct Call<'a, 'tcx, Context> {
    pub engine: &'a Engine<'tcx>,
    pub expr: &'tcx Expr<'tcx>,
    /// Where to point: the expression, or the call of the standard library macro it came from.
    pub span: Span,
    pub context: Context,
    pub callee: DefId,
    pub args: GenericArgsRef<'tcx>,
    /// Whether the source does not spell the call (auto-deref, an operator, indexing): `expr` is
    /// the expression it is made for.
    pub implicit: bool,
}

/// A call made from async code.
pub type AsyncCall<'a, 'tcx> = Call<'a, 'tcx, ContextInfo>;

/// A value dropped in async code.
pub struct AsyncDrop<'a, 'tcx> {
    pub engine: &'a Engine<'tcx>,
    pub site: engine::DropSite<'tcx>,
    pub context: ContextInfo,
}

/// The pass behind every lint.
pub struct AsyncLints<'tcx> {
    conf: &'static Conf,
    /// Built when the crate's check starts.
    engine: Option<Engine<'tcx>>,
    /// Whether the crate uses tokio with its timer, so `tokio::time::sleep` can be written.
    has_tokio_time: bool,
    /// Statistics for `--report`, only kept when one was asked for.
    stats: Option<stats::Stats>,
}

impl AsyncLints<'_> {
    #[must_use]
    pub fn new(conf: &'static Conf) -> Self {
        Self {
            conf,
            engine: None,
            has_tokio_time: false,
            stats: None,
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
        LINT_PASS_RAN.store(true, std::sync::atomic::Ordering::Relaxed);
        self.engine = Some(Engine::new(cx.tcx, self.conf));
        self.has_tokio_time = cx.sess().opts.externs.get("tokio").is_some()
            && !lookup_path_str(cx.tcx, PathNS::Value, engine::paths::TOKIO_SLEEP).is_empty();
        self.stats = stats::Stats::new(cx.tcx);
    }

    fn check_crate_post(&mut self, cx: &LateContext<'tcx>) {
        if let Some(stats) = self.stats.take()
            && let Some(engine) = &self.engine
        {
            let counts = stats.finish(cx, engine);
            report::write_crate_report(cx, counts, engine.other_crates_main_tasks());
        }
        // A library of the workspace is summarised for its other crates by the engine that
        // linted it, so what the lints already walked is not walked again.
        if let Some(engine) = &self.engine {
            write_workspace_summary(engine, self.conf);
        }
    }

    fn check_expr(&mut self, cx: &LateContext<'tcx>, expr: &'tcx Expr<'tcx>) {
        let Some(engine) = &self.engine else {
            return;
        };
        if let Some(stats) = &mut self.stats {
            stats.observe_expr(cx, engine, expr);
        }
        match expr.kind {
            ExprKind::Closure(_) => {
                lock_across_await::check_expr(cx, engine, expr);
                return;
            }
            ExprKind::Call(..) | ExprKind::MethodCall(..) | ExprKind::Path(_) => {}
            _ => return,
        }
        let Some(span) = user_span(cx, expr.span) else {
            return;
        };
        let Some(body) = cx.enclosing_body else {
            return;
        };
        if cx.typeck_results().tainted_by_errors.is_some() {
            return;
        }
        let Some((callee, args)) = engine.call_of(cx.typeck_results(), expr) else {
            return;
        };
        let owner = cx.tcx.hir_body_owner_def_id(body);
        if let Some(stats) = &mut self.stats {
            stats.observe_call(cx, engine, expr.hir_id, callee, owner);
        }
        // The runtime's flavour matters wherever the code runs on one: async code, and the
        // future given to `block_on` in sync code.
        check_runtime_contexts(cx, engine, (expr, span), (callee, args), owner);
        let Some(context) = engine.context_of_body(owner) else {
            // On a thread of its own (`block_in_place`, `std::thread::spawn`), `block_on` is fine.
            let off_thread = engine.is_boundary_closure(owner) || engine.runs_on_another_thread(owner);
            if !off_thread {
                nested_runtime::check_try_current_block_on(cx, engine, expr, callee);
            }
            return;
        };
        if engine.only_without_a_runtime(expr.hir_id) {
            return;
        }
        let call = AsyncCall {
            engine,
            expr,
            span,
            context,
            callee,
            args,
            implicit: false,
        };
        check_async_call(cx, &call, self.has_tokio_time);
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
        let Some(engine) = &self.engine else {
            return;
        };
        let guards_reported = cx
            .tcx
            .lint_level_spec_at_node(
                lock_across_await::LOCK_ACROSS_AWAIT,
                cx.tcx.local_def_id_to_hir_id(def_id),
            )
            .level()
            != rustc_lint::Level::Allow;
        // A future only ever run as a main task need not be `Send` (`block_on` takes any): the
        // crates using this library decide, as for blocking calls in its start and end.
        let recorded = report::recorded();
        non_send_future::check_fn(cx, engine, def_id, guards_reported);
        let level = cx
            .tcx
            .lint_level_spec_at_node(non_send_future::NON_SEND_FUTURE, cx.tcx.local_def_id_to_hir_id(def_id))
            .level();
        if level == rustc_lint::Level::Warn
            && report::recorded() > recorded
            && let Some(key) = engine.library_main_task(def_id)
        {
            report::mark_main_task_of(recorded, &key);
        }
    }

    fn check_body(&mut self, cx: &LateContext<'tcx>, body: &Body<'tcx>) {
        let Some(engine) = &self.engine else {
            return;
        };
        let owner = cx.tcx.hir_body_owner_def_id(body.id());
        let Some(context) = engine.context_of_body(owner) else {
            return;
        };
        // The calls the source does not spell (an overloaded `Deref` reached by auto-deref,
        // operators, `Index`), from the body's MIR.
        for site in engine.implicit_calls(owner) {
            let rustc_hir::Node::Expr(expr) = cx.tcx.hir_node(site.hir_id) else {
                continue;
            };
            let Some(span) = user_span(cx, site.span) else {
                continue;
            };
            let call = AsyncCall {
                engine,
                expr,
                span,
                context,
                callee: site.callee,
                args: site.args,
                implicit: true,
            };
            check_async_call(cx, &call, self.has_tokio_time);
        }
        for site in engine.drops_in(owner) {
            let dropped = AsyncDrop { engine, site, context };
            // Entering a runtime is the more specific finding: one diagnostic per drop.
            match engine.drop_reach(dropped.site.ty, Effect::EntersRuntime) {
                Some((component, reach)) => nested_runtime::check_drop(cx, &dropped, component, &reach),
                None => blocking_in_async::check_drop(cx, &dropped),
            }
        }
    }

    fn check_impl_item(&mut self, cx: &LateContext<'tcx>, item: &'tcx ImplItem<'tcx>) {
        if let Some(engine) = &self.engine {
            block_on_in_drop::check_impl_item(cx, engine, item);
        }
    }
}

/// The lints about a call in async code: entering a runtime is the more specific finding, so
/// blocking is only checked when the call does not enter one (one diagnostic per call).
fn check_async_call<'tcx>(cx: &LateContext<'tcx>, call: &AsyncCall<'_, 'tcx>, has_tokio_time: bool) {
    match call.engine.reach(call.callee, call.args, Effect::EntersRuntime) {
        Some(reach) => nested_runtime::check_call(cx, call, &reach),
        None => check_blocking_call(cx, call, has_tokio_time),
    }
}

/// A call in async code that blocks goes to one lint: one whose only way to block is terminal
/// output to `terminal_output_in_async`, one in a stretch of the main task where nothing else
/// needs the thread to `blocking_in_main_task` (neither counts as a blocking call), any other
/// to `blocking_in_async`.
fn check_blocking_call<'tcx>(cx: &LateContext<'tcx>, call: &AsyncCall<'_, 'tcx>, has_tokio_time: bool) {
    let Some(reach) = call
        .engine
        .reach_at(call.callee, call.args, call.expr.hir_id, Effect::Blocks)
    else {
        return;
    };
    if reach.entry().category == Category::TerminalOutput {
        terminal_output_in_async::check_call(cx, call, &reach);
        return;
    }
    let body = cx.tcx.hir_enclosing_body_owner(call.expr.hir_id);
    if let Some(stretch) = call.engine.main_task_stretch(body, call.expr.hir_id, call.span) {
        blocking_in_main_task::check_call(cx, call, &reach, stretch);
        return;
    }
    // In a stretch that is the main task's if the crates using this library run the fn as
    // theirs: reported here, and dropped by the subcommand when they all do. Not when the
    // project wants main-task findings (they would come under the other lint's name) or denies
    // this one (the build's outcome must not wait for other crates).
    let library_main_task = call
        .engine
        .library_main_task_stretch(body, call.expr.hir_id, call.span)
        .filter(|_| {
            let level_of = |lint| cx.tcx.lint_level_spec_at_node(lint, call.expr.hir_id).level();
            level_of(blocking_in_main_task::BLOCKING_IN_MAIN_TASK) == rustc_lint::Level::Allow
                && level_of(blocking_in_async::BLOCKING_IN_ASYNC) == rustc_lint::Level::Warn
        });
    let recorded = report::recorded();
    blocking_in_async::check_call(cx, call, &reach, has_tokio_time);
    if let Some((key, _)) = library_main_task {
        report::mark_main_task_of(recorded, &key);
    }
}

/// The lints about where code runs in relation to a runtime: on a current-thread one (async
/// code, and the future given to `block_on` in sync code), or where none is entered.
fn check_runtime_contexts<'tcx>(
    cx: &LateContext<'tcx>,
    engine: &Engine<'tcx>,
    (expr, span): (&'tcx Expr<'tcx>, Span),
    (callee, args): (DefId, GenericArgsRef<'tcx>),
    owner: LocalDefId,
) {
    if let Some(current_thread) = engine
        .current_thread_context(owner)
        .or_else(|| engine.runner_context(expr))
    {
        let call = Call {
            engine,
            expr,
            span,
            context: current_thread,
            callee,
            args,
            implicit: false,
        };
        block_in_place_on_current_thread::check_call(cx, &call);
    }
    if engine.context_of_body(owner).is_none()
        && let Some(runtime_free) = engine.runtime_free_context(owner)
    {
        let call = Call {
            engine,
            expr,
            span,
            context: (owner, runtime_free),
            callee,
            args,
            implicit: false,
        };
        missing_runtime::check_call(cx, &call);
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
        .is_some_and(|def_id| engine::is_standard_library(cx.tcx, def_id));
    from_std.then(|| span.source_callsite())
}
