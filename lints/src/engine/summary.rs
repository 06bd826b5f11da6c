//! Cross-crate summaries: written for each dependency the driver compiles (what each of its
//! functions may do, with one chain), read when a crate calls into that dependency.

use super::{Effect, Engine, Witness};
use async_lint_config::summary::{Chain, ChainHop, CrateSummary, DeferredCall, FunctionSummary};
use rustc_hashes::Hash64;
use rustc_hir::def::DefKind;
use rustc_middle::ty::{self, GenericArgsRef, TyCtxt, TypeVisitableExt};
use rustc_span::Span;
use rustc_span::def_id::{CrateNum, DefId, DefPathHash, LOCAL_CRATE, LocalDefId};
use std::rc::Rc;

/// How many deferred calls deep a chain is followed.
const MAX_DEFERRED_DEPTH: usize = 8;

/// The summary key of a function: the local part of its `DefPathHash`, stable across crates.
pub(super) fn key(tcx: TyCtxt<'_>, def_id: DefId) -> String {
    format!("{:016x}", tcx.def_path_hash(def_id).local_hash().as_u64())
}

/// The function of `krate` a summary names by its [`key`].
pub(super) fn keyed_function(tcx: TyCtxt<'_>, krate: CrateNum, key: &str) -> Option<DefId> {
    let local_hash = u64::from_str_radix(key, 16).ok()?;
    tcx.def_path_hash_to_def_id(DefPathHash::new(tcx.stable_crate_id(krate), Hash64::new(local_hash)))
}

/// The crate a summary names by its stable id (see [`crate_of`]).
fn crate_with_id(tcx: TyCtxt<'_>, stable_crate_id: u64) -> Option<CrateNum> {
    tcx.crates(())
        .iter()
        .copied()
        .find(|&krate| tcx.stable_crate_id(krate).as_u64() == stable_crate_id)
}

/// The stable id of the crate that defines `def_id`, as summaries name a function of another
/// crate with its [`key`].
pub(super) fn crate_of(tcx: TyCtxt<'_>, def_id: DefId) -> u64 {
    tcx.def_path_hash(def_id).stable_crate_id().as_u64()
}

impl<'tcx> Engine<'tcx> {
    /// What a function of another crate (called with `args`) may do, from that crate's
    /// summary: its own chain, or one through a trait method it calls on a type parameter,
    /// resolved with the concrete types of `args`.
    pub(super) fn external_witness(
        &self,
        function: DefId,
        args: GenericArgsRef<'tcx>,
        effect: Effect,
    ) -> Option<Rc<Witness>> {
        if self.non_blocking.contains(&function) {
            return None;
        }
        let summary = self.crate_summary(function.krate)?;
        let function_summary = summary.functions.get(&key(self.tcx, function))?;
        let own = match effect {
            Effect::Blocks => function_summary.blocks.as_ref(),
            Effect::EntersRuntime => function_summary.enters_runtime.as_ref(),
            Effect::MultiThreadOnly => function_summary.multi_thread_only.as_ref(),
            Effect::NeedsRuntime => function_summary.needs_runtime.as_ref(),
            Effect::SpawnsTask => function_summary.spawns_task.as_ref(),
        };
        let Some(chain) = own else {
            return function_summary
                .deferred
                .iter()
                .find_map(|deferred| self.deferred_witness(deferred, args, effect));
        };
        Some(Rc::new(witness_of_chain(chain)))
    }

    /// The chain through a deferred call, once its `Self` type is known from `args`.
    fn deferred_witness(
        &self,
        deferred: &DeferredCall,
        args: GenericArgsRef<'tcx>,
        effect: Effect,
    ) -> Option<Rc<Witness>> {
        let tcx = self.tcx;
        // Generic dependencies calling generic dependencies: the types could grow without end.
        if self.deferred_depth.get() >= MAX_DEFERRED_DEPTH {
            return None;
        }
        let self_ty = args.get(usize::try_from(deferred.self_param).ok()?)?.as_type()?;
        if self_ty.has_non_region_param() {
            return None;
        }
        let method = keyed_function(tcx, crate_with_id(tcx, deferred.method_crate)?, &deferred.method)?;
        if tcx.generics_of(method).count() != 1 {
            return None;
        }
        let method_args = tcx.mk_args(&[self_ty.into()]);
        self.deferred_depth.set(self.deferred_depth.get() + 1);
        let reach = self.reach(method, method_args, effect);
        self.deferred_depth.set(self.deferred_depth.get() - 1);
        let reach = reach?;
        let entry = reach.entry().clone();
        let (callee, mut rest) = match reach {
            super::Reach::Direct(entry) => (entry.display_name(), Vec::new()),
            super::Reach::Through { function, witness } => (qualified(tcx, function), self.hops_of(&witness)),
        };
        let mut hops = vec![ChainHop {
            callee,
            ..deferred.site.clone()
        }];
        hops.append(&mut rest);
        Some(Rc::new(Witness {
            entry,
            hops: Vec::new(),
            external: hops,
            coerced: None,
        }))
    }

    /// A generic function's calls of trait methods on its own type parameters.
    fn deferred_calls(&self, owner: LocalDefId) -> Vec<DeferredCall> {
        let tcx = self.tcx;
        if tcx.generics_of(owner).count() == 0 {
            return Vec::new();
        }
        self.call_sites(owner)
            .iter()
            .filter_map(|site| {
                tcx.trait_of_assoc(site.callee)?;
                if site.args.len() != 1 {
                    return None;
                }
                let ty::Param(param) = site.args.type_at(0).kind() else {
                    return None;
                };
                Some(DeferredCall {
                    method_crate: crate_of(tcx, site.callee),
                    method: key(tcx, site.callee),
                    self_param: param.index,
                    site: self.chain_hop(owner.to_def_id(), tcx.def_path_str(site.callee), site.span),
                })
            })
            .collect()
    }

    pub(super) fn crate_summary(&self, krate: CrateNum) -> Option<Rc<CrateSummary>> {
        if let Some(known) = self.summaries.borrow().get(&krate) {
            return known.clone();
        }
        let name = self.tcx.crate_name(krate);
        let loaded = self
            .summary_dir
            .as_ref()
            .filter(|_| {
                !self
                    .skipped_crates
                    .iter()
                    .any(|skipped| skipped.as_str() == name.as_str())
            })
            .and_then(|dir| {
                let file = CrateSummary::file(dir, name.as_str(), self.tcx.stable_crate_id(krate).as_u64());
                crate::inputs::summary_read(&file);
                CrateSummary::read(&file).ok()
            })
            .map(Rc::new);
        self.summaries.borrow_mut().insert(krate, loaded.clone());
        loaded
    }

    /// This crate's summary: every synchronous function that may block or enter a runtime.
    #[must_use]
    pub fn summarize(&self) -> CrateSummary {
        let tcx = self.tcx;
        let mut summary = CrateSummary {
            crate_name: tcx.crate_name(LOCAL_CRATE).to_string(),
            ..CrateSummary::default()
        };
        let visibilities = tcx.effective_visibilities(());
        for owner in tcx.hir_body_owners() {
            // Other crates can only call what they can name: reachable functions, and the
            // methods of trait impls (reached through the trait).
            let callable_from_outside = visibilities.is_reachable(owner)
                || tcx
                    .impl_of_assoc(owner.to_def_id())
                    .is_some_and(|imp| tcx.impl_opt_trait_ref(imp).is_some());
            if !callable_from_outside
                || !matches!(tcx.def_kind(owner), DefKind::Fn | DefKind::AssocFn)
                || tcx.typeck(owner).tainted_by_errors.is_some()
            {
                continue;
            }
            // An async fn's future runs on whatever runtime awaits it: only what needs a
            // multi-thread runtime is its callers' concern.
            let is_async = tcx.asyncness(owner).is_async();
            let reach = |effect: Effect| {
                let wanted = !is_async || effect.follows_async_code();
                wanted
                    .then(|| self.reach_from_body(owner.to_def_id(), effect))
                    .flatten()
            };
            let blocks = reach(Effect::Blocks);
            let enters_runtime = reach(Effect::EntersRuntime);
            let multi_thread_only = reach(Effect::MultiThreadOnly);
            let needs_runtime = reach(Effect::NeedsRuntime);
            let spawns_task = reach(Effect::SpawnsTask);
            let deferred = if is_async {
                Vec::new()
            } else {
                self.deferred_calls(owner)
            };
            let runs_parameters = self.parameters_run(owner);
            if blocks.is_none()
                && enters_runtime.is_none()
                && multi_thread_only.is_none()
                && needs_runtime.is_none()
                && spawns_task.is_none()
                && deferred.is_empty()
                && runs_parameters.is_empty()
            {
                continue;
            }
            summary.functions.insert(
                key(tcx, owner.to_def_id()),
                FunctionSummary {
                    path: tcx.def_path_str(owner.to_def_id()),
                    blocks: blocks.map(|witness| self.chain(&witness)),
                    enters_runtime: enters_runtime.map(|witness| self.chain(&witness)),
                    multi_thread_only: multi_thread_only.map(|witness| self.chain(&witness)),
                    needs_runtime: needs_runtime.map(|witness| self.chain(&witness)),
                    spawns_task: spawns_task.map(|witness| self.chain(&witness)),
                    deferred,
                    runs_parameters,
                },
            );
        }
        summary.coercions = self.summarized_coercions();
        summary
    }

    pub(super) fn chain(&self, witness: &Witness) -> Chain {
        Chain {
            entry: witness.entry.clone(),
            hops: self.hops_of(witness),
        }
    }

    /// A witness's hops, local ones first, as summaries write them.
    fn hops_of(&self, witness: &Witness) -> Vec<ChainHop> {
        let mut hops: Vec<ChainHop> = witness
            .hops
            .iter()
            .map(|hop| {
                // Other crates read the callee too: a function of this crate gets its crate's name.
                let callee = match hop.callee_id {
                    Some(callee) if callee.is_local() => qualified(self.tcx, callee),
                    _ => hop.callee.clone(),
                };
                ChainHop {
                    dropped: hop.dropped.clone(),
                    ..self.chain_hop(hop.caller, callee, hop.span)
                }
            })
            .collect();
        hops.extend(witness.external.iter().cloned());
        hops
    }

    /// "`from` calls `to` at `span`", as summaries write it.
    pub(super) fn chain_hop(&self, from: DefId, to: String, span: Span) -> ChainHop {
        let place = self.tcx.sess.source_map().lookup_char_pos(span.lo());
        ChainHop {
            caller: qualified(self.tcx, from),
            callee: to,
            file: place.file.name.prefer_local_unconditionally().to_string(),
            line: place.line,
            column: place.col.0 + 1,
            dropped: None,
            coerced: None,
        }
    }
}

/// A function of this crate as the crates that read the summary name it: with the crate name
/// in front (`store::load_config`), which rustc leaves out for local paths.
fn qualified(tcx: TyCtxt<'_>, function: DefId) -> String {
    let path = tcx.def_path_str(function);
    if path.starts_with('<') {
        // `<Type as Trait>::method` already names its types.
        path
    } else {
        format!("{}::{path}", tcx.crate_name(LOCAL_CRATE))
    }
}

/// A chain read from a summary, as a witness whose steps are all in other crates.
pub(super) fn witness_of_chain(chain: &Chain) -> Witness {
    Witness {
        entry: chain.entry.clone(),
        hops: Vec::new(),
        external: chain.hops.clone(),
        coerced: None,
    }
}
