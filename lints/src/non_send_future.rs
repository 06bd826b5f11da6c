use crate::diag::emit_lint;
use crate::engine::{Engine, held_across_awaits, moved_out_before};
use async_lint_config::catalogue::GuardKind;
use clippy_utils::ty::implements_trait;
use rustc_hir::def::DefKind;
use rustc_lint::{LateContext, LintContext, declare_lint};
use rustc_middle::ty::{self, AliasTy, Ty, TyCtxt, TypeVisitableExt};
use rustc_span::def_id::{DefId, LocalDefId};
use rustc_span::{Span, sym};

declare_lint! {
    /// ### What it does
    /// Finds public async functions of library crates (and public functions returning
    /// `impl Future` built by an `async` block) whose future is not `Send`, and says which values
    /// make it so: each one's name, type, why that type is not `Send`, and the `.await` it is
    /// held across (or that it is a parameter, which the future keeps until it finishes).
    ///
    /// The culprits are what the compiler itself keeps in the future. That includes a value
    /// moved out before the await (`drop(rc)`) if it was borrowed before: the compiler keeps its
    /// place (rust-lang/rust#69663), and the lint says so. A generic function is reported only
    /// when a culprit is not generic: if every culprit depends on a type parameter, some
    /// instantiation can be `Send`.
    ///
    /// A lock guard, `RefCell` borrow or entered span held across an await is
    /// `lock_across_await`'s finding, not this lint's: one problem, one diagnostic. When other
    /// values make the future not `Send` too, this lint reports those and names the guard in a
    /// note; where `lock_across_await` is allowed, it reports the guard itself.
    ///
    /// ### Why is this bad?
    /// Multi-threaded runtimes move tasks between threads, so `tokio::spawn` and its peers need
    /// `Send` futures. A library whose public future is not `Send` cannot be used from them,
    /// and the compiler's error shows up in the user's code, at the `spawn`, far from the value
    /// that caused it.
    ///
    /// ### Known problems
    /// A future handed to a spawn-like API that needs `Send` (`tokio::spawn`) does not compile,
    /// and rustc's own error (E0277, which names the value and the await) stops the build before
    /// lints run; this lint covers the futures a library hands to its users. A generic culprit is
    /// left out even when it could never be `Send` (`Rc<T>`). Only futures built from `async`
    /// code are explained; a hand-written `Future` type that is
    /// not `Send` is not reported. Code for single-threaded runtimes (a `LocalSet`, a
    /// current-thread runtime, glommio) does not need `Send` futures: switch the lint off for
    /// such a crate with `non_send_future = "allow"` in its `async-lint.toml`.
    ///
    /// ### Example
    /// ```no_run
    /// pub async fn refresh(cache: &Cache) {
    ///     let entries = std::rc::Rc::new(cache.snapshot());
    ///     fetch().await;
    ///     cache.store(&entries);
    /// }
    /// ```
    /// Use instead:
    /// ```no_run
    /// pub async fn refresh(cache: &Cache) {
    ///     let entries = std::sync::Arc::new(cache.snapshot());
    ///     fetch().await;
    ///     cache.store(&entries);
    /// }
    /// ```
    ///
    /// ### Configuration
    /// - `lints.non_send_future` (default: `"warn"`): the lint's level; `"allow"` for crates
    ///   that run on single-threaded runtimes.
    pub NON_SEND_FUTURE,
    Warn,
    "public future that is not `Send`"
}

/// A value that keeps a future from being `Send`.
struct Culprit<'tcx> {
    /// How to name it: "`rc`", "the awaited future"; `None` for another temporary.
    name: Option<String>,
    ty: Ty<'tcx>,
    span: Span,
    /// The first await it is held across; `None` for a parameter (held throughout).
    held_across: Option<Span>,
    /// Moved out before the await, yet kept in the future because it was borrowed.
    kept_after_move: bool,
    /// A guard held across the await, which `lock_across_await` reports.
    guard_held: bool,
}

/// Reports an exported function of a library crate whose async future is not `Send`; returns
/// whether it did.
///
/// `guards_reported`: whether `lock_across_await` reports guards here; if so, a guard held
/// across an await is its finding, not this lint's (one problem, one diagnostic).
pub fn check_fn<'tcx>(
    cx: &LateContext<'tcx>,
    engine: &Engine<'tcx>,
    def_id: LocalDefId,
    guards_reported: bool,
) -> bool {
    let tcx = cx.tcx;
    if !matches!(tcx.def_kind(def_id), DefKind::Fn | DefKind::AssocFn)
        || !cx.effective_visibilities.is_exported(def_id)
        // A library: a crate with a `main` (a binary, or a test harness) exports nothing.
        || tcx.entry_fn(()).is_some()
        // Hidden from the docs: not API (async-std's `_print` behind its `print!`).
        || tcx.is_doc_hidden(def_id.to_def_id())
        || tcx.def_span(def_id).in_external_macro(cx.sess().source_map())
    {
        return false;
    }
    let Some(send) = tcx.get_diagnostic_item(sym::Send) else {
        return false;
    };
    let Some((future, coroutine)) = returned_coroutine(tcx, def_id.to_def_id()) else {
        return false;
    };
    if implements_trait(cx, future, send, &[]) {
        return false;
    }
    let (guards, culprits): (Vec<Culprit<'_>>, Vec<Culprit<'_>>) = culprits(cx, Some(engine), coroutine, send)
        .into_iter()
        // A culprit that depends on a type parameter may be `Send` for some instantiation.
        .filter(|culprit| !culprit.ty.has_non_region_param())
        .partition(|culprit| guards_reported && culprit.guard_held);
    if culprits.is_empty() {
        return false;
    }
    let name = tcx.item_name(def_id.to_def_id());
    emit_lint(
        cx,
        NON_SEND_FUTURE,
        tcx.local_def_id_to_hir_id(def_id),
        tcx.def_span(def_id),
        format!("the future returned by `{name}` is not `Send`"),
        |diag| {
            let mut remedies = Vec::new();
            for culprit in &culprits {
                let why = why_not_send(cx, engine, culprit.ty, send);
                let what = culprit.name.clone().unwrap_or_else(|| "this temporary".to_owned());
                match culprit.held_across {
                    Some(await_span) => {
                        diag.span_note(
                            culprit.span,
                            format!("{what} has type `{}`, which is not `Send`: {}", culprit.ty, why.reason),
                        );
                        diag.span_note(await_span, format!("{what} is held across this `.await`"));
                        if culprit.kept_after_move {
                            diag.note(format!(
                                "{what} is moved out before the `.await`, but it was borrowed, so the compiler keeps \
                                 its place in the future: end its scope with a block instead"
                            ));
                        }
                    }
                    None => {
                        diag.span_note(
                            culprit.span,
                            format!(
                                "{what} has type `{}`, which is not `Send`: {}; the future holds it from the start",
                                culprit.ty, why.reason
                            ),
                        );
                    }
                }
                if let Some((span, note)) = why.inner {
                    diag.span_note(span, note);
                }
                if !remedies.contains(&why.remedy) {
                    remedies.push(why.remedy);
                }
            }
            for remedy in remedies {
                diag.help(remedy);
            }
            for guard in &guards {
                let what = guard.name.clone().unwrap_or_else(|| "a guard".to_owned());
                diag.span_note(
                    guard.span,
                    format!("{what}, held across an `.await`, is not `Send` either (`lock_across_await` reports it)"),
                );
            }
            diag.note(
                "`tokio::spawn` and other multi-threaded executors need `Send` futures; crates for single-threaded \
                 runtimes can set `non_send_future = \"allow\"` under `[lints]` in `async-lint.toml`",
            );
        },
    );
    true
}

/// The future type `function` returns and the async body that builds it.
fn returned_coroutine(tcx: TyCtxt<'_>, function: DefId) -> Option<(Ty<'_>, LocalDefId)> {
    let sig = tcx.fn_sig(function).instantiate_identity().skip_norm_wip();
    let output = tcx.instantiate_bound_regions_with_erased(sig).output();
    let ty::Alias(
        _,
        AliasTy {
            kind: ty::Opaque { def_id: opaque },
            ..
        },
    ) = *output.kind()
    else {
        return None;
    };
    let hidden = tcx.type_of(opaque).instantiate_identity().skip_norm_wip();
    let ty::Coroutine(coroutine, _) = *hidden.kind() else {
        return None;
    };
    Some((output, coroutine.as_local()?))
}

/// The parameters and held values that are not `Send`.
/// `engine`, when given, tells which of them are guards `lock_across_await` reports.
fn culprits<'tcx>(
    cx: &LateContext<'tcx>,
    engine: Option<&Engine<'tcx>>,
    coroutine: LocalDefId,
    send: DefId,
) -> Vec<Culprit<'tcx>> {
    let tcx = cx.tcx;
    let not_send = |ty: Ty<'tcx>| !implements_trait(cx, ty, send, &[]);
    let mut found = Vec::new();
    for held in held_across_awaits(tcx, coroutine) {
        if held.ignored_for_traits || !not_send(held.ty) {
            continue;
        }
        found.push(Culprit {
            guard_held: engine.is_some_and(|engine| engine.guard_held_across_await(coroutine, &held).is_some()),
            kept_after_move: moved_out_before(tcx, coroutine, &held),
            name: held.name.map(|name| match name.as_str() {
                "__awaitee" => "the awaited future".to_owned(),
                name => format!("`{name}`"),
            }),
            ty: held.ty,
            span: held.span,
            held_across: held.awaits.first().copied(),
        });
    }
    // What the async body captured (an `async fn`'s parameters, a block's captures) is in the
    // future before it first runs. A parameter the body keeps across an await is reported with
    // that await, above.
    for captured in tcx.closure_captures(coroutine) {
        let ty = captured.place.ty();
        let span = captured.get_path_span(tcx);
        if not_send(ty) && !found.iter().any(|culprit| culprit.span.lo() == span.lo()) {
            found.push(Culprit {
                guard_held: false,
                kept_after_move: false,
                name: Some(format!("`{}`", captured.to_string(tcx))),
                ty,
                span,
                held_across: None,
            });
        }
    }
    found
}

struct WhyNotSend {
    reason: String,
    remedy: String,
    /// For an awaited future of this crate: the value inside it that is not `Send`.
    inner: Option<(Span, String)>,
}

/// Why `ty` is not `Send`, by the component that makes it so, and the usual remedy.
fn why_not_send<'tcx>(cx: &LateContext<'tcx>, engine: &Engine<'tcx>, ty: Ty<'tcx>, send: DefId) -> WhyNotSend {
    let why = why_not_send_component(cx, engine, ty, send);
    // Another crate's type that is not `Send` was made so on purpose (actix-web's request types
    // hold `Rc`s): its fields are not the user's to change.
    let mut outer = ty.peel_refs();
    while let ty::Adt(adt, args) = *outer.kind()
        && adt.is_box()
    {
        outer = args.type_at(0).peel_refs();
    }
    if let ty::Adt(adt, _) = *outer.kind()
        && !adt.did().is_local()
        && !crate::engine::is_standard_library(cx.tcx, adt.did())
        && engine.guard_kind(adt.did()).is_none()
        && !cx.tcx.is_diagnostic_item(sym::Rc, adt.did())
    {
        return WhyNotSend {
            inner: None,
            reason: format!("its crate made `{outer}` single-threaded ({})", why.reason),
            remedy: format!(
                "`{outer}` is not `Send` by its crate's design: run this future on a single-threaded runtime (or \
                 `LocalSet`), or do not hold the value across an `.await`"
            ),
        };
    }
    why
}

/// Why `ty` is not `Send`, by the component that makes it so.
fn why_not_send_component<'tcx>(
    cx: &LateContext<'tcx>,
    engine: &Engine<'tcx>,
    ty: Ty<'tcx>,
    send: DefId,
) -> WhyNotSend {
    let tcx = cx.tcx;
    let sync = tcx.get_diagnostic_item(sym::Sync);
    let mut current = ty;
    // Look through wrappers down to the component that is not `Send`.
    for _ in 0..8 {
        match *current.kind() {
            ty::Adt(adt, _) if tcx.is_diagnostic_item(sym::Rc, adt.did()) || is_rc_weak(tcx, adt.did()) => {
                return WhyNotSend {
                    inner: None,
                    reason: "`Rc` counts its references without atomic operations".to_owned(),
                    remedy: "use `Arc` instead of `Rc`, or end the `Rc`'s scope before the `.await`".to_owned(),
                };
            }
            ty::Adt(adt, _) if engine.guard_kind(adt.did()) == Some(GuardKind::Lock) => {
                return WhyNotSend {
                    inner: None,
                    reason: "a lock guard must be released on the thread that took the lock".to_owned(),
                    remedy: "release the guard before the `.await`, or use `tokio::sync::Mutex` if it must be held"
                        .to_owned(),
                };
            }
            ty::Adt(adt, _) if engine.guard_kind(adt.did()) == Some(GuardKind::Borrow) => {
                return WhyNotSend {
                    inner: None,
                    reason: "it borrows a `RefCell`, which is not `Sync`".to_owned(),
                    remedy: "end the borrow before the `.await`".to_owned(),
                };
            }
            ty::Ref(_, inner, mutability)
                if mutability.is_not()
                    && let Some(sync) = sync
                    && !implements_trait(cx, inner, sync, &[]) =>
            {
                return WhyNotSend {
                    inner: None,
                    reason: format!(
                        "it is a shared reference to `{inner}`, which is not `Sync`{}",
                        why_not_sync(cx, inner, sync)
                    ),
                    remedy: format!(
                        "do not hold a `&{inner}` across the `.await`, or make it `Sync` (a `Mutex` or atomics \
                         instead of `RefCell` or `Cell`)"
                    ),
                };
            }
            ty::RawPtr(..) => {
                return WhyNotSend {
                    inner: None,
                    reason: "raw pointers are not `Send`".to_owned(),
                    remedy:
                        "end the pointer's scope before the `.await`, or wrap it in a type that is `Send` by design"
                            .to_owned(),
                };
            }
            ty::Dynamic(..) => {
                return WhyNotSend {
                    inner: None,
                    reason: format!("the trait object `{current}` does not require `Send`"),
                    remedy: "add `+ Send` to the trait object's type".to_owned(),
                };
            }
            ty::Alias(
                _,
                AliasTy {
                    kind: ty::Opaque { def_id: opaque },
                    ..
                },
            ) => return why_future_not_send(cx, opaque, send),
            ty::Ref(_, inner, _) => current = inner,
            ty::Adt(adt, args) if adt.is_box() => current = args.type_at(0),
            ty::Adt(adt, args) => {
                // A field that is not `Send` explains its container; if none, the type opts out.
                let field = adt
                    .all_fields()
                    .map(|field| field.ty(tcx, args).skip_norm_wip())
                    .find(|field_ty| !implements_trait(cx, *field_ty, send, &[]));
                match field {
                    Some(field_ty) => current = field_ty,
                    None => break,
                }
            }
            _ => break,
        }
    }
    WhyNotSend {
        inner: None,
        reason: format!("`{current}` is not `Send`"),
        remedy: format!("end the scope of the `{current}` value before the `.await`"),
    }
}

/// " (its field `name: Cell<u8>` is not)" for a struct of this crate with a field that is not
/// `Sync` (other crates' private fields would not help).
fn why_not_sync<'tcx>(cx: &LateContext<'tcx>, ty: Ty<'tcx>, sync: DefId) -> String {
    let ty::Adt(adt, args) = *ty.kind() else {
        return String::new();
    };
    if !adt.did().is_local() {
        return String::new();
    }
    adt.all_fields()
        .map(|field| (field.name, field.ty(cx.tcx, args).skip_norm_wip()))
        .find(|&(_, field_ty)| !implements_trait(cx, field_ty, sync, &[]))
        .map_or_else(String::new, |(name, field_ty)| {
            format!(" (its field `{name}: {field_ty}` is not)")
        })
}

/// Why an awaited future (the opaque type `opaque`) is not `Send`: for an async body of this
/// crate, the value it holds that is not `Send`.
fn why_future_not_send(cx: &LateContext<'_>, opaque: DefId, send: DefId) -> WhyNotSend {
    let tcx = cx.tcx;
    let origin = tcx.opaque_ty_origin(opaque);
    let function = match origin {
        rustc_hir::OpaqueTyOrigin::FnReturn { parent, .. } | rustc_hir::OpaqueTyOrigin::AsyncFn { parent, .. } => {
            Some(parent)
        }
        rustc_hir::OpaqueTyOrigin::TyAlias { .. } => None,
    };
    let described = function.map_or_else(
        || "this future".to_owned(),
        |function| format!("the future of `{}`", tcx.def_path_str(function)),
    );
    let inner_culprit = function
        .and_then(|function| returned_coroutine(tcx, function))
        .and_then(|(_, coroutine)| culprits(cx, None, coroutine, send).into_iter().next());
    // The remedy is that of the value inside, where the fix goes.
    let inner_remedy = inner_culprit
        .as_ref()
        .map(|culprit| format!("in {described}: {}", why_not_send_leaf(cx, culprit.ty, send)));
    let inner = inner_culprit.map(|culprit| {
        let what = culprit.name.unwrap_or_else(|| "a value".to_owned());
        (
            culprit.span,
            format!("{described} holds {what} of type `{}` across an `.await`", culprit.ty),
        )
    });
    WhyNotSend {
        reason: format!("{described} is not `Send`"),
        remedy: inner_remedy.unwrap_or_else(|| format!("make {described} `Send`")),
        inner,
    }
}

/// The remedy for a culprit type without an engine (for awaited futures' insides): the common
/// cases by name.
fn why_not_send_leaf<'tcx>(cx: &LateContext<'tcx>, ty: Ty<'tcx>, send: DefId) -> String {
    match ty.kind() {
        ty::Adt(adt, _) if cx.tcx.is_diagnostic_item(sym::Rc, adt.did()) => {
            "use `Arc` instead of `Rc`, or end the `Rc`'s scope before the `.await`".to_owned()
        }
        _ if !implements_trait(cx, ty, send, &[]) => format!("end the scope of the `{ty}` value before the `.await`"),
        _ => "end the value's scope before the `.await`".to_owned(),
    }
}

fn is_rc_weak(tcx: TyCtxt<'_>, def_id: DefId) -> bool {
    tcx.is_diagnostic_item(sym::RcWeak, def_id)
}
