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
pub mod inputs;

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
pub use report::{restore_report, write_failed_placeholder};

use async_lint_config::Conf;
use async_lint_config::catalogue::Category;
use clippy_utils::paths::{PathNS, lookup_path_str};
use engine::{ContextInfo, Effect, Engine};
use rustc_hir::intravisit::{self, FnKind, Visitor};
use rustc_hir::{Body, Expr, ExprKind, FnDecl, ImplItem};
use rustc_lint::{LateContext, LateLintPass, LintContext, LintPass, LintStore, LintVec};
use rustc_middle::hir::nested_filter;
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
    let summary = engine.summarize();
    std::fs::create_dir_all(dir)?;
    summary.write(&summary_file(tcx, dir))
}

/// The file in `dir` that holds this crate's summary.
fn summary_file(tcx: rustc_middle::ty::TyCtxt<'_>, dir: &std::path::Path) -> std::path::PathBuf {
    let name = tcx.crate_name(rustc_span::def_id::LOCAL_CRATE);
    let stable_crate_id = tcx.stable_crate_id(rustc_span::def_id::LOCAL_CRATE).as_u64();
    async_lint_config::summary::CrateSummary::file(dir, name.as_str(), stable_crate_id)
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

/// Whether the summary of a workspace library is where its dependents look for it (or none is
/// wanted).
#[must_use]
pub fn workspace_summary_written(tcx: rustc_middle::ty::TyCtxt<'_>, conf: &Conf) -> bool {
    match engine::summary_dir(conf) {
        Some(dir) if wants_summary(tcx, conf) => summary_file(tcx, &dir).is_file(),
        _ => true,
    }
}

/// Whether this compilation analysed the crate: not when rustc skipped our pass (every lint of
/// ours allowed), nor when it replayed the analysis's diagnostics from its incremental cache.
static LINT_PASS_RAN: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Whether this compilation analysed the crate (and wrote its report and, for a library, its
/// summary).
#[must_use]
pub fn lint_pass_ran() -> bool {
    LINT_PASS_RAN.load(std::sync::atomic::Ordering::Relaxed)
}

/// Registers every lint and the pass that drives them.
pub fn register_lints(store: &mut LintStore, conf: &'static Conf) {
    store.register_lints(&declared_lints());
    store.register_late_lint_mod_pass(Box::new(move |_| Box::new(AsyncLints { conf })));
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

/// The pass behind every lint. It is a module pass that analyses the whole crate when rustc
/// lints the crate's root module: rustc's incremental cache keeps the diagnostics of that
/// module's `lint_mod` query with the query, and replays them when nothing the analysis read has
/// changed, instead of running it again. What it reads outside the compiler (the config, the
/// dependencies' summaries, the tool itself) reaches the compiler's dependency graph through
/// [`inputs::KEY`].
struct AsyncLints {
    conf: &'static Conf,
}

impl LintPass for AsyncLints {
    fn name(&self) -> &'static str {
        "AsyncLints"
    }

    fn get_lints(&self) -> LintVec {
        declared_lints()
    }
}

impl<'tcx> LateLintPass<'tcx> for AsyncLints {
    // Called for the crate root's module only.
    fn check_crate(&mut self, cx: &LateContext<'tcx>) {
        analyse_crate(cx.tcx, self.conf);
    }
}

/// Whether rustc runs our pass in this compilation: not when every lint of ours is allowed.
#[must_use]
pub fn lint_pass_required(tcx: rustc_middle::ty::TyCtxt<'_>) -> bool {
    rustc_lint::is_lint_pass_required(tcx.skippable_lints(()), &declared_lints())
}

/// Walks the crate as rustc's late lint passes do, with the callbacks of [`CrateLints`].
fn analyse_crate(tcx: rustc_middle::ty::TyCtxt<'_>, conf: &'static Conf) {
    LINT_PASS_RAN.store(true, std::sync::atomic::Ordering::Relaxed);
    // A read the dependency graph records: when these inputs change, the analysis runs again.
    let _ = tcx.env_var_os(std::ffi::OsStr::new(inputs::KEY));
    let mut walk = CrateWalk {
        cx: LateContext {
            tcx,
            enclosing_body: None,
            typeck_results: None,
            param_env: rustc_middle::ty::ParamEnv::empty(),
            effective_visibilities: tcx.effective_visibilities(()),
            last_node_with_lint_attrs: rustc_hir::CRATE_HIR_ID,
            generics: None,
            only_module: false,
        },
        lints: CrateLints::new(conf),
    };
    walk.lints.check_crate(&walk.cx);
    tcx.hir_walk_toplevel_module(&mut walk);
    walk.lints.check_crate_post(&walk.cx);
}

/// The walk over every item and body of the crate, keeping the context a late lint pass has:
/// the enclosing body, its type-check results, the item's parameter environment.
struct CrateWalk<'tcx> {
    cx: LateContext<'tcx>,
    lints: CrateLints<'tcx>,
}

impl CrateWalk<'_> {
    /// Walks in the body `body_id`, with its type-check results; not at all when it failed to
    /// type-check (it has holes the lints could trip over).
    fn in_body(&mut self, body_id: rustc_hir::BodyId, walk: impl FnOnce(&mut Self)) {
        let results = self.cx.tcx.typeck_body(body_id);
        if results.tainted_by_errors.is_some() {
            return;
        }
        let outer_body = self.cx.enclosing_body.replace(body_id);
        let outer_results = self.cx.typeck_results.replace(results);
        walk(self);
        self.cx.enclosing_body = outer_body;
        self.cx.typeck_results = outer_results;
    }

    fn with_param_env(&mut self, owner: rustc_hir::OwnerId, walk: impl FnOnce(&mut Self)) {
        let outer = self.cx.param_env;
        self.cx.param_env = self.cx.tcx.param_env(owner);
        walk(self);
        self.cx.param_env = outer;
    }
}

impl<'tcx> Visitor<'tcx> for CrateWalk<'tcx> {
    type NestedFilter = nested_filter::All;

    fn maybe_tcx(&mut self) -> Self::MaybeTyCtxt {
        self.cx.tcx
    }

    fn visit_nested_body(&mut self, body_id: rustc_hir::BodyId) {
        self.in_body(body_id, |walk| walk.visit_body(walk.cx.tcx.hir_body(body_id)));
    }

    fn visit_body(&mut self, body: &Body<'tcx>) {
        self.lints.check_body(&self.cx, body);
        intravisit::walk_body(self, body);
    }

    fn visit_item(&mut self, item: &'tcx rustc_hir::Item<'tcx>) {
        let outer_generics = std::mem::replace(&mut self.cx.generics, item.kind.generics());
        let outer_results = self.cx.typeck_results.take();
        let outer_body = self.cx.enclosing_body.take();
        // Only the bodies of fns, consts and statics are looked at with their item's parameter
        // environment; computing it for every other item (rustc does not keep it in the
        // incremental cache) cost a tenth of the analysis of an edited tokio.
        if matches!(
            item.kind,
            rustc_hir::ItemKind::Fn { .. } | rustc_hir::ItemKind::Const(..) | rustc_hir::ItemKind::Static(..)
        ) {
            self.with_param_env(item.owner_id, |walk| intravisit::walk_item(walk, item));
        } else {
            intravisit::walk_item(self, item);
        }
        self.cx.enclosing_body = outer_body;
        self.cx.typeck_results = outer_results;
        self.cx.generics = outer_generics;
    }

    fn visit_foreign_item(&mut self, item: &'tcx rustc_hir::ForeignItem<'tcx>) {
        self.with_param_env(item.owner_id, |walk| intravisit::walk_foreign_item(walk, item));
    }

    fn visit_expr(&mut self, expr: &'tcx Expr<'tcx>) {
        self.lints.check_expr(&self.cx, expr);
        intravisit::walk_expr(self, expr);
    }

    fn visit_fn(
        &mut self,
        kind: FnKind<'tcx>,
        decl: &'tcx FnDecl<'tcx>,
        body_id: rustc_hir::BodyId,
        span: Span,
        def_id: LocalDefId,
    ) {
        // The body and its results are set here too, for `check_fn`.
        self.in_body(body_id, |walk| {
            let body = walk.cx.tcx.hir_body(body_id);
            walk.lints.check_fn(&walk.cx, kind, decl, body, span, def_id);
            intravisit::walk_fn(walk, kind, decl, body_id, def_id);
        });
    }

    fn visit_trait_item(&mut self, item: &'tcx rustc_hir::TraitItem<'tcx>) {
        let outer_generics = self.cx.generics.replace(item.generics);
        self.with_param_env(item.owner_id, |walk| intravisit::walk_trait_item(walk, item));
        self.cx.generics = outer_generics;
    }

    fn visit_impl_item(&mut self, item: &'tcx ImplItem<'tcx>) {
        let outer_generics = self.cx.generics.replace(item.generics);
        self.with_param_env(item.owner_id, |walk| {
            walk.lints.check_impl_item(&walk.cx, item);
            intravisit::walk_impl_item(walk, item);
        });
        self.cx.generics = outer_generics;
    }
}

/// The lints' callbacks, with what they share over the crate.
struct CrateLints<'tcx> {
    conf: &'static Conf,
    /// Built when the crate's check starts.
    engine: Option<Engine<'tcx>>,
    /// Whether the crate uses tokio with its timer, so `tokio::time::sleep` can be written.
    has_tokio_time: bool,
    /// Statistics for `--report`, only kept when one was asked for.
    stats: Option<stats::Stats>,
}

impl CrateLints<'_> {
    fn new(conf: &'static Conf) -> Self {
        Self {
            conf,
            engine: None,
            has_tokio_time: false,
            stats: None,
        }
    }
}

impl<'tcx> CrateLints<'tcx> {
    fn check_crate(&mut self, cx: &LateContext<'tcx>) {
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
    let undecided = || {
        let level_of = |lint| cx.tcx.lint_level_spec_at_node(lint, call.expr.hir_id).level();
        level_of(blocking_in_main_task::BLOCKING_IN_MAIN_TASK) == rustc_lint::Level::Allow
            && level_of(blocking_in_async::BLOCKING_IN_ASYNC) == rustc_lint::Level::Warn
    };
    let library_main_task = call
        .engine
        .library_main_task_stretch(body, call.expr.hir_id, call.span)
        .filter(|_| undecided());
    // In an async fn that runs alone if the crates using this library await the public async
    // fns it is reached through only in main tasks that run alone: decided the same way.
    let lone_task_roots = call.engine.library_lone_task_roots(body).filter(|_| undecided());
    let recorded = report::recorded();
    blocking_in_async::check_call(cx, call, &reach, has_tokio_time);
    if let Some((key, _)) = library_main_task {
        report::mark_main_task_of(recorded, &key);
    }
    if let Some(roots) = lone_task_roots {
        report::mark_lone_task_roots(recorded, &roots);
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
