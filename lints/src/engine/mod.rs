//! The shared analysis: which bodies run as async code, what each call resolves to, and whether
//! it reaches a blocking API. Lints ask the [`Engine`]; they never re-derive any of this.

mod async_context;
mod call_values;
mod calls;
mod catalogue;
mod channels;
mod dropped_where;
mod dyn_calls;
mod flavour;
mod held;
mod mir_calls;
mod owned;
pub mod paths;
mod reach;
mod send;
mod startup;
mod stored_functions;
mod summary;

pub use async_context::{AsyncContext, ContextInfo};
pub use calls::{CallSite, callee_of};
pub use catalogue::Catalogue;
pub use flavour::{CurrentThread, CurrentThreadCause, RuntimeFree};
pub use held::{Held, binding_at, borrows, held_across_awaits, moved_out_before, release_point, scrutinee_holding};
pub use mir_calls::DropSite;
pub use owned::is_standard_library;
pub use reach::{Hop, Reach, Witness};
pub use send::{NotSendCause, NotSendValue, WhyNotSend};
pub use startup::{MainTaskStretch, OtherCratesMainTasks};

use async_lint_config::Conf;
use async_lint_config::catalogue::{Category, GuardKind};
use clippy_utils::paths::{PathNS, lookup_path_str};
use rustc_data_structures::fx::{FxHashMap, FxHashSet};
use rustc_middle::ty::{self, TyCtxt};
use rustc_span::def_id::{DefId, LocalDefId};
use std::cell::RefCell;
use std::rc::Rc;

/// What a call is looked at for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Effect {
    /// Blocks the thread (the catalogue's blocking categories).
    Blocks,
    /// Enters a runtime or blocks on a future (`tokio-runtime`, `block-on`, `runtime-client`).
    EntersRuntime,
    /// Works only on a multi-thread runtime (`multi-thread-only`: `block_in_place`). Chains for
    /// it go through async fns and the async blocks inside a body too: what a future awaits or
    /// spawns runs on the same runtime.
    MultiThreadOnly,
    /// Needs a runtime's context (`runtime-context`, `task-spawn`: `tokio::spawn`, timers, I/O
    /// types).
    NeedsRuntime,
    /// Spawns a task on a tokio runtime (`task-spawn`, `handle-spawn`), through async code too:
    /// a main task that reaches none is the only task of its runtime.
    SpawnsTask,
}

impl Effect {
    pub const ALL: [Effect; 5] = [
        Effect::Blocks,
        Effect::EntersRuntime,
        Effect::MultiThreadOnly,
        Effect::NeedsRuntime,
        Effect::SpawnsTask,
    ];

    #[must_use]
    pub fn includes(self, category: Category) -> bool {
        match self {
            Effect::Blocks => category.blocks(),
            Effect::EntersRuntime => category.enters_runtime(),
            Effect::MultiThreadOnly => category == Category::MultiThreadOnly,
            Effect::NeedsRuntime => matches!(category, Category::RuntimeContext | Category::TaskSpawn),
            Effect::SpawnsTask => matches!(category, Category::TaskSpawn | Category::HandleSpawn),
        }
    }

    pub(crate) fn index(self) -> usize {
        match self {
            Effect::Blocks => 0,
            Effect::EntersRuntime => 1,
            Effect::MultiThreadOnly => 2,
            Effect::NeedsRuntime => 3,
            Effect::SpawnsTask => 4,
        }
    }

    /// Whether chains for this effect go through async code: the async fns a body calls and
    /// the async blocks it holds run where it runs, on the same runtime.
    #[must_use]
    pub fn follows_async_code(self) -> bool {
        matches!(self, Effect::MultiThreadOnly | Effect::SpawnsTask)
    }
}

/// A function with the generic arguments it is called with.
type Instantiated<'tcx> = (DefId, ty::GenericArgsRef<'tcx>);

/// The analysis of one crate, built when its lint pass starts.
pub struct Engine<'tcx> {
    pub tcx: TyCtxt<'tcx>,
    /// Whether the crate is or uses tokio, so advice may name its APIs.
    pub uses_tokio: bool,
    pub catalogue: Catalogue,
    /// Functions whose closure arguments run on another thread.
    boundaries: FxHashSet<DefId>,
    contexts: RefCell<FxHashMap<LocalDefId, Option<ContextInfo>>>,
    /// Closures of this crate: whether they run on another thread.
    boundary_closures: RefCell<FxHashMap<LocalDefId, bool>>,
    /// Per function of this crate: which parameters it hands to a boundary.
    offloaded: RefCell<FxHashMap<LocalDefId, Rc<[calls::Offload]>>>,
    call_sites: RefCell<FxHashMap<LocalDefId, Rc<[CallSite<'tcx>]>>>,
    /// Guard types (`lock_across_await`).
    guards: FxHashMap<DefId, GuardKind>,
    /// Where dependencies' summaries are, when cross-crate analysis is on.
    summary_dir: Option<std::path::PathBuf>,
    /// Loaded summaries, by crate (`None`: the crate has none).
    summaries: RefCell<FxHashMap<rustc_span::def_id::CrateNum, Option<Rc<async_lint_config::summary::CrateSummary>>>>,
    /// `cross_crate.exclude` and the async-native crates: crates whose summaries are not used.
    skipped_crates: Vec<String>,
    /// How many deferred calls (trait calls inside generic dependencies) the current chain
    /// goes through.
    deferred_depth: std::cell::Cell<usize>,
    /// `cross_crate.non_blocking`: functions of dependencies taken as non-blocking.
    non_blocking: FxHashSet<DefId>,
    /// Sends that block only on a channel made bounded, which their call site decides.
    channel_sends: channels::ChannelSends,
    /// Paths resolved on demand by [`Engine::resolve`].
    resolved_paths: RefCell<FxHashMap<&'static str, Rc<[DefId]>>>,
    /// Reachability memo, one per [`Effect`].
    reach: [RefCell<reach::ReachState<'tcx>>; Effect::ALL.len()],
    /// Per body: the calls it makes including those in the async blocks and async closures it
    /// holds (for [`Effect::follows_async_code`]).
    call_sites_with_async: RefCell<FxHashMap<LocalDefId, Rc<[CallSite<'tcx>]>>>,
    /// Per body: what runtime flavour it is known to run on.
    flavours: RefCell<FxHashMap<LocalDefId, Option<flavour::CurrentThread>>>,
    /// Per body: whether it is known to run where no runtime is entered.
    runtime_free: RefCell<FxHashMap<LocalDefId, Option<flavour::RuntimeFree>>>,
    /// The functions calls resolve to (trait methods to their impl), shared by every effect.
    resolved_calls: RefCell<FxHashMap<Instantiated<'tcx>, Option<Instantiated<'tcx>>>>,
    /// [`async_lint_config::catalogue::RUNTIME_CONTEXT_ENTRIES`], resolved.
    runtime_context_entries: FxHashSet<DefId>,
    /// Trait methods whose implementations are async context (`Future::poll`), resolved.
    poll_methods: FxHashSet<DefId>,
    /// Per body: the functions its calls use (see [`Engine::calls_use_function`]).
    used_functions: RefCell<FxHashMap<LocalDefId, Rc<FxHashSet<DefId>>>>,
    /// This crate's unsizing coercions to trait objects, read when a `dyn` call is first met.
    coercions: RefCell<[Option<Rc<dyn_calls::Coercions<'tcx>>>; 2]>,
    /// The values the crate's struct literals give each field, read when first asked for (a
    /// call of a `fn` pointer field, a send on a channel in a field).
    field_values: RefCell<Option<Rc<stored_functions::FieldValues<'tcx>>>>,
    /// Per type: the types with a destructor a drop of it runs.
    drop_components: RefCell<FxHashMap<ty::Ty<'tcx>, Rc<[ty::Ty<'tcx>]>>>,
    /// Per async block of `async fn main`: where the code that runs before any other task ends.
    main_task_stretches: RefCell<FxHashMap<LocalDefId, Option<startup::MainTaskStretches>>>,
    /// Per public async fn of a library: its stretches, when it may be the main task of the
    /// crates that use it.
    library_main_tasks: RefCell<FxHashMap<LocalDefId, Option<startup::MainTaskStretches>>>,
    async_fn_uses: std::cell::OnceCell<FxHashMap<rustc_span::def_id::DefId, Vec<startup::AsyncFnUse>>>,
}

impl<'tcx> Engine<'tcx> {
    #[must_use]
    pub fn new(tcx: TyCtxt<'tcx>, conf: &Conf) -> Self {
        Self {
            tcx,
            uses_tokio: tcx.sess.opts.externs.get("tokio").is_some()
                || tcx.crate_name(rustc_span::def_id::LOCAL_CRATE).as_str() == "tokio",
            catalogue: Catalogue::resolve(tcx, conf.blocking_entries()),
            boundaries: catalogue::resolve_functions(tcx, conf.boundaries()),
            guards: conf
                .guards()
                .flat_map(|(path, kind)| {
                    lookup_path_str(tcx, PathNS::Type, path)
                        .into_iter()
                        .map(move |def_id| (def_id, kind))
                })
                .collect(),
            contexts: RefCell::default(),
            offloaded: RefCell::default(),
            boundary_closures: RefCell::default(),
            call_sites: RefCell::default(),
            call_sites_with_async: RefCell::default(),
            flavours: RefCell::default(),
            runtime_free: RefCell::default(),
            resolved_calls: RefCell::default(),
            poll_methods: catalogue::resolve_functions(tcx, conf.poll_methods()),
            used_functions: RefCell::default(),
            drop_components: RefCell::default(),
            main_task_stretches: RefCell::default(),
            library_main_tasks: RefCell::default(),
            async_fn_uses: std::cell::OnceCell::default(),
            coercions: RefCell::default(),
            field_values: RefCell::default(),
            runtime_context_entries: catalogue::resolve_functions(
                tcx,
                async_lint_config::catalogue::RUNTIME_CONTEXT_ENTRIES.iter().copied(),
            ),
            reach: Default::default(),
            resolved_paths: RefCell::default(),
            summary_dir: summary_dir(conf),
            summaries: RefCell::default(),
            skipped_crates: conf.cross_crate_skipped().collect(),
            deferred_depth: std::cell::Cell::new(0),
            non_blocking: catalogue::resolve_functions(tcx, conf.cross_crate_non_blocking())
                .into_iter()
                .chain(catalogue::resolve_destructors(
                    tcx,
                    async_lint_config::catalogue::NON_BLOCKING_DROPS.iter().copied(),
                ))
                .collect(),
            channel_sends: channels::ChannelSends::resolve(tcx),
        }
    }

    /// The kind of guard the type `def_id` is, if it is one.
    #[must_use]
    pub fn guard_kind(&self, def_id: DefId) -> Option<GuardKind> {
        self.guards.get(&def_id).copied()
    }

    /// Where summaries are read and written, when cross-crate analysis is on.
    #[must_use]
    pub fn summary_dir(&self) -> Option<&std::path::Path> {
        self.summary_dir.as_deref()
    }

    /// The functions a path names in this build (none when its crate is absent), resolved once.
    pub fn resolve(&self, path: &'static str) -> Rc<[DefId]> {
        if let Some(known) = self.resolved_paths.borrow().get(path) {
            return known.clone();
        }
        let resolved: Rc<[DefId]> = lookup_path_str(self.tcx, PathNS::Value, path).into();
        self.resolved_paths.borrow_mut().insert(path, resolved.clone());
        resolved
    }
}

/// The directory of summary files, when the subcommand asked for summaries and the config
/// follows calls into other crates.
#[must_use]
pub fn summary_dir(conf: &Conf) -> Option<std::path::PathBuf> {
    std::env::var_os(async_lint_config::env::SUMMARY_DIR_ENV)
        .filter(|dir| !dir.is_empty() && conf.cross_crate_enabled())
        .map(std::path::PathBuf::from)
}
