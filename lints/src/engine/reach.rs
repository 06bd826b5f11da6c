//! Whether a call reaches a blocking API through any chain of synchronous calls, and the chain
//! that proves it.
//!
//! Functions are analysed per instantiation: a generic helper called with `FileLoader` is walked
//! with its type parameters replaced, so `loader.load()` inside it resolves to
//! `<FileLoader as Loader>::load`. Results are memoized per (function, generic arguments), which
//! keeps the walk linear in call edges; recursion is cut at functions still being walked.

use super::{Effect, Engine};
use async_lint_config::catalogue::{Category, Entry};
use async_lint_config::summary::ChainHop;
use rustc_data_structures::fx::FxHashMap;
use rustc_hir::HirId;
use rustc_hir::def::DefKind;
use rustc_middle::ty::{self, EarlyBinder, GenericArgsRef, Instance, InstanceKind, TypeVisitableExt, Unnormalized};
use rustc_span::Span;
use rustc_span::def_id::{DefId, LocalDefId};
use std::rc::Rc;

/// One step of a chain: `caller` calls `callee` at `span` (the call expression `hir_id`).
#[derive(Clone, Debug)]
pub struct Hop {
    pub caller: DefId,
    pub callee: String,
    /// The function called, when it is not the catalogued API at the end.
    pub callee_id: Option<DefId>,
    pub span: Span,
    pub hir_id: HirId,
    /// For a drop rather than a call: the type dropped.
    pub dropped: Option<String>,
    /// For a call through a trait object: the type it runs, and where that type became the
    /// trait object.
    pub coerced: Option<(String, Span)>,
}

/// A chain from a synchronous function down to a catalogued blocking call.
#[derive(Debug)]
pub struct Witness {
    pub entry: Entry,
    /// From the first synchronous function of this crate down.
    pub hops: Vec<Hop>,
    /// Then the steps inside dependencies, from their summaries; the last one (or the last of
    /// `hops`) calls `entry`.
    pub external: Vec<ChainHop>,
    /// When the chain starts with a call through a trait object: the type it runs, and where
    /// that type became the trait object.
    pub coerced: Option<(String, Span)>,
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
    /// How diagnostics name what a call reaches: the catalogued API, or the first function of
    /// the chain.
    #[must_use]
    pub fn callee_name(&self, tcx: rustc_middle::ty::TyCtxt<'_>) -> String {
        match self {
            Reach::Direct(entry) => entry.display_name(),
            Reach::Through { function, .. } => tcx.def_path_str(*function),
        }
    }

    /// The main message of a finding: "`api` {what}" for a direct call, "`helper` reaches `api`,
    /// which {what}" for a chain.
    #[must_use]
    pub fn message(&self, tcx: rustc_middle::ty::TyCtxt<'_>, what: &str) -> String {
        let name = self.callee_name(tcx);
        match self {
            Reach::Direct(_) => format!("`{name}` {what}"),
            Reach::Through { .. } => format!("`{name}` reaches `{}`, which {what}", self.entry().display_name()),
        }
    }

    /// The catalogued API at the end of the chain.
    #[must_use]
    pub fn entry(&self) -> &Entry {
        match self {
            Reach::Direct(entry) => entry,
            Reach::Through { witness, .. } => &witness.entry,
        }
    }
}

type Key<'tcx> = (DefId, GenericArgsRef<'tcx>);

/// Memo state for the walk: Tarjan's strongly connected components, so that a cycle of
/// functions is walked once and its negative results are kept once the whole cycle is done.
#[derive(Default)]
pub(super) struct ReachState<'tcx> {
    done: FxHashMap<Key<'tcx>, Option<Rc<Witness>>>,
    /// Functions whose cycle is not finished yet, with their visit index.
    index_of: FxHashMap<Key<'tcx>, usize>,
    /// The same functions, in visit order.
    stack: Vec<Key<'tcx>>,
    /// Per active frame: its visit index and the lowest index it reached (its low-link).
    frames: Vec<(usize, usize)>,
    next_index: usize,
}

/// Deeper chains are cut (counted as reaching the outermost function), which keeps the
/// compiler's stack safe.
const MAX_DEPTH: usize = 200;

impl<'tcx> Engine<'tcx> {
    /// Whether a call of `callee` with `args` (as written at the call) reaches an API with
    /// `effect`, and how.
    pub fn reach(&self, callee: DefId, args: GenericArgsRef<'tcx>, effect: Effect) -> Option<Reach<'_>> {
        if !self.catalogue.has(effect) {
            return None;
        }
        if let Some(entry) = self.catalogue.entry_for(callee, args, effect) {
            return Some(Reach::Direct(entry));
        }
        let (function, witness) = self.follow(callee, args, effect)?;
        Some(Reach::Through {
            function,
            witness: witness?,
        })
    }

    /// [`Engine::reach`] for the call expression `call`, whose values may decide: a send on a
    /// channel the code made bounded blocks; a read of `/proc`, or a zero-timeout wait, does not.
    pub fn reach_at(
        &self,
        callee: DefId,
        args: GenericArgsRef<'tcx>,
        call: HirId,
        effect: Effect,
    ) -> Option<Reach<'_>> {
        if effect == Effect::Blocks
            && let Some(entry) = self.bounded_channel_send(callee, call)
        {
            return Some(Reach::Direct(entry));
        }
        if let Some(entry) = self.catalogue.entry_for(callee, args, effect) {
            return (!self.call_does_not_wait(callee, entry, call)).then_some(Reach::Direct(entry));
        }
        self.reach(callee, args, effect)
    }

    /// The first chain from the body of `function` itself (with its own generic parameters) to
    /// an API with `effect`.
    pub fn reach_from_body(&self, function: DefId, effect: Effect) -> Option<Rc<Witness>> {
        if !self.catalogue.has(effect) {
            return None;
        }
        let args = ty::GenericArgs::identity_for_item(self.tcx, function);
        self.walk(function, self.tcx.erase_and_anonymize_regions(args), effect)
    }

    /// The function a call runs (trait methods resolved to their impl when the types are
    /// known), when it is a synchronous function we can follow, with its chain if it has one:
    /// walked for a function of this crate, read from the summary for another crate's.
    pub(super) fn follow(
        &self,
        callee: DefId,
        args: GenericArgsRef<'tcx>,
        effect: Effect,
    ) -> Option<(DefId, Option<Rc<Witness>>)> {
        let tcx = self.tcx;
        // `store.read(..)` on a `dyn Storage`: the implementations of the types made that trait
        // object.
        if let Some(object) = self.dyn_object(callee, args) {
            return self.follow_dyn(callee, args, object, effect);
        }
        let (function, args) = self.resolve_call(callee, args)?;
        // Taken as non-blocking (one-time initialisation, `cross_crate.non_blocking`): in the
        // crate that defines it too, so its summary has no chain through it.
        if self.non_blocking.contains(&function) || self.channel_sends.contains(function) {
            return None;
        }
        let followable = match tcx.def_kind(function) {
            DefKind::Fn | DefKind::AssocFn => {
                (!tcx.asyncness(function).is_async()
                    || effect.follows_async_code()
                    || (function.is_local() && runs_callers_types(args)))
                    && !self.boundaries.contains(&function)
            }
            // A closure the code calls (or hands to a function that calls it). One that runs in
            // async code is async context itself, with findings of its own; async blocks run
            // where the runtime polls them, which only some effects follow.
            DefKind::Closure => match function.as_local() {
                Some(local) if tcx.coroutine_kind(local).is_some() => effect.follows_async_code(),
                Some(local) => self.context_of_body(local).is_none(),
                None => false,
            },
            _ => false,
        };
        if !followable {
            return None;
        }
        match function.as_local() {
            Some(local) => {
                let walkable =
                    tcx.hir_maybe_body_owned_by(local).is_some() && args.len() >= tcx.generics_of(function).count();
                walkable.then(|| (function, self.walk(function, args, effect)))
            }
            None => Some((function, self.external_witness(function, args, effect))),
        }
    }

    /// The function a call runs, with its arguments: trait methods are resolved to their impl
    /// when the types are known.
    fn resolve_call(&self, callee: DefId, args: GenericArgsRef<'tcx>) -> Option<(DefId, GenericArgsRef<'tcx>)> {
        if let Some(&known) = self.resolved_calls.borrow().get(&(callee, args)) {
            return known;
        }
        let resolved = self.resolve_call_uncached(callee, args);
        self.resolved_calls.borrow_mut().insert((callee, args), resolved);
        resolved
    }

    fn resolve_call_uncached(
        &self,
        callee: DefId,
        args: GenericArgsRef<'tcx>,
    ) -> Option<(DefId, GenericArgsRef<'tcx>)> {
        let tcx = self.tcx;
        if args.references_error() {
            return None;
        }
        // Closures and async blocks are edges of their own (a call of a closure value, one
        // handed to a function that runs it).
        if tcx.def_kind(callee) == DefKind::Closure {
            return Some((callee, args));
        }
        // Lang-item paths (the `IntoFuture::into_future` of `.await`) carry no generic
        // arguments; resolving such a call would crash the trait solver.
        if args.len() != tcx.generics_of(callee).count() {
            return None;
        }
        // Dropping a value whose type has a destructor runs its `Drop::drop`.
        if Some(callee) == self.drop_in_place()
            && let Some(dropped) = args.types().next()
            && let ty::Adt(adt, adt_args) = dropped.kind()
            && let Some(destructor) = adt.destructor(tcx)
        {
            return Some((destructor.did, adt_args));
        }
        // `f()` on the `impl Fn()` a helper of this crate returned: the closure it is.
        let args = reveal_local_opaque_self(tcx, args);
        // `f()` for a closure or fn item whose type is known: the function itself.
        if let Some(function) = super::mir_calls::called_function_value(tcx, callee, args) {
            return Some(function);
        }
        let raw_args = args;
        let args = normalize(tcx, Unnormalized::new_wip(args));
        let (function, args) = if tcx.trait_of_assoc(callee).is_some() {
            // Without concrete types the impl is unknown.
            if args.has_non_region_param() || args.has_escaping_bound_vars() {
                return None;
            }
            // Arguments that do not normalize (a projection on an opaque `impl Trait` type of
            // a dependency) would make the resolver ICE: no impl is known for them.
            let typing_env = ty::TypingEnv::fully_monomorphized();
            let Ok(args) = tcx.try_normalize_erasing_regions(typing_env, Unnormalized::new_wip(raw_args)) else {
                return None;
            };
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
        Some((function, args))
    }

    /// The chain from `function` (instantiated with `args`) to the catalogued call that waits
    /// most surely.
    fn walk(&self, function: DefId, args: GenericArgsRef<'tcx>, effect: Effect) -> Option<Rc<Witness>> {
        let key = (function, args);
        let reach = &self.reach[effect.index()];
        let index = {
            let mut state = reach.borrow_mut();
            if let Some(known) = state.done.get(&key) {
                return known.clone();
            }
            // A function of an unfinished cycle (or a chain too deep): the current frame depends
            // on it, so its own negative result must wait for that cycle.
            let reached = match state.index_of.get(&key) {
                Some(&index) => Some(index),
                None if state.frames.len() >= MAX_DEPTH => state.frames.first().map(|&(index, _)| index),
                None => None,
            };
            if let Some(reached) = reached {
                if let Some((_, low)) = state.frames.last_mut() {
                    *low = (*low).min(reached);
                }
                return None;
            }
            let index = state.next_index;
            state.next_index += 1;
            state.index_of.insert(key, index);
            state.stack.push(key);
            state.frames.push((index, index));
            index
        };

        let result = self.walk_body(function, args, effect);

        let mut state = reach.borrow_mut();
        let Some((_, low)) = state.frames.pop() else {
            return result;
        };
        if let Some((_, parent_low)) = state.frames.last_mut() {
            *parent_low = (*parent_low).min(low);
        }
        if let Some(witness) = &result {
            // A chain found is a chain, whatever the cycle it sits in.
            state.done.insert(key, Some(witness.clone()));
        }
        if low == index {
            // `function` roots its cycle: every function above it on the stack is in the cycle.
            // If the root found nothing, none of them can reach anything; if it did, they all
            // reach it, and are left to be walked again (quickly, now) for their own chains.
            let position = state.stack.iter().rposition(|member| *member == key).unwrap_or(0);
            let members: Vec<Key<'tcx>> = state.stack.drain(position..).collect();
            for member in members {
                state.index_of.remove(&member);
                if result.is_none() {
                    state.done.entry(member).or_insert(None);
                }
            }
        }
        result
    }

    fn walk_body(&self, function: DefId, args: GenericArgsRef<'tcx>, effect: Effect) -> Option<Rc<Witness>> {
        let tcx = self.tcx;
        let local = function.as_local()?;
        // A body that enters a runtime's context (or checks for one) decides for itself.
        if effect == Effect::NeedsRuntime && self.enters_runtime_context(local, None) {
            return None;
        }
        let sites = if effect.follows_async_code() {
            self.call_sites_with_async(local)
        } else if tcx.asyncness(function).is_async() {
            self.callers_calls_in_async_fn(local, effect)
        } else {
            self.call_sites(local)
        };
        let instantiate = |site_args: GenericArgsRef<'tcx>| {
            if site_args.has_param() {
                let instantiated = EarlyBinder::bind(tcx, site_args).instantiate(tcx, args);
                normalize(tcx, instantiated)
            } else {
                site_args
            }
        };
        // Chains name the function a closure or async block sits in.
        let caller = tcx.typeck_root_def_id(function);
        let dropped = |site: &super::CallSite<'tcx>| {
            (Some(site.callee) == self.drop_in_place())
                .then(|| instantiate(site.args).types().next().map(|ty| ty.to_string()))
                .flatten()
        };
        // The chain whose API waits most surely (a sleep over the file open on its way, anything
        // over terminal output); among equals, direct calls first: they give the shortest.
        let mut best: Option<Rc<Witness>> = None;
        let rank = |witness: &Witness| witness.entry.category.wait_rank();
        for site in sites.iter() {
            let entry = self
                .catalogue
                .entry_for(site.callee, instantiate(site.args), effect)
                .filter(|entry| !self.call_does_not_wait(site.callee, entry, site.hir_id))
                .or_else(|| {
                    (effect == Effect::Blocks)
                        .then(|| self.bounded_channel_send(site.callee, site.hir_id))
                        .flatten()
                });
            if let Some(entry) = entry {
                if best
                    .as_ref()
                    .is_some_and(|best| rank(best) >= entry.category.wait_rank())
                {
                    continue;
                }
                let witness = Rc::new(Witness {
                    entry: entry.clone(),
                    hops: vec![Hop {
                        caller,
                        callee: entry.display_name(),
                        callee_id: None,
                        span: site.span,
                        hir_id: site.hir_id,
                        dropped: dropped(site),
                        coerced: None,
                    }],
                    external: Vec::new(),
                    coerced: None,
                });
                if rank(&witness) == Category::SUREST_WAIT {
                    return Some(witness);
                }
                best = Some(witness);
            }
        }
        for site in sites.iter() {
            if let Some((callee, Some(inner))) = self.follow(site.callee, instantiate(site.args), effect) {
                if best.as_ref().is_some_and(|best| rank(best) >= rank(&inner)) {
                    continue;
                }
                let mut hops = Vec::with_capacity(inner.hops.len() + 1);
                // A closure or async block is part of the function that wrote it: its calls
                // are that function's, with no step of their own. One written elsewhere (a
                // callback called through a trait object) is a step.
                if tcx.def_kind(callee) != DefKind::Closure || tcx.typeck_root_def_id(callee) != caller {
                    hops.push(Hop {
                        caller,
                        callee: tcx.def_path_str(callee),
                        callee_id: Some(callee),
                        span: site.span,
                        hir_id: site.hir_id,
                        dropped: dropped(site),
                        coerced: inner.coerced.clone(),
                    });
                }
                hops.extend(inner.hops.iter().cloned());
                let witness = Rc::new(Witness {
                    entry: inner.entry.clone(),
                    hops,
                    external: inner.external.clone(),
                    coerced: None,
                });
                if rank(&witness) == Category::SUREST_WAIT {
                    return Some(witness);
                }
                best = Some(witness);
            }
        }
        best
    }
}

impl<'tcx> Engine<'tcx> {
    /// The calls of a generic async fn that run what its caller chose: a trait method on one of
    /// its type parameters (`f()` on an `F: FnOnce()`, `source.load()` on an `S: Source`). The
    /// fn's own findings are reported in it; these depend on
    /// the types its caller gives, so they are the caller's, who awaits the future on the
    /// executor. A call that reaches something whatever the types is the fn's own.
    fn callers_calls_in_async_fn(&self, function: LocalDefId, effect: Effect) -> Rc<[super::CallSite<'tcx>]> {
        let mut sites = Vec::new();
        let mut bodies = vec![function];
        while let Some(body) = bodies.pop() {
            for site in self.call_sites_with_async(body).iter() {
                if site.via == super::calls::Via::Creation {
                    // The async fn's body and the async blocks in it: their generic parameters
                    // are the fn's.
                    bodies.extend(site.callee.as_local());
                } else if site.args.has_non_region_param() && self.reach(site.callee, site.args, effect).is_none() {
                    sites.push(*site);
                }
            }
        }
        sites.into()
    }
}

/// `args` with a `Self` that is an opaque `impl Trait` type of this crate replaced by the type it
/// hides, which the resolver does not look through.
fn reveal_local_opaque_self<'tcx>(tcx: ty::TyCtxt<'tcx>, args: GenericArgsRef<'tcx>) -> GenericArgsRef<'tcx> {
    let Some(self_ty) = args.types().next() else {
        return args;
    };
    let ty::Alias(_, alias) = self_ty.kind() else {
        return args;
    };
    let ty::AliasTyKind::Opaque { def_id } = alias.kind else {
        return args;
    };
    if !def_id.is_local() || alias.args.has_non_region_param() {
        return args;
    }
    let hidden = tcx.type_of(def_id).instantiate(tcx, alias.args).skip_norm_wip();
    if hidden.references_error() {
        return args;
    }
    tcx.mk_args_from_iter(std::iter::once(hidden.into()).chain(args.iter().skip(1)))
}

/// Whether the generic arguments of a call of an async fn are types its caller chose (some type,
/// none left generic): then the fn's future runs code of the caller's.
fn runs_callers_types(args: GenericArgsRef<'_>) -> bool {
    args.types().next().is_some() && !args.has_non_region_param()
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
