//! Whether a call reaches a blocking API through any chain of synchronous calls, and the chain
//! that proves it.
//!
//! Functions are analysed per instantiation: a generic helper called with `FileLoader` is walked
//! with its type parameters replaced, so `loader.load()` inside it resolves to
//! `<FileLoader as Loader>::load`. Results are memoized per (function, generic arguments), which
//! keeps the walk linear in call edges; recursion is cut at functions still being walked.

use super::{Effect, Engine};
use async_lint_config::catalogue::Entry;
use rustc_hir::HirId;
use rustc_hir::def::DefKind;
use rustc_middle::ty::{self, EarlyBinder, GenericArgsRef, Instance, InstanceKind, TypeVisitableExt, Unnormalized};
use rustc_span::Span;
use rustc_span::def_id::DefId;
use std::rc::Rc;

/// One step of a chain: `caller` calls `callee` at `span` (the call expression `hir_id`).
#[derive(Clone, Debug)]
pub struct Hop {
    pub caller: DefId,
    pub callee: String,
    pub span: Span,
    pub hir_id: HirId,
}

/// A chain from a synchronous function down to a catalogued blocking call.
#[derive(Debug)]
pub struct Witness {
    pub entry: Entry,
    /// From the first synchronous function down; the last hop calls `entry`.
    pub hops: Vec<Hop>,
}

/// How a call reaches a catalogued API.
#[derive(Debug)]
pub enum Reach<'a> {
    /// It calls one.
    Direct(&'a Entry),
    /// It calls a synchronous function of this crate that reaches one.
    Through { function: DefId, witness: Rc<Witness> },
}

impl Reach<'_> {
    /// The catalogued API at the end of the chain.
    #[must_use]
    pub fn entry(&self) -> &Entry {
        match self {
            Reach::Direct(entry) => entry,
            Reach::Through { witness, .. } => &witness.entry,
        }
    }
}

/// Memo state for the walk.
#[derive(Default)]
pub(super) struct ReachState<'tcx> {
    done: rustc_data_structures::fx::FxHashMap<(DefId, GenericArgsRef<'tcx>), Option<Rc<Witness>>>,
    in_progress: rustc_data_structures::fx::FxHashSet<(DefId, GenericArgsRef<'tcx>)>,
    /// Negative results that depended on a function still being walked: final only once the
    /// outermost walk ends without finding anything.
    provisional: Vec<(DefId, GenericArgsRef<'tcx>)>,
    cycle_hits: usize,
    /// Functions on the walk's stack: a chain longer than [`MAX_DEPTH`] is not followed.
    depth: usize,
}

/// Deeper chains are cut (and counted as a cycle), which keeps the compiler's stack safe.
const MAX_DEPTH: usize = 200;

impl<'tcx> Engine<'tcx> {
    /// Whether a call of `callee` with `args` (as written at the call) reaches an API with
    /// `effect`, and how.
    pub fn reach(&self, callee: DefId, args: GenericArgsRef<'tcx>, effect: Effect) -> Option<Reach<'_>> {
        if let Some(entry) = self.catalogue.entry_for(callee, args, effect) {
            return Some(Reach::Direct(entry));
        }
        let (function, args) = self.followable_callee(callee, args)?;
        let witness = self.walk(function, args, effect)?;
        Some(Reach::Through { function, witness })
    }

    /// The first chain from the body of `function` itself (with its own generic parameters) to
    /// an API with `effect`.
    pub fn reach_from_body(&self, function: DefId, effect: Effect) -> Option<Rc<Witness>> {
        let args = ty::GenericArgs::identity_for_item(self.tcx, function);
        self.walk(function, self.tcx.erase_and_anonymize_regions(args), effect)
    }

    /// The function a call runs, when it is a synchronous function of this crate whose body we
    /// can walk: trait methods are resolved to their impl when the types are known.
    fn followable_callee(&self, callee: DefId, args: GenericArgsRef<'tcx>) -> Option<(DefId, GenericArgsRef<'tcx>)> {
        let tcx = self.tcx;
        // Lang-item paths (the `IntoFuture::into_future` of `.await`) carry no generic
        // arguments; resolving such a call would crash the trait solver.
        if args.references_error() || args.len() != tcx.generics_of(callee).count() {
            return None;
        }
        let args = normalize(tcx, Unnormalized::new_wip(args));
        let (function, args) = if tcx.trait_of_assoc(callee).is_some() {
            // Without concrete types the impl is unknown.
            if args.has_non_region_param() || args.has_escaping_bound_vars() {
                return None;
            }
            match Instance::try_resolve(tcx, ty::TypingEnv::fully_monomorphized(), callee, args) {
                Ok(Some(Instance {
                    def: InstanceKind::Item(function),
                    args,
                })) => (function, args),
                _ => return None,
            }
        } else {
            (callee, args)
        };
        let local = function.as_local()?;
        let walkable = matches!(tcx.def_kind(function), DefKind::Fn | DefKind::AssocFn)
            && !tcx.asyncness(function).is_async()
            && !self.boundaries.contains(&function)
            && tcx.hir_maybe_body_owned_by(local).is_some()
            && args.len() >= tcx.generics_of(function).count();
        walkable.then_some((function, args))
    }

    /// The first chain from `function` (instantiated with `args`) to a catalogued call.
    fn walk(&self, function: DefId, args: GenericArgsRef<'tcx>, effect: Effect) -> Option<Rc<Witness>> {
        let key = (function, args);
        let reach = &self.reach[effect.index()];
        {
            let mut state = reach.borrow_mut();
            if let Some(known) = state.done.get(&key) {
                return known.clone();
            }
            if state.in_progress.contains(&key) || state.depth >= MAX_DEPTH {
                state.cycle_hits += 1;
                return None;
            }
            state.in_progress.insert(key);
            state.depth += 1;
        }
        let cycle_hits_before = reach.borrow().cycle_hits;

        let result = self.walk_body(function, args, effect);

        let mut state = reach.borrow_mut();
        state.in_progress.remove(&key);
        state.depth -= 1;
        let depended_on_cycle = state.cycle_hits != cycle_hits_before;
        if result.is_some() || !depended_on_cycle {
            state.done.insert(key, result.clone());
        } else {
            state.provisional.push(key);
        }
        if state.in_progress.is_empty() {
            let provisional = std::mem::take(&mut state.provisional);
            // Nothing was found from the outermost function, so nothing was found anywhere in
            // this walk: the provisional negatives are final.
            if result.is_none() {
                for key in provisional {
                    state.done.insert(key, None);
                }
            }
        }
        result
    }

    fn walk_body(&self, function: DefId, args: GenericArgsRef<'tcx>, effect: Effect) -> Option<Rc<Witness>> {
        let tcx = self.tcx;
        let local = function.as_local()?;
        let sites = self.call_sites(local);
        let instantiate = |site_args: GenericArgsRef<'tcx>| {
            if site_args.has_param() {
                let instantiated = EarlyBinder::bind(tcx, site_args).instantiate(tcx, args);
                normalize(tcx, instantiated)
            } else {
                site_args
            }
        };
        // Direct calls first: they give the shortest chains.
        for site in sites.iter() {
            if let Some(entry) = self.catalogue.entry_for(site.callee, instantiate(site.args), effect) {
                return Some(Rc::new(Witness {
                    entry: entry.clone(),
                    hops: vec![Hop {
                        caller: function,
                        callee: entry.path.to_string(),
                        span: site.span,
                        hir_id: site.hir_id,
                    }],
                }));
            }
        }
        for site in sites.iter() {
            let Some((callee, callee_args)) = self.followable_callee(site.callee, instantiate(site.args)) else {
                continue;
            };
            if let Some(inner) = self.walk(callee, callee_args, effect) {
                let mut hops = Vec::with_capacity(inner.hops.len() + 1);
                hops.push(Hop {
                    caller: function,
                    callee: tcx.def_path_str(callee),
                    span: site.span,
                    hir_id: site.hir_id,
                });
                hops.extend(inner.hops.iter().cloned());
                return Some(Rc::new(Witness {
                    entry: inner.entry.clone(),
                    hops,
                }));
            }
        }
        None
    }
}

/// Normalizes concrete arguments (resolving projections such as `<T as Trait>::Output` once `T`
/// is known); arguments that still hold type parameters only have their regions erased.
fn normalize<'tcx>(tcx: ty::TyCtxt<'tcx>, args: Unnormalized<'tcx, GenericArgsRef<'tcx>>) -> GenericArgsRef<'tcx> {
    let raw = args.skip_normalization();
    if raw.has_non_region_param() || raw.has_escaping_bound_vars() {
        return tcx.erase_and_anonymize_regions(raw);
    }
    tcx.try_normalize_erasing_regions(ty::TypingEnv::fully_monomorphized(), args)
        .unwrap_or_else(|_| tcx.erase_and_anonymize_regions(raw))
}
