//! Cross-crate summaries: written for each dependency the driver compiles (what each of its
//! functions may do, with one chain), read when a crate calls into that dependency.

use super::{Effect, Engine, Witness};
use async_lint_config::catalogue::{Category, Entry};
use async_lint_config::summary::{Chain, ChainHop, CrateSummary, FunctionSummary};
use rustc_hir::def::DefKind;
use rustc_middle::ty::TyCtxt;
use rustc_span::def_id::{CrateNum, DefId, LOCAL_CRATE};
use std::borrow::Cow;
use std::rc::Rc;

/// The summary key of a function: the local part of its `DefPathHash`, stable across crates.
fn key(engine: &Engine<'_>, def_id: DefId) -> String {
    format!("{:016x}", engine.tcx.def_path_hash(def_id).local_hash().as_u64())
}

impl Engine<'_> {
    /// What a function of another crate may do, from that crate's summary.
    pub(super) fn external_witness(&self, function: DefId, effect: Effect) -> Option<Rc<Witness>> {
        if self.non_blocking.contains(&function) {
            return None;
        }
        let summary = self.crate_summary(function.krate)?;
        let function_summary = summary.functions.get(&key(self, function))?;
        let chain = match effect {
            Effect::Blocks => function_summary.blocks.as_ref()?,
            Effect::EntersRuntime => function_summary.enters_runtime.as_ref()?,
        };
        let category = Category::from_name(&chain.category)?;
        Some(Rc::new(Witness {
            entry: Entry {
                path: Cow::Owned(chain.entry.clone()),
                self_ty: None,
                category,
                hint: chain.hint.clone().map(Cow::Owned),
            },
            hops: Vec::new(),
            external: chain.hops.clone(),
        }))
    }

    fn crate_summary(&self, krate: CrateNum) -> Option<Rc<CrateSummary>> {
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
        for owner in tcx.hir_body_owners() {
            if !matches!(tcx.def_kind(owner), DefKind::Fn | DefKind::AssocFn)
                || tcx.asyncness(owner).is_async()
                || tcx.typeck(owner).tainted_by_errors.is_some()
            {
                continue;
            }
            let blocks = self.reach_from_body(owner.to_def_id(), Effect::Blocks);
            let enters_runtime = self.reach_from_body(owner.to_def_id(), Effect::EntersRuntime);
            if blocks.is_none() && enters_runtime.is_none() {
                continue;
            }
            summary.functions.insert(
                key(self, owner.to_def_id()),
                FunctionSummary {
                    path: tcx.def_path_str(owner.to_def_id()),
                    blocks: blocks.map(|witness| self.chain(&witness)),
                    enters_runtime: enters_runtime.map(|witness| self.chain(&witness)),
                },
            );
        }
        summary
    }

    fn chain(&self, witness: &Witness) -> Chain {
        let tcx = self.tcx;
        let sm = tcx.sess.source_map();
        let mut hops: Vec<ChainHop> = witness
            .hops
            .iter()
            .map(|hop| {
                let place = sm.lookup_char_pos(hop.span.lo());
                ChainHop {
                    caller: qualified(tcx, hop.caller),
                    callee: hop.callee.clone(),
                    file: place.file.name.prefer_local_unconditionally().to_string(),
                    line: place.line,
                    column: place.col.0 + 1,
                }
            })
            .collect();
        hops.extend(witness.external.iter().cloned());
        Chain {
            entry: witness.entry.display_name(),
            entry_path: witness.entry.path.to_string(),
            category: witness.entry.category.name().to_owned(),
            hint: witness.entry.hint.as_ref().map(ToString::to_string),
            hops,
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
