//! A runtime's main task: the future the program's `async fn main` is made of
//! (`#[tokio::main]`, `#[async_std::main]`, `#[actix_web::main]`), an async block a sync
//! function runs with `block_on`, or a private async fn only `block_on` runs. Two stretches of it run while nothing else needs the thread:
//! - its start, until its first `.await` and until it first uses the runtime (spawning a task,
//!   a timer, an I/O type): it is the only task the runtime has;
//! - its end, where no `.await` can follow: it never gives the thread back, so on a
//!   current-thread runtime no other task runs before `block_on` returns anyway, and on a
//!   multi-thread one the others run on the workers;
//! - all of it, when nothing it runs (nor the code that runs it) spawns a task: it is the only
//!   task of its runtime, as are the async fns it awaits where it calls them and the async
//!   blocks it awaits;
//! - all of it, when it is the main task of a multi-thread runtime: it has the thread that
//!   called `block_on` to itself.
//!
//! A blocking call there (reading the configuration, writing a report on the way out) delays
//! nothing else.

use super::calls::{FnUse, ancestors_in_body, for_each_fn_use, yielded_by};
use super::{Effect, Engine};
use async_lint_config::catalogue::RuntimeFlavour;
use clippy_utils::visitors::{for_each_expr, for_each_expr_without_closures};
use rustc_data_structures::fx::FxHashMap;
use rustc_hir::def::Res;
use rustc_hir::intravisit::{self, Visitor};
use rustc_hir::{
    CoroutineDesugaring, CoroutineKind, CoroutineSource, Expr, ExprKind, HirId, LetStmt, MatchSource, Node, PatKind,
    QPath, StmtKind,
};
use rustc_middle::ty::{self, Ty, TyCtxt};
use rustc_span::def_id::{DefId, LocalDefId};
use rustc_span::{BytePos, Span};
use std::ops::ControlFlow;

/// Where in a runtime's main task a call runs while nothing else needs the thread.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MainTaskStretch {
    /// Before its first `.await` and its first use of the runtime.
    Start,
    /// After its last `.await`.
    End,
    /// Anywhere in a main task that is the only task of its runtime (nothing the program runs
    /// on it spawns another), or in an async fn that only such a task awaits.
    Alone,
    /// Anywhere in the main task of a multi-thread runtime, or in an async fn that only such a
    /// task awaits: it runs on the thread that called `block_on`, and the spawned tasks run on
    /// the workers.
    OwnThread,
}

/// Why nothing else needs the thread anywhere in a main task, where it polls no other future
/// beside the one it runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Lone {
    /// It is the only task of its runtime.
    OnlyTask,
    /// It runs on its own thread: the main task of a multi-thread runtime.
    OwnThread,
}

impl Lone {
    fn stretch(self) -> MainTaskStretch {
        match self {
            Lone::OnlyTask => MainTaskStretch::Alone,
            Lone::OwnThread => MainTaskStretch::OwnThread,
        }
    }
}

/// The stretches of a main task's body.
#[derive(Clone, Debug)]
pub(super) struct MainTaskStretches {
    /// The start ends here.
    start_end: BytePos,
    /// Whether the body awaits at all: one that never does is all start.
    has_end: bool,
    /// Whether nothing else needs the thread anywhere in the task, and why.
    lone: Option<Lone>,
}

/// A use of an async fn in a body: the call expression when it is called by path
/// (`run(config)`), `None` for any other use (a method call, a value).
#[derive(Clone, Copy, Debug)]
pub(super) struct AsyncFnUse {
    call: Option<HirId>,
    /// The body is test code: what it runs delays no user of the program.
    in_test: bool,
}

/// The uses of other crates' public async fns one crate makes, by [`Engine::main_task_key`]:
/// the ones only ever run as a runtime's main task, and the ones used in any other way.
#[derive(Debug, Default)]
pub struct OtherCratesMainTasks {
    pub entered: Vec<String>,
    pub other_uses: Vec<String>,
    /// Those that only run where nothing else needs the thread (awaited where they are called in
    /// main tasks that run alone or on their own thread, or run by the `block_on` of multi-thread
    /// runtimes), and the others.
    pub awaited_alone: Vec<String>,
    pub not_awaited_alone: Vec<String>,
}

impl Engine<'_> {
    /// Whether the call `call` at `span`, in the async body `body`, runs in a runtime's main task
    /// while nothing else needs the thread, and in which stretch of it.
    #[must_use]
    pub fn main_task_stretch(&self, body: LocalDefId, call: HirId, span: Span) -> Option<MainTaskStretch> {
        if self.context_of_body(body).is_some_and(|context| context.in_closure) {
            // A closure the task runs in place may run anywhere in it, wherever it is written:
            // only a task that has its thread to itself throughout makes it that task's.
            return self
                .main_task_stretches(self.async_body_around(body)?)?
                .lone
                .map(Lone::stretch);
        }
        let stretches = self.main_task_stretches(body)?;
        stretch_of(self.tcx, &stretches, call, span)
    }

    /// The async body that runs the closure `closure` in place, through the closures around it.
    fn async_body_around(&self, closure: LocalDefId) -> Option<LocalDefId> {
        let tcx = self.tcx;
        let mut body = closure;
        while tcx.coroutine_kind(body).is_none() {
            if !self.context_of_body(body).is_some_and(|context| context.in_closure) {
                return None;
            }
            body = tcx.hir_enclosing_body_owner(tcx.local_def_id_to_hir_id(body));
        }
        Some(body)
    }

    /// Whether the call `call` at `span`, in the async body `body`, would run while nothing else
    /// needs the thread if the crates that use this library ran `body`'s public async fn as
    /// their main task, as an application's binary runs its library's `run`; with the key that
    /// names that fn to them ([`Engine::main_task_key`]). Only the crates compiled after this
    /// one can tell; the subcommand decides from what each recorded.
    #[must_use]
    pub fn library_main_task_stretch(
        &self,
        body: LocalDefId,
        call: HirId,
        span: Span,
    ) -> Option<(String, MainTaskStretch)> {
        let stretches = self.library_main_task_stretches(body)?;
        let stretch = stretch_of(self.tcx, &stretches, call, span)?;
        Some((self.main_task_key(self.tcx.local_parent(body).to_def_id()), stretch))
    }

    /// Names an async fn the same way in the crate that defines it (its lib and its test
    /// harness alike) and in the crates that use it: the crate name and the path inside it.
    #[must_use]
    pub fn main_task_key(&self, function: DefId) -> String {
        let tcx = self.tcx;
        format!(
            "{}{}",
            tcx.crate_name(function.krate),
            tcx.def_path(function).to_string_no_crate_verbose()
        )
    }

    /// The other crates' async fns this crate uses outside test code, split into those it only
    /// runs as a runtime's main task (`rt.block_on(app::run(opts))`, or `app::run(opts).await`
    /// as the whole of `async fn main`) and those it uses in any other way.
    #[must_use]
    pub fn other_crates_main_tasks(&self) -> OtherCratesMainTasks {
        let mut found = OtherCratesMainTasks::default();
        for (&function, uses) in self.uses_of_async_fns() {
            if function.is_local() || super::is_standard_library(self.tcx, function) {
                continue;
            }
            let mut production = uses.iter().filter(|used| !used.in_test).peekable();
            if production.peek().is_none() {
                continue;
            }
            let key = self.main_task_key(function);
            let production: Vec<&AsyncFnUse> = production.collect();
            if production.iter().all(|used| self.is_main_task_use(used.call)) {
                found.entered.push(key.clone());
            } else {
                found.other_uses.push(key.clone());
            }
            if production
                .iter()
                .all(|used| self.is_lone_await(used.call) || self.runs_on_own_thread_use(used.call))
            {
                found.awaited_alone.push(key);
            } else {
                found.not_awaited_alone.push(key);
            }
        }
        found.entered.sort();
        found.other_uses.sort();
        found.awaited_alone.sort();
        found.not_awaited_alone.sort();
        found
    }

    /// Whether a use of an async fn awaits it where it is called (`run(args).await`), in a
    /// main task where nothing else needs the thread (it runs alone or on its own thread) or in
    /// an async fn that only such tasks await so.
    fn is_lone_await(&self, call: Option<HirId>) -> bool {
        self.lone_await(call).is_some()
    }

    /// Whether a use of an async fn hands its future to the `block_on` of multi-thread runtimes
    /// only (`Runtime::new()?.block_on(app::run(opts))`): the fn's body runs on the thread that
    /// called `block_on`, and the tasks it spawns on the workers.
    fn runs_on_own_thread_use(&self, call: Option<HirId>) -> bool {
        call.is_some_and(|call| self.runs_as_main_task(call) && self.runs_on_multi_thread_runners(call))
    }

    /// Why nothing else needs the thread where a use of an async fn awaits it, when it is a
    /// lone await ([`Engine::is_lone_await`]).
    fn lone_await(&self, call: Option<HirId>) -> Option<Lone> {
        let tcx = self.tcx;
        let call = call?;
        awaited_by(tcx, call)?;
        self.main_task_stretches(tcx.hir_enclosing_body_owner(call))?.lone
    }

    /// For the async fn body `body` of a library: the keys ([`Engine::main_task_key`]) of the
    /// library's public async fns through which other crates run it, when it runs only where
    /// one of them is awaited: the fn itself when it is public, and those that await it where
    /// they call it, in turn. If the crates that use the library await those only in main tasks
    /// that run alone, so does `body`: the subcommand decides. `None` when the library runs it
    /// any other way (spawned, polled beside another future, kept as a value).
    #[must_use]
    pub fn library_lone_task_roots(&self, body: LocalDefId) -> Option<Vec<String>> {
        let tcx = self.tcx;
        if tcx.entry_fn(()).is_some() {
            return None;
        }
        let mut roots = Vec::new();
        let mut seen = Vec::new();
        self.collect_lone_task_roots(body, &mut seen, &mut roots)
            .then_some(roots)
            .filter(|roots| !roots.is_empty())
            .map(|mut roots| {
                roots.sort();
                roots.dedup();
                roots
            })
    }

    fn collect_lone_task_roots(&self, body: LocalDefId, seen: &mut Vec<LocalDefId>, roots: &mut Vec<String>) -> bool {
        let tcx = self.tcx;
        // An async block runs where it is awaited.
        if async_source(tcx, body) == Some(CoroutineSource::Block) {
            return !self.polls_kept_futures(body)
                && self
                    .awaits_of_future(tcx.local_def_id_to_hir_id(body))
                    .is_some_and(|awaits| {
                        awaits.iter().all(|&operand| {
                            self.collect_lone_task_roots(tcx.hir_enclosing_body_owner(operand), seen, roots)
                        })
                    });
        }
        if async_source(tcx, body) != Some(CoroutineSource::Fn) {
            return false;
        }
        // A future it keeps and polls waits while it blocks, wherever it runs.
        if self.polls_kept_futures(body) {
            return false;
        }
        let function = tcx.local_parent(body);
        // An async fn that awaits itself (boxed) adds no way in.
        if seen.contains(&function) {
            return true;
        }
        seen.push(function);
        if tcx.effective_visibilities(()).is_exported(function) {
            roots.push(self.main_task_key(function.to_def_id()));
        }
        let uses = self.uses_of_async_fns().get(&function.to_def_id());
        uses.into_iter().flatten().filter(|used| !used.in_test).all(|used| {
            used.call.is_some_and(|call| {
                awaited_by(tcx, call).is_some()
                    && self.collect_lone_task_roots(tcx.hir_enclosing_body_owner(call), seen, roots)
            })
        })
    }

    /// The stretches of `body` when it is a runtime's main task (`None` for other bodies);
    /// cached.
    fn main_task_stretches(&self, body: LocalDefId) -> Option<MainTaskStretches> {
        if let Some(known) = self.main_task_stretches.borrow().get(&body) {
            return known.clone();
        }
        // Async fns that await each other: the question asked again while it is being answered
        // is answered no.
        self.main_task_stretches.borrow_mut().insert(body, None);
        let stretches = if self.is_main_task(body) {
            self.compute_main_task_stretches(body)
        } else {
            self.awaited_only_by_lone_tasks(body).map(|lone| MainTaskStretches {
                start_end: BytePos(0),
                has_end: false,
                lone: Some(lone),
            })
        };
        self.main_task_stretches.borrow_mut().insert(body, stretches.clone());
        stretches
    }

    /// Whether `body` is the body of an async fn of this crate (one other crates cannot call)
    /// that is only ever awaited where it is called (`load(path).await`, not handed to `join!`,
    /// `select!` or `timeout`, which poll it beside other futures), in the bodies of main tasks
    /// where nothing else needs the thread, all for the same reason, or of other such fns: then
    /// nothing else needs it here either, and for that reason.
    fn awaited_only_by_lone_tasks(&self, body: LocalDefId) -> Option<Lone> {
        let tcx = self.tcx;
        if async_source(tcx, body) == Some(CoroutineSource::Block) {
            return self.block_awaited_only_by_lone_tasks(body);
        }
        let parent = tcx.local_parent(body);
        if async_source(tcx, body) != Some(CoroutineSource::Fn)
            || tcx.effective_visibilities(()).is_exported(parent)
            || self.polls_kept_futures(body)
        {
            return None;
        }
        let uses = self.uses_of_async_fns().get(&parent.to_def_id())?;
        let mut reasons = uses
            .iter()
            .filter(|used| !used.in_test)
            .map(|used| self.lone_await(used.call));
        let first = reasons.next()??;
        reasons.all(|reason| reason == Some(first)).then_some(first)
    }

    /// Whether the async block `block` runs only where a body awaits it (`collect.await`, its
    /// future kept in a local, boxed or chosen by an `if` on the way) in main tasks where nothing
    /// else needs the thread, all for the same reason, or in async fns only such tasks await:
    /// it runs in place there, as an async fn awaited where it is called does.
    fn block_awaited_only_by_lone_tasks(&self, block: LocalDefId) -> Option<Lone> {
        let tcx = self.tcx;
        if self.polls_kept_futures(block) {
            return None;
        }
        let awaits = self.awaits_of_future(tcx.local_def_id_to_hir_id(block))?;
        let mut reasons = awaits
            .iter()
            .map(|&operand| self.main_task_stretches(tcx.hir_enclosing_body_owner(operand))?.lone);
        let first = reasons.next()??;
        reasons.all(|reason| reason == Some(first)).then_some(first)
    }

    /// The operands of the `.await`s the future the expression `future` makes goes to, when it
    /// goes nowhere else: through the local it is bound to, the blocks, `if` and `match`
    /// branches and casts that yield it, and `Box::new`/`Box::pin`. `None` when it is used any
    /// other way (spawned, joined, polled by reference, returned, stored).
    fn awaits_of_future(&self, future: HirId) -> Option<Vec<HirId>> {
        let mut operands = Vec::new();
        self.collect_awaits_of_future(future, 0, &mut operands)?;
        (!operands.is_empty()).then_some(operands)
    }

    fn collect_awaits_of_future(&self, future: HirId, depth: usize, operands: &mut Vec<HirId>) -> Option<()> {
        // Each local on the way is a step; a chain longer than this is not followed.
        const MAX_LOCALS: usize = 8;
        let tcx = self.tcx;
        let mut value = future;
        loop {
            if awaited_by(tcx, value).is_some() {
                operands.push(value);
                return Some(());
            }
            if let Some(outer) = yielded_by(tcx, value) {
                value = outer;
                continue;
            }
            value = match tcx.parent_hir_node(value) {
                Node::Expr(Expr {
                    hir_id,
                    kind: ExprKind::Cast(..),
                    ..
                }) => *hir_id,
                Node::Expr(
                    call @ Expr {
                        kind: ExprKind::Call(_, [argument]),
                        ..
                    },
                ) if argument.hir_id == value && self.boxes_its_argument(call) => call.hir_id,
                Node::LetStmt(LetStmt {
                    pat,
                    init: Some(init),
                    els: None,
                    ..
                }) if init.hir_id == value && depth < MAX_LOCALS => {
                    let PatKind::Binding(_, local, ..) = pat.kind else {
                        return None;
                    };
                    let uses = uses_of_local(tcx, tcx.hir_enclosing_body_owner(value), local);
                    if uses.is_empty() {
                        return None;
                    }
                    for used in uses {
                        self.collect_awaits_of_future(used, depth + 1, operands)?;
                    }
                    return Some(());
                }
                _ => return None,
            };
        }
    }

    /// Whether the call `call` puts its one argument in a box and does nothing else with it:
    /// `Box::new`, `Box::pin`.
    fn boxes_its_argument(&self, call: &Expr<'_>) -> bool {
        let tcx = self.tcx;
        let owner = tcx.hir_enclosing_body_owner(call.hir_id);
        super::calls::callee_of(tcx, tcx.typeck(owner), call).is_some_and(|(callee, _)| {
            matches!(tcx.item_name(callee).as_str(), "new" | "pin")
                && tcx.impl_of_assoc(callee).is_some_and(|implementation| {
                    tcx.type_of(implementation)
                        .instantiate_identity()
                        .skip_norm_wip()
                        .is_box()
                })
        })
    }

    /// The stretches of `body` when it is the body of a public async fn of a library that this
    /// crate only runs as a main task, if at all; cached.
    fn library_main_task_stretches(&self, body: LocalDefId) -> Option<MainTaskStretches> {
        if let Some(known) = self.library_main_tasks.borrow().get(&body) {
            return known.clone();
        }
        let tcx = self.tcx;
        let candidate = async_source(tcx, body) == Some(CoroutineSource::Fn)
            && self.library_main_task(tcx.local_parent(body)).is_some();
        let stretches = candidate.then(|| self.compute_main_task_stretches(body)).flatten();
        self.library_main_tasks.borrow_mut().insert(body, stretches.clone());
        stretches
    }

    /// The key of `function` ([`Engine::main_task_key`]) when it is a public async fn of a
    /// library that this crate only runs as a main task, if at all, so that the crates using it
    /// decide whether it is one.
    #[must_use]
    pub fn library_main_task(&self, function: LocalDefId) -> Option<String> {
        let tcx = self.tcx;
        let candidate = tcx.asyncness(function).is_async()
            && tcx.entry_fn(()).is_none()
            && tcx.effective_visibilities(()).is_exported(function)
            && self
                .uses_of_async_fns()
                .get(&function.to_def_id())
                .is_none_or(|uses| uses.iter().all(|used| used.in_test || self.is_main_task_use(used.call)));
        candidate.then(|| self.main_task_key(function.to_def_id()))
    }

    /// Whether `body` is an async body that a runtime runs as its main task: the block of the
    /// program's `async fn main` (the attribute makes `main` a sync fn that runs it); a block
    /// that sync code hands to `block_on` (`rt.block_on(async { .. })`) or to another function
    /// that enters a runtime with it; or the body of an async fn of this crate that only such
    /// calls run (`rt.block_on(run(config))`, or through a local), or that the main task awaits
    /// as the whole of itself, which other crates cannot call.
    fn is_main_task(&self, body: LocalDefId) -> bool {
        let tcx = self.tcx;
        let parent = tcx.local_parent(body);
        match async_source(tcx, body) {
            Some(CoroutineSource::Block) => {
                tcx.entry_fn(()).is_some_and(|(entry, _)| entry == parent.to_def_id())
                    || self.runs_as_main_task(tcx.local_def_id_to_hir_id(body))
            }
            Some(CoroutineSource::Fn) => {
                !tcx.effective_visibilities(()).is_exported(parent)
                    && self
                        .uses_of_async_fns()
                        .get(&parent.to_def_id())
                        .is_some_and(|uses| uses.iter().all(|used| self.is_main_task_use(used.call)))
            }
            _ => false,
        }
    }

    /// Whether a use of an async fn runs it as a runtime's main task: a call whose future sync
    /// code hands to `block_on`, or that a main task awaits at its start with no `.await` after
    /// it, so that the fn's start and end are the main task's (`async fn main() {
    /// app::run(Args::parse()).await }`).
    fn is_main_task_use(&self, call: Option<HirId>) -> bool {
        let Some(call) = call else {
            return false;
        };
        if self.runs_as_main_task(call) {
            return true;
        }
        let tcx = self.tcx;
        let Some(awaited) = awaited_by(tcx, call) else {
            return false;
        };
        let body = tcx.hir_enclosing_body_owner(call);
        self.main_task_stretch(body, call, tcx.hir_span(call)) == Some(MainTaskStretch::Start)
            && no_await_after(tcx, awaited)
    }

    /// Whether the future the expression `future` makes is run as a runtime's main task by sync
    /// code: handed to `block_on` (or another function that enters a runtime with it), directly
    /// or through the local it is bound to.
    fn runs_as_main_task(&self, future: HirId) -> bool {
        let tcx = self.tcx;
        let owner = tcx.hir_enclosing_body_owner(future);
        // Sync code: a `block_on` in async code is `nested_runtime`'s, not a main task.
        if tcx.coroutine_kind(owner).is_some() || tcx.asyncness(tcx.typeck_root_def_id(owner.to_def_id())).is_async() {
            return false;
        }
        self.future_goes_only_to(future, |value| self.is_runtime_entry_argument(owner, value))
    }

    /// Whether `goes_there` holds for the value of the future the expression `future` makes, or
    /// else for every use of the local it is bound to (`let future = run(config);
    /// rt.block_on(future)`).
    fn future_goes_only_to(&self, future: HirId, goes_there: impl Fn(HirId) -> bool) -> bool {
        let tcx = self.tcx;
        let value = self.outermost_value(future);
        if goes_there(value) {
            return true;
        }
        let Node::LetStmt(LetStmt { pat, .. }) = tcx.parent_hir_node(value) else {
            return false;
        };
        let PatKind::Binding(_, local, ..) = pat.kind else {
            return false;
        };
        let uses = uses_of_local(tcx, tcx.hir_enclosing_body_owner(future), local);
        !uses.is_empty() && uses.iter().all(|&used| goes_there(used))
    }

    /// Whether `value`, an expression of the body of `owner`, is an argument of a call that
    /// enters a runtime with it: `block_on`, or a function that does (actix's
    /// `SystemRunner::block_on`, through the catalogue; a helper of this crate).
    fn is_runtime_entry_argument(&self, owner: LocalDefId, value: HirId) -> bool {
        let tcx = self.tcx;
        let Node::Expr(call) = tcx.parent_hir_node(value) else {
            return false;
        };
        let is_argument = match call.kind {
            ExprKind::Call(_, args) | ExprKind::MethodCall(_, _, args, _) => args.iter().any(|arg| arg.hir_id == value),
            _ => false,
        };
        is_argument
            && super::calls::callee_of(tcx, tcx.typeck(owner), call)
                .is_some_and(|(callee, args)| self.reach(callee, args, Effect::EntersRuntime).is_some())
    }

    /// For each async fn this crate uses (its own and other crates'), its uses. Built once.
    fn uses_of_async_fns(&self) -> &FxHashMap<DefId, Vec<AsyncFnUse>> {
        self.async_fn_uses.get_or_init(|| {
            let tcx = self.tcx;
            let mut uses: FxHashMap<DefId, Vec<AsyncFnUse>> = FxHashMap::default();
            for owner in tcx.hir_body_owners() {
                let typeck = tcx.typeck(owner);
                if typeck.tainted_by_errors.is_some() {
                    continue;
                }
                let in_test = clippy_utils::is_in_test(tcx, tcx.local_def_id_to_hir_id(owner));
                for_each_fn_use(typeck, tcx.hir_body_owned_by(owner).value, |function, expr, used| {
                    if tcx.asyncness(function).is_async() {
                        uses.entry(function).or_default().push(AsyncFnUse {
                            call: (used == FnUse::PathCall).then_some(expr.hir_id),
                            in_test,
                        });
                    }
                });
            }
            uses
        })
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
        // A body with neither awaits nor uses of the runtime is all start.
        let start_end = [awaits.first, first_runtime_use]
            .into_iter()
            .flatten()
            .min()
            .unwrap_or(value.span.hi());
        // Where no `.await` follows, the main task never gives its thread back: on a
        // current-thread runtime no other task runs before `block_on` returns, blocking or not,
        // and on a multi-thread one the others run on the workers, not on this thread. A task
        // spawned there does not change that.
        let has_end = awaits.last.is_some();
        let lone = if self.polls_kept_futures(body) {
            None
        } else if self.runs_alone(body) {
            Some(Lone::OnlyTask)
        } else if self.runs_on_own_thread(body, &mut Vec::new()) {
            Some(Lone::OwnThread)
        } else {
            None
        };
        Some(MainTaskStretches {
            start_end,
            has_end,
            lone,
        })
    }

    /// Whether the main task `body` runs on the thread that called `block_on` while the tasks it
    /// spawns run on a pool of workers: every runner of it is a multi-thread tokio runtime whose
    /// construction is in sight (`#[tokio::main]`'s default, `Runtime::new`,
    /// `Builder::new_multi_thread`), not a `LocalSet`, which runs its local tasks on the calling
    /// thread too. `seen`: the main tasks asked about on the way, which are answered no.
    fn runs_on_own_thread(&self, body: LocalDefId, seen: &mut Vec<LocalDefId>) -> bool {
        let tcx = self.tcx;
        if seen.contains(&body) {
            return false;
        }
        seen.push(body);
        let parent = tcx.local_parent(body);
        match async_source(tcx, body) {
            Some(CoroutineSource::Block) => {
                if tcx.entry_fn(()).is_some_and(|(entry, _)| entry == parent.to_def_id()) {
                    return self.flavour_built_in(parent) == Some(RuntimeFlavour::MultiThread);
                }
                self.runs_on_multi_thread_runners(tcx.local_def_id_to_hir_id(body))
            }
            Some(CoroutineSource::Fn) => {
                let uses = self.uses_of_async_fns().get(&parent.to_def_id());
                let mut production = uses.into_iter().flatten().filter(|used| !used.in_test).peekable();
                production.peek().is_some()
                    && production.all(|used| {
                        used.call.is_some_and(|call| {
                            if self.runs_as_main_task(call) {
                                self.runs_on_multi_thread_runners(call)
                            } else {
                                // Awaited as the whole of a main task: it runs where that one does.
                                awaited_by(tcx, call).is_some()
                                    && self.runs_on_own_thread(tcx.hir_enclosing_body_owner(call), seen)
                            }
                        })
                    })
            }
            _ => false,
        }
    }

    /// Whether every `block_on` that runs the future the expression `future` makes (directly or
    /// through the local it is bound to) is one of a multi-thread runtime built in sight.
    fn runs_on_multi_thread_runners(&self, future: HirId) -> bool {
        self.future_goes_only_to(future, |value| {
            let Node::Expr(expr) = self.tcx.hir_node(value) else {
                return false;
            };
            self.runner_of(expr)
                .is_some_and(|runner| runner.flavour == Some(RuntimeFlavour::MultiThread) && !runner.local_set)
        })
    }

    /// Whether the async body `body` polls a future it keeps across its own `.await`s or loop
    /// rounds (`tokio::pin!(server); select! { _ = &mut server => .., .. }`,
    /// `future.as_mut()`): such a future waits while `body` blocks, even where nothing else
    /// needs the thread.
    fn polls_kept_futures(&self, body: LocalDefId) -> bool {
        let tcx = self.tcx;
        let Some(future_trait) = tcx.lang_items().future_trait() else {
            return false;
        };
        let typeck = tcx.typeck(body);
        let typing_env = rustc_middle::ty::TypingEnv::post_analysis(tcx, body);
        let Some(value) = tcx.hir_maybe_body_owned_by(body).map(|body| body.value) else {
            return false;
        };
        let is_future = |expr: &Expr<'_>| {
            let ty = typeck.expr_ty_adjusted(expr);
            // The trait query does not see through `&mut Pin<&mut impl Future>` (the opaque
            // type of an async fn): a pinned opaque type or coroutine counts as a future.
            let pinned = match ty.peel_refs().kind() {
                ty::Adt(adt, args) if tcx.lang_items().pin_type() == Some(adt.did()) => {
                    args.types().next().map(Ty::peel_refs)
                }
                _ => None,
            };
            pinned.is_some_and(|inner| {
                matches!(
                    inner.kind(),
                    ty::Alias(
                        _,
                        ty::AliasTy {
                            kind: ty::Opaque { .. },
                            ..
                        }
                    ) | ty::Coroutine(..)
                )
            }) || clippy_utils::ty::implements_trait_with_env(tcx, typing_env, ty, future_trait, None, &[])
        };
        for_each_expr_without_closures(value, |expr| {
            let by_reference = match expr.kind {
                ExprKind::AddrOf(rustc_hir::BorrowKind::Ref, rustc_hir::Mutability::Mut, _) => true,
                ExprKind::MethodCall(segment, ..) => segment.ident.name.as_str() == "as_mut",
                _ => false,
            };
            // The reference `select!`, `pin!` or an `.await` make themselves is theirs, polled once.
            if by_reference && !expr.span.from_expansion() && is_future(expr) {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        })
        .is_some()
    }

    /// Whether the main task `body` is the only task of its runtime: neither it nor the sync
    /// code that runs it (the fn that hands it to `block_on`, which may spawn on the runtime
    /// first) spawns a task, through anything they call or await.
    fn runs_alone(&self, body: LocalDefId) -> bool {
        let tcx = self.tcx;
        let runners: Vec<DefId> = match async_source(tcx, body) {
            Some(CoroutineSource::Fn) => self
                .uses_of_async_fns()
                .get(&tcx.local_parent(body).to_def_id())
                .into_iter()
                .flatten()
                .filter(|used| !used.in_test)
                .filter_map(|used| used.call)
                .map(|call| tcx.typeck_root_def_id(tcx.hir_enclosing_body_owner(call).to_def_id()))
                .collect(),
            _ => vec![tcx.typeck_root_def_id(body.to_def_id())],
        };
        !runners.is_empty()
            && runners
                .into_iter()
                .all(|runner| self.reach_from_body(runner, Effect::SpawnsTask).is_none())
    }
}

/// What `body` is the body of when it is an async one: an async fn, an async block or an async
/// closure.
fn async_source(tcx: TyCtxt<'_>, body: LocalDefId) -> Option<CoroutineSource> {
    match tcx.coroutine_kind(body)? {
        CoroutineKind::Desugared(CoroutineDesugaring::Async, source) => Some(source),
        _ => None,
    }
}

/// The stretch of a main task with `stretches` that the call `call` at `span` runs in.
fn stretch_of(tcx: TyCtxt<'_>, stretches: &MainTaskStretches, call: HirId, span: Span) -> Option<MainTaskStretch> {
    if span.source_callsite().lo() < stretches.start_end && !in_loop_that_awaits(tcx, call) {
        return Some(MainTaskStretch::Start);
    }
    if stretches.has_end && no_await_after(tcx, call) {
        return Some(MainTaskStretch::End);
    }
    stretches.lone.map(Lone::stretch)
}

/// Whether a loop of the body around the expression `call` awaits: from its second round on,
/// `call` runs after an `.await`, wherever it is written.
fn in_loop_that_awaits(tcx: TyCtxt<'_>, call: HirId) -> bool {
    ancestors_in_body(tcx, call).any(|(_, _, parent)| match parent {
        Node::Expr(
            expr @ Expr {
                kind: ExprKind::Loop(..),
                ..
            },
        ) => {
            let mut awaits = Awaits::default();
            awaits.visit_expr(expr);
            awaits.last.is_some()
        }
        _ => false,
    })
}

/// The `.await` whose operand the expression `operand` is (`run(config).await`).
fn awaited_by(tcx: TyCtxt<'_>, operand: HirId) -> Option<HirId> {
    // `match IntoFuture::into_future(<operand>) { .. }`.
    let mut scrutinee = operand;
    for _ in 0..2 {
        match tcx.parent_hir_node(scrutinee) {
            Node::Expr(Expr {
                hir_id,
                kind: ExprKind::Match(matched, _, MatchSource::AwaitDesugar),
                ..
            }) if matched.hir_id == scrutinee => return Some(*hir_id),
            Node::Expr(Expr {
                hir_id,
                kind: ExprKind::Call(_, [argument]),
                ..
            }) if argument.hir_id == scrutinee => scrutinee = *hir_id,
            _ => return None,
        }
    }
    None
}

/// The `.await`s of a body (not of the closures and async blocks inside it, which run when they
/// are called or awaited).
#[derive(Default)]
struct Awaits {
    /// Where the task first waits: the end of the first `.await`'s operand.
    first: Option<BytePos>,
    /// The end of the last `.await`.
    last: Option<BytePos>,
}

impl<'tcx> Visitor<'tcx> for Awaits {
    fn visit_expr(&mut self, expr: &'tcx Expr<'tcx>) {
        // `match IntoFuture::into_future(<operand>) { .. }`: the task waits once the operand
        // (`serve(Args::parse())` in `serve(Args::parse()).await`) has run.
        if let ExprKind::Match(scrutinee, _, MatchSource::AwaitDesugar) = expr.kind {
            let operand = match scrutinee.kind {
                ExprKind::Call(_, [operand]) => operand,
                _ => scrutinee,
            };
            let operand_site = operand.span.source_callsite();
            // An `.await` a macro writes (`select!`, `join!`) may wait before anything else the
            // macro call holds runs (its branches): count the wait from the call's beginning.
            let waits_at = if operand.span.from_expansion() {
                operand_site.lo()
            } else {
                operand_site.hi()
            };
            self.first = Some(self.first.map_or(waits_at, |first| first.min(waits_at)));
            let done_at = expr.span.source_callsite().hi();
            self.last = Some(self.last.map_or(done_at, |last| last.max(done_at)));
        }
        intravisit::walk_expr(self, expr);
    }
}

/// Whether no `.await` of the body around the expression `call` can run after it: none follows it
/// in the blocks around it (branches of an `if` or `match` it is not in do not run after it), in
/// the rest of an expression it is an operand of, or in a loop around it.
fn no_await_after(tcx: TyCtxt<'_>, call: HirId) -> bool {
    let awaits_in = |expr: &Expr<'_>| {
        let mut awaits = Awaits::default();
        awaits.visit_expr(expr);
        awaits.last.is_some()
    };
    for (child, _, parent) in ancestors_in_body(tcx, call) {
        match parent {
            Node::Block(block) => {
                let position = block.stmts.iter().position(|stmt| stmt.hir_id == child);
                let later_statements = position.map_or(&[][..], |position| &block.stmts[position + 1..]);
                for stmt in later_statements {
                    let (awaits, returns) = match stmt.kind {
                        StmtKind::Let(local) => (
                            local.init.is_some_and(awaits_in)
                                || local.els.is_some_and(|els| awaits_in_block(els, &awaits_in)),
                            false,
                        ),
                        StmtKind::Expr(expr) | StmtKind::Semi(expr) => {
                            (awaits_in(expr), matches!(expr.kind, ExprKind::Ret(_)))
                        }
                        StmtKind::Item(_) => (false, false),
                    };
                    if awaits {
                        return false;
                    }
                    // `return`: the task ends here, whatever follows the block.
                    if returns {
                        return true;
                    }
                }
                if let Some(tail) = block.expr.filter(|tail| tail.hir_id != child) {
                    if awaits_in(tail) {
                        return false;
                    }
                    if matches!(tail.kind, ExprKind::Ret(_)) {
                        return true;
                    }
                }
            }
            // A later round of the loop awaits after it.
            Node::Expr(
                expr @ Expr {
                    kind: ExprKind::Loop(..),
                    ..
                },
            ) => {
                if awaits_in(expr) {
                    return false;
                }
            }
            // The operand of an `.await`: the task waits right after it.
            Node::Expr(Expr {
                kind: ExprKind::Match(_, _, MatchSource::AwaitDesugar),
                ..
            }) => return false,
            // The other branches do not run after this one; the condition ran before it.
            Node::Expr(Expr {
                kind: ExprKind::If(..) | ExprKind::Match(..),
                ..
            })
            | Node::Arm(_)
            | Node::Stmt(_)
            | Node::LetStmt(_) => {}
            // An operand: the rest of the expression runs after it.
            Node::Expr(expr) => {
                let child_end = tcx.hir_span(child).hi();
                let mut awaits = AwaitsAfter {
                    after: child_end,
                    found: false,
                };
                awaits.visit_expr(expr);
                if awaits.found {
                    return false;
                }
            }
            _ => {}
        }
    }
    true
}

/// Whether the statements or tail of `block` await.
fn awaits_in_block(block: &rustc_hir::Block<'_>, awaits_in: &impl Fn(&Expr<'_>) -> bool) -> bool {
    block
        .stmts
        .iter()
        .any(|stmt| matches!(stmt.kind, StmtKind::Expr(expr) | StmtKind::Semi(expr) if awaits_in(expr)))
        || block.expr.is_some_and(awaits_in)
}

/// Whether an expression has an `.await` that starts after `after`.
struct AwaitsAfter {
    after: BytePos,
    found: bool,
}

impl<'tcx> Visitor<'tcx> for AwaitsAfter {
    fn visit_expr(&mut self, expr: &'tcx Expr<'tcx>) {
        if let ExprKind::Match(_, _, MatchSource::AwaitDesugar) = expr.kind
            && expr.span.lo() >= self.after
        {
            self.found = true;
        }
        intravisit::walk_expr(self, expr);
    }
}

/// The uses of the local `local` of the body of `owner`: the path expressions that name it,
/// in the closures and async blocks inside the body too.
pub(super) fn uses_of_local(tcx: TyCtxt<'_>, owner: LocalDefId, local: HirId) -> Vec<HirId> {
    let mut uses = Vec::new();
    for_each_expr(tcx, tcx.hir_body_owned_by(owner).value, |expr| {
        if let ExprKind::Path(QPath::Resolved(None, path)) = expr.kind
            && path.res == Res::Local(local)
        {
            uses.push(expr.hir_id);
        }
        ControlFlow::<()>::Continue(())
    });
    uses
}
