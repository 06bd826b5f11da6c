//! Why a future is not `Send`: the values its async body holds across `.await`s or captured
//! that are not, and for each, the component of its type that makes it so (an `Rc`, a guard, a
//! shared reference to something not `Sync`, another future that is not `Send`, ...).

use super::{Engine, held_across_awaits, is_standard_library, moved_out_before};
use async_lint_config::catalogue::GuardKind;
use clippy_utils::ty::implements_trait_with_env;
use rustc_middle::ty::{self, AliasTy, Ty, TypingEnv};
use rustc_span::def_id::{DefId, LocalDefId};
use rustc_span::{Span, Symbol, sym};

/// A value in a future that is not `Send`: held across an `.await`, or captured by the async
/// body (an `async fn`'s parameter), which the future holds from the start.
#[derive(Clone, Debug)]
pub struct NotSendValue<'tcx> {
    /// As the source names it (`` `guard` ``, `` `self.cache` ``); `None` for a temporary.
    pub name: Option<String>,
    pub ty: Ty<'tcx>,
    pub span: Span,
    /// The first `.await` it is held across; `None` for a capture, held from the start.
    pub held_across: Option<Span>,
    /// Moved out before the `.await`, but borrowed first, so the future keeps its place.
    pub kept_after_move: bool,
    /// A guard held across an `.await` that `lock_across_await` reports.
    pub guard_held: bool,
}

/// The component of a type that keeps it from being `Send`.
#[derive(Clone, Debug)]
pub enum NotSendCause<'tcx> {
    /// An `Rc` or its `Weak`.
    Rc,
    /// A lock guard of the guard catalogue.
    LockGuard,
    /// A `RefCell` borrow of the guard catalogue.
    Borrow,
    /// `&T` where `T` is not `Sync`, with the field of `T` (a struct of this crate) that is not.
    SharedReference {
        referent: Ty<'tcx>,
        field: Option<(Symbol, Ty<'tcx>)>,
    },
    RawPointer,
    /// A trait object without `+ Send`.
    TraitObject(Ty<'tcx>),
    /// A future that is not `Send`: for an async fn of this crate, `function`, and the first
    /// value inside it that is not.
    Future {
        function: Option<DefId>,
        inner: Option<Box<NotSendValue<'tcx>>>,
    },
    /// None of the above: this type opts out.
    Other(Ty<'tcx>),
}

/// Why a type is not `Send`.
#[derive(Clone, Debug)]
pub struct WhyNotSend<'tcx> {
    pub cause: NotSendCause<'tcx>,
    /// Another crate's type (not the standard library's, nor a guard, nor an `Rc`) that is not
    /// `Send` by its crate's design, such as actix-web's request types: its fields are not the
    /// user's to change.
    pub single_threaded_by_design: Option<Ty<'tcx>>,
}

impl<'tcx> Engine<'tcx> {
    /// Whether `ty` is `Send` where `typing_env` holds.
    pub fn is_send(&self, ty: Ty<'tcx>, typing_env: TypingEnv<'tcx>) -> bool {
        self.tcx
            .get_diagnostic_item(sym::Send)
            .is_none_or(|send| implements_trait_with_env(self.tcx, typing_env, ty, send, None, &[]))
    }

    /// The future type `function` returns and the async body that builds it (an `async fn`, or
    /// a fn returning an `impl Future` made by an async block of this crate).
    #[must_use]
    pub fn returned_future(&self, function: DefId) -> Option<(Ty<'tcx>, LocalDefId)> {
        let tcx = self.tcx;
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

    /// The values of the async body `coroutine` that are not `Send`: those held across an
    /// `.await`, then the captures (an `async fn`'s parameters) it does not hold across one.
    pub fn values_not_send(&self, coroutine: LocalDefId, typing_env: TypingEnv<'tcx>) -> Vec<NotSendValue<'tcx>> {
        let tcx = self.tcx;
        let mut found = Vec::new();
        for held in held_across_awaits(tcx, coroutine) {
            if held.ignored_for_traits || self.is_send(held.ty, typing_env) {
                continue;
            }
            found.push(NotSendValue {
                guard_held: self.guard_held_across_await(coroutine, &held).is_some(),
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
        // What the async body captured is in the future before it first runs. A capture the
        // body keeps across an await is found with that await, above.
        for captured in tcx.closure_captures(coroutine) {
            let ty = captured.place.ty();
            let span = captured.get_path_span(tcx);
            if !self.is_send(ty, typing_env) && !found.iter().any(|value| value.span.lo() == span.lo()) {
                found.push(NotSendValue {
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

    /// Why `ty`, which is not `Send`, is not: the component, through references, boxes and
    /// fields, that makes it so.
    pub fn why_not_send(&self, ty: Ty<'tcx>, typing_env: TypingEnv<'tcx>) -> WhyNotSend<'tcx> {
        let tcx = self.tcx;
        let cause = self.not_send_component(ty, typing_env);
        let mut outer = ty.peel_refs();
        while let ty::Adt(adt, args) = *outer.kind()
            && adt.is_box()
        {
            outer = args.type_at(0).peel_refs();
        }
        let single_threaded_by_design = match *outer.kind() {
            ty::Adt(adt, _)
                if !adt.did().is_local()
                    && !is_standard_library(tcx, adt.did())
                    && self.guard_kind(adt.did()).is_none()
                    && !tcx.is_diagnostic_item(sym::Rc, adt.did()) =>
            {
                Some(outer)
            }
            _ => None,
        };
        WhyNotSend {
            cause,
            single_threaded_by_design,
        }
    }

    fn not_send_component(&self, ty: Ty<'tcx>, typing_env: TypingEnv<'tcx>) -> NotSendCause<'tcx> {
        let tcx = self.tcx;
        let sync = tcx.get_diagnostic_item(sym::Sync);
        let is_sync =
            |ty: Ty<'tcx>| sync.is_none_or(|sync| implements_trait_with_env(tcx, typing_env, ty, sync, None, &[]));
        let mut current = ty;
        // Look through wrappers down to the component that is not `Send`.
        for _ in 0..8 {
            match *current.kind() {
                ty::Adt(adt, _)
                    if tcx.is_diagnostic_item(sym::Rc, adt.did()) || tcx.is_diagnostic_item(sym::RcWeak, adt.did()) =>
                {
                    return NotSendCause::Rc;
                }
                ty::Adt(adt, _) if self.guard_kind(adt.did()) == Some(GuardKind::Lock) => {
                    return NotSendCause::LockGuard;
                }
                ty::Adt(adt, _) if self.guard_kind(adt.did()) == Some(GuardKind::Borrow) => {
                    return NotSendCause::Borrow;
                }
                ty::Ref(_, referent, mutability) if mutability.is_not() && !is_sync(referent) => {
                    return NotSendCause::SharedReference {
                        referent,
                        field: self.field_not_sync(referent, typing_env),
                    };
                }
                ty::RawPtr(..) => return NotSendCause::RawPointer,
                ty::Dynamic(..) => return NotSendCause::TraitObject(current),
                ty::Alias(
                    _,
                    AliasTy {
                        kind: ty::Opaque { def_id: opaque },
                        ..
                    },
                ) => return self.future_not_send(opaque, typing_env),
                ty::Ref(_, inner, _) => current = inner,
                ty::Adt(adt, args) if adt.is_box() => current = args.type_at(0),
                ty::Adt(adt, args) => {
                    // A field that is not `Send` explains its container; if none, the type opts out.
                    let field = adt
                        .all_fields()
                        .map(|field| field.ty(tcx, args).skip_norm_wip())
                        .find(|&field_ty| !self.is_send(field_ty, typing_env));
                    match field {
                        Some(field_ty) => current = field_ty,
                        None => break,
                    }
                }
                _ => break,
            }
        }
        NotSendCause::Other(current)
    }

    /// For a struct of this crate that is not `Sync`, the field that is not (another crate's
    /// private fields would not help).
    fn field_not_sync(&self, ty: Ty<'tcx>, typing_env: TypingEnv<'tcx>) -> Option<(Symbol, Ty<'tcx>)> {
        let tcx = self.tcx;
        let sync = tcx.get_diagnostic_item(sym::Sync)?;
        let ty::Adt(adt, args) = *ty.kind() else {
            return None;
        };
        if !adt.did().is_local() {
            return None;
        }
        adt.all_fields()
            .map(|field| (field.name, field.ty(tcx, args).skip_norm_wip()))
            .find(|&(_, field_ty)| !implements_trait_with_env(tcx, typing_env, field_ty, sync, None, &[]))
    }

    /// An awaited future (the opaque type `opaque`) that is not `Send`: for an async body of this
    /// crate, the first value it holds that is not.
    fn future_not_send(&self, opaque: DefId, typing_env: TypingEnv<'tcx>) -> NotSendCause<'tcx> {
        let function = match self.tcx.opaque_ty_origin(opaque) {
            rustc_hir::OpaqueTyOrigin::FnReturn { parent, .. } | rustc_hir::OpaqueTyOrigin::AsyncFn { parent, .. } => {
                Some(parent)
            }
            rustc_hir::OpaqueTyOrigin::TyAlias { .. } => None,
        };
        let inner = function
            .and_then(|function| self.returned_future(function))
            .and_then(|(_, coroutine)| self.values_not_send(coroutine, typing_env).into_iter().next())
            .map(Box::new);
        NotSendCause::Future { function, inner }
    }
}
