use crate::diag::emit_lint;
use crate::engine::{Engine, NotSendCause, NotSendValue, WhyNotSend};
use rustc_hir::def::DefKind;
use rustc_lint::{LateContext, LintContext, declare_lint};
use rustc_middle::ty::{Ty, TypeVisitableExt};
use rustc_span::Span;
use rustc_span::def_id::LocalDefId;

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
    /// such a crate with `non_send_future = "allow"` in its `async-lint.toml`. A library's
    /// public async fn that the crates of the build only run as their main task (an
    /// application's binary running its library's `run` with `block_on`, which takes any
    /// future) is not reported; crates outside the build may still need it to be `Send`.
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

/// Reports an exported function of a library crate whose async future is not `Send`.
///
/// `guards_reported`: whether `lock_across_await` reports guards here; if so, a guard held
/// across an await is its finding, not this lint's (one problem, one diagnostic).
pub fn check_fn<'tcx>(cx: &LateContext<'tcx>, engine: &Engine<'tcx>, def_id: LocalDefId, guards_reported: bool) {
    let tcx = cx.tcx;
    if !matches!(tcx.def_kind(def_id), DefKind::Fn | DefKind::AssocFn)
        || !cx.effective_visibilities.is_exported(def_id)
        // A library: a crate with a `main` (a binary, or a test harness) exports nothing.
        || tcx.entry_fn(()).is_some()
        // Hidden from the docs: not API (async-std's `_print` behind its `print!`).
        || tcx.is_doc_hidden(def_id.to_def_id())
        || tcx.def_span(def_id).in_external_macro(cx.sess().source_map())
    {
        return;
    }
    let typing_env = cx.typing_env();
    let Some((future, coroutine)) = engine.returned_future(def_id.to_def_id()) else {
        return;
    };
    if engine.is_send(future, typing_env) {
        return;
    }
    let (guards, culprits): (Vec<NotSendValue<'_>>, Vec<NotSendValue<'_>>) = engine
        .values_not_send(coroutine, typing_env)
        .into_iter()
        // A value whose type depends on a type parameter may be `Send` for some instantiation.
        .filter(|value| !value.ty.has_non_region_param())
        .partition(|value| guards_reported && value.guard_held);
    if culprits.is_empty() {
        return;
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
                let why = Explained::of(cx, &engine.why_not_send(culprit.ty, typing_env));
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
}

/// The engine's reason, in words: why the value is not `Send`, what to do, and for an awaited
/// future of this crate, the value inside it.
struct Explained {
    reason: String,
    remedy: String,
    inner: Option<(Span, String)>,
}

impl Explained {
    fn of<'tcx>(cx: &LateContext<'tcx>, why: &WhyNotSend<'tcx>) -> Self {
        let explained = Self::of_cause(cx, &why.cause);
        match why.single_threaded_by_design {
            Some(outer) => Self {
                inner: None,
                reason: format!("its crate made `{outer}` single-threaded ({})", explained.reason),
                remedy: format!(
                    "`{outer}` is not `Send` by its crate's design: run this future on a single-threaded runtime \
                     (or `LocalSet`), or do not hold the value across an `.await`"
                ),
            },
            None => explained,
        }
    }

    fn of_cause<'tcx>(cx: &LateContext<'tcx>, cause: &NotSendCause<'tcx>) -> Self {
        let plain = |reason: String, remedy: String| Self {
            reason,
            remedy,
            inner: None,
        };
        match cause {
            NotSendCause::Rc => plain(
                "`Rc` counts its references without atomic operations".to_owned(),
                "use `Arc` instead of `Rc`, or end the `Rc`'s scope before the `.await`".to_owned(),
            ),
            NotSendCause::LockGuard => plain(
                "a lock guard must be released on the thread that took the lock".to_owned(),
                "release the guard before the `.await`, or use `tokio::sync::Mutex` if it must be held".to_owned(),
            ),
            NotSendCause::Borrow => plain(
                "it borrows a `RefCell`, which is not `Sync`".to_owned(),
                "end the borrow before the `.await`".to_owned(),
            ),
            NotSendCause::SharedReference { referent, field } => plain(
                format!(
                    "it is a shared reference to `{referent}`, which is not `Sync`{}",
                    field.map_or_else(String::new, |(name, field_ty)| format!(
                        " (its field `{name}: {field_ty}` is not)"
                    ))
                ),
                format!(
                    "do not hold a `&{referent}` across the `.await`, or make it `Sync` (a `Mutex` or atomics \
                     instead of `RefCell` or `Cell`)"
                ),
            ),
            NotSendCause::RawPointer => plain(
                "raw pointers are not `Send`".to_owned(),
                "end the pointer's scope before the `.await`, or wrap it in a type that is `Send` by design".to_owned(),
            ),
            NotSendCause::TraitObject(object) => plain(
                format!("the trait object `{object}` does not require `Send`"),
                "add `+ Send` to the trait object's type".to_owned(),
            ),
            NotSendCause::Future { function, inner } => {
                let described = function.map_or_else(
                    || "this future".to_owned(),
                    |function| format!("the future of `{}`", cx.tcx.def_path_str(function)),
                );
                Self {
                    reason: format!("{described} is not `Send`"),
                    // The remedy is that of the value inside, where the fix goes.
                    remedy: inner.as_ref().map_or_else(
                        || format!("make {described} `Send`"),
                        |inner| format!("in {described}: {}", leaf_remedy(cx, inner.ty)),
                    ),
                    inner: inner.as_ref().map(|inner| {
                        let what = inner.name.clone().unwrap_or_else(|| "a value".to_owned());
                        (
                            inner.span,
                            format!("{described} holds {what} of type `{}` across an `.await`", inner.ty),
                        )
                    }),
                }
            }
            NotSendCause::Other(ty) => plain(
                format!("`{ty}` is not `Send`"),
                format!("end the scope of the `{ty}` value before the `.await`"),
            ),
        }
    }
}

/// The remedy for a value inside an awaited future: the common case by name.
fn leaf_remedy(cx: &LateContext<'_>, ty: Ty<'_>) -> String {
    match ty.kind() {
        rustc_middle::ty::Adt(adt, _) if cx.tcx.is_diagnostic_item(rustc_span::sym::Rc, adt.did()) => {
            "use `Arc` instead of `Rc`, or end the `Rc`'s scope before the `.await`".to_owned()
        }
        _ => format!("end the scope of the `{ty}` value before the `.await`"),
    }
}
