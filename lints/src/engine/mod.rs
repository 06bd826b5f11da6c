//! The shared analysis: which bodies run as async code, what each call resolves to, and whether
//! it reaches a blocking API. Lints ask the [`Engine`]; they never re-derive any of this.

mod async_context;
mod calls;
mod catalogue;
mod reach;

pub use async_context::{AsyncContext, ContextInfo};
pub use calls::{CallSite, callee_of};
pub use catalogue::Catalogue;
pub use reach::{Blocking, Hop, Witness};

use async_lint_config::Conf;
use rustc_data_structures::fx::{FxHashMap, FxHashSet};
use rustc_middle::ty::TyCtxt;
use rustc_span::def_id::{DefId, LocalDefId};
use std::cell::RefCell;
use std::rc::Rc;

/// The analysis of one crate, built when its lint pass starts.
pub struct Engine<'tcx> {
    pub tcx: TyCtxt<'tcx>,
    pub catalogue: Catalogue,
    /// Functions whose closure arguments run on another thread.
    boundaries: FxHashSet<DefId>,
    contexts: RefCell<FxHashMap<LocalDefId, Option<ContextInfo>>>,
    /// Per function of this crate: which parameters it hands to a boundary.
    offloaded: RefCell<FxHashMap<LocalDefId, Rc<[bool]>>>,
    call_sites: RefCell<FxHashMap<LocalDefId, Rc<[CallSite<'tcx>]>>>,
    reach: RefCell<reach::ReachState<'tcx>>,
}

impl<'tcx> Engine<'tcx> {
    #[must_use]
    pub fn new(tcx: TyCtxt<'tcx>, conf: &Conf) -> Self {
        Self {
            tcx,
            catalogue: Catalogue::resolve(tcx, conf.blocking_entries()),
            boundaries: catalogue::resolve_functions(tcx, conf.boundaries()),
            contexts: RefCell::default(),
            offloaded: RefCell::default(),
            call_sites: RefCell::default(),
            reach: RefCell::default(),
        }
    }
}
