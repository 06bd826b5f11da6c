//! Where the values of a type of the crate are dropped. A type other crates cannot name, whose
//! every value the crate makes goes straight into a closure that runs on a thread of its own
//! (`std::thread::spawn(move || ..)`, `spawn_blocking`), through locals and the functions that
//! return it, is dropped there: never on an executor's thread.

use super::Engine;
use super::calls::{FnUse, for_each_fn_use, yielded_by};
use clippy_utils::visitors::for_each_expr_without_closures;
use rustc_hir::def::{CtorOf, DefKind, Res};
use rustc_hir::{Expr, ExprKind, HirId, LetStmt, Node, PatKind};
use rustc_middle::ty::{self, UpvarCapture};
use rustc_span::def_id::{DefId, LocalDefId};
use std::ops::ControlFlow;

/// Each local or function return on the way is a step; a longer flow is not followed.
const MAX_STEPS: usize = 8;

impl<'tcx> Engine<'tcx> {
    /// Whether every value of the struct or enum `adt` is dropped on a thread of its own: the
    /// type is this crate's and not reachable from other crates, the crate makes at least one
    /// value of it, and each value it makes is moved, through locals, blocks, branches and
    /// the crate's functions that return it, into a closure handed to a thread (a boundary of
    /// the catalogue), which takes it by value.
    #[must_use]
    pub fn dropped_only_on_own_threads(&self, adt: DefId) -> bool {
        let tcx = self.tcx;
        let Some(local) = adt.as_local() else {
            return false;
        };
        if tcx.effective_visibilities(()).is_reachable(local) {
            return false;
        }
        let Some(made) = self.values_made_of(adt) else {
            return false;
        };
        !made.is_empty() && made.into_iter().all(|value| self.goes_to_own_thread(value.hir_id, 0))
    }

    /// The expressions of the crate that make a value of `adt`: struct expressions, tuple
    /// constructors, unit values. `None` when a constructor is used as a function value
    /// (`.map(Wrapper)`): the values it makes are not followed.
    fn values_made_of(&self, adt: DefId) -> Option<Vec<&'tcx Expr<'tcx>>> {
        let tcx = self.tcx;
        let mut made = Vec::new();
        let mut callee_paths = Vec::new();
        let mut constructor_as_value = false;
        let constructs_adt = |constructor: DefId, of: CtorOf| {
            let made_type = match of {
                CtorOf::Struct => tcx.parent(constructor),
                CtorOf::Variant => tcx.parent(tcx.parent(constructor)),
            };
            made_type == adt
        };
        for owner in tcx.hir_body_owners() {
            let typeck = tcx.typeck(owner);
            if typeck.tainted_by_errors.is_some() {
                continue;
            }
            for_each_expr_without_closures(tcx.hir_body_owned_by(owner).value, |expr| {
                let constructor = |path: &Expr<'_>| match path.kind {
                    ExprKind::Path(ref qpath) => match typeck.qpath_res(qpath, path.hir_id) {
                        Res::Def(DefKind::Ctor(of, _), constructor) => Some((constructor, of)),
                        _ => None,
                    },
                    _ => None,
                };
                match expr.kind {
                    ExprKind::Struct(..) => {
                        if matches!(typeck.expr_ty(expr).kind(), ty::Adt(def, _) if def.did() == adt) {
                            made.push(expr);
                        }
                    }
                    ExprKind::Call(function, _) => {
                        if let Some((constructor, of)) = constructor(function) {
                            callee_paths.push(function.hir_id);
                            if constructs_adt(constructor, of) {
                                made.push(expr);
                            }
                        }
                    }
                    ExprKind::Path(_) if !callee_paths.contains(&expr.hir_id) => {
                        if let Some((constructor, of)) = constructor(expr)
                            && constructs_adt(constructor, of)
                        {
                            // A unit value is made here; a tuple constructor is a function.
                            if matches!(typeck.expr_ty(expr).kind(), ty::Adt(..)) {
                                made.push(expr);
                            } else {
                                constructor_as_value = true;
                            }
                        }
                    }
                    _ => {}
                }
                ControlFlow::<()>::Continue(())
            });
        }
        (!constructor_as_value).then_some(made)
    }

    /// Whether the value the expression `value` makes goes only into closures run on threads
    /// of their own (see [`Engine::dropped_only_on_own_threads`]).
    fn goes_to_own_thread(&self, value: HirId, steps: usize) -> bool {
        let tcx = self.tcx;
        if steps > MAX_STEPS {
            return false;
        }
        let owner = tcx.hir_enclosing_body_owner(value);
        let mut current = value;
        loop {
            // The value a function returns goes where its callers put it.
            if tcx.hir_body_owned_by(owner).value.hir_id == current {
                return self.returned_to_own_thread(owner, steps);
            }
            match yielded_by(tcx, current) {
                Some(outer) => current = outer,
                None => break,
            }
        }
        match tcx.parent_hir_node(current) {
            Node::Expr(Expr {
                kind: ExprKind::Ret(Some(_)),
                ..
            }) => self.returned_to_own_thread(owner, steps),
            Node::LetStmt(LetStmt {
                pat,
                init: Some(init),
                els: None,
                ..
            }) if init.hir_id == current => {
                let PatKind::Binding(_, local, ..) = pat.kind else {
                    return false;
                };
                let uses = super::startup::uses_of_local(tcx, owner, local);
                !uses.is_empty()
                    && uses.into_iter().all(|used| {
                        let used_in = tcx.hir_enclosing_body_owner(used);
                        if used_in == owner {
                            self.goes_to_own_thread(used, steps + 1)
                        } else {
                            self.captured_by_own_thread(owner, used_in, local)
                        }
                    })
            }
            _ => false,
        }
    }

    /// Whether the body `owner` is a function whose callers (all in this crate) send the value
    /// it returns to threads of their own.
    fn returned_to_own_thread(&self, owner: LocalDefId, steps: usize) -> bool {
        let tcx = self.tcx;
        if !matches!(tcx.def_kind(owner), DefKind::Fn | DefKind::AssocFn)
            || tcx.effective_visibilities(()).is_reachable(owner)
            // A trait's method is called through the trait, by code that need not name it.
            || tcx.trait_impl_of_assoc(owner.to_def_id()).is_some()
            || tcx.trait_of_assoc(owner.to_def_id()).is_some()
        {
            return false;
        }
        let mut calls = Vec::new();
        let mut other_uses = false;
        for body in tcx.hir_body_owners() {
            let typeck = tcx.typeck(body);
            if typeck.tainted_by_errors.is_some() {
                continue;
            }
            for_each_fn_use(typeck, tcx.hir_body_owned_by(body).value, |function, expr, used| {
                if function == owner.to_def_id() {
                    match used {
                        FnUse::PathCall | FnUse::MethodCall => calls.push(expr),
                        FnUse::Value => other_uses = true,
                    }
                }
            });
        }
        !other_uses
            && !calls.is_empty()
            && calls
                .into_iter()
                .all(|call| self.goes_to_own_thread(call.hir_id, steps + 1))
    }

    /// Whether the closure around `used_in` (a body inside `owner`) that uses the local `local`
    /// of `owner` runs on a thread of its own and takes the local by value, whole.
    fn captured_by_own_thread(&self, owner: LocalDefId, used_in: LocalDefId, local: HirId) -> bool {
        let tcx = self.tcx;
        // The closure written in `owner` itself.
        let mut closure = used_in;
        loop {
            let around = tcx.hir_enclosing_body_owner(tcx.local_def_id_to_hir_id(closure));
            if around == owner {
                break;
            }
            closure = around;
        }
        // An async block runs its captures on whatever executor awaits it.
        tcx.coroutine_kind(closure).is_none()
            && self.is_boundary_closure(closure)
            && tcx.closure_captures(closure).iter().any(|captured| {
                captured.get_root_variable() == local
                    && captured.place.projections.is_empty()
                    && matches!(captured.info.capture_kind, UpvarCapture::ByValue)
            })
    }
}
