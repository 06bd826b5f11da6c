//! The values this crate's struct literals give each field, read once: the functions kept in
//! `fn` pointer fields (`Hooks { on_save: flush_log }`), which a call of that field
//! (`(hooks.on_save)(key)`) runs, and the channels kept in a field a send goes through.

use super::Engine;
use rustc_data_structures::fx::FxHashMap;
use rustc_hir::def::{DefKind, Res};
use rustc_hir::intravisit::{self, Visitor};
use rustc_hir::{Expr, ExprKind, QPath};
use rustc_middle::hir::nested_filter;
use rustc_middle::ty::{self, TyCtxt};
use rustc_span::Symbol;
use rustc_span::def_id::DefId;
use std::rc::Rc;

/// By struct and field name: the values the crate's struct literals give that field.
pub(super) type FieldValues<'tcx> = FxHashMap<(DefId, Symbol), Vec<&'tcx Expr<'tcx>>>;

impl<'tcx> Engine<'tcx> {
    /// The functions this crate stores in field `field` of the struct `adt`: fn items without
    /// generic parameters, named in a struct literal (`Hooks { on_save: flush_log }`).
    pub(super) fn functions_stored_in(&self, adt: DefId, field: Symbol) -> Vec<DefId> {
        let mut functions = Vec::new();
        for value in self.field_values(adt, field) {
            if let ExprKind::Path(QPath::Resolved(_, function)) = value.kind
                && let Res::Def(DefKind::Fn | DefKind::AssocFn, function) = function.res
                && self.tcx.generics_of(function).count() == 0
                && !functions.contains(&function)
            {
                functions.push(function);
            }
        }
        functions
    }

    /// The values this crate's struct literals give the field `field` of the struct `adt`.
    pub(super) fn field_values(&self, adt: DefId, field: Symbol) -> Vec<&'tcx Expr<'tcx>> {
        self.all_field_values().get(&(adt, field)).cloned().unwrap_or_default()
    }

    /// For a call of a `fn` pointer read from a struct's field (`(hooks.on_save)(key)`): the
    /// struct and the field.
    #[must_use]
    pub fn called_field(&self, typeck: &ty::TypeckResults<'tcx>, callee: &Expr<'_>) -> Option<(DefId, Symbol)> {
        let ExprKind::Field(base, field) = callee.kind else {
            return None;
        };
        if !matches!(typeck.expr_ty(callee).kind(), ty::FnPtr(..)) {
            return None;
        }
        let ty::Adt(adt, _) = typeck.expr_ty_adjusted(base).peel_refs().kind() else {
            return None;
        };
        adt.is_struct().then(|| (adt.did(), field.name))
    }

    /// Read once, from the HIR (no type-check results needed), when a field's values are first
    /// asked for.
    fn all_field_values(&self) -> Rc<FieldValues<'tcx>> {
        if let Some(known) = self.field_values.borrow().as_ref() {
            return known.clone();
        }
        let tcx = self.tcx;
        let mut finder = Finder {
            tcx,
            found: FxHashMap::default(),
        };
        for owner in tcx.hir_body_owners() {
            // Closures are visited with the body they are in.
            if tcx.typeck_root_def_id(owner.to_def_id()) != owner.to_def_id() {
                continue;
            }
            if let Some(body) = tcx.hir_maybe_body_owned_by(owner) {
                finder.visit_expr(body.value);
            }
        }
        let values = Rc::new(finder.found);
        *self.field_values.borrow_mut() = Some(values.clone());
        values
    }
}

struct Finder<'tcx> {
    tcx: TyCtxt<'tcx>,
    found: FieldValues<'tcx>,
}

impl<'tcx> Visitor<'tcx> for Finder<'tcx> {
    type NestedFilter = nested_filter::OnlyBodies;

    fn maybe_tcx(&mut self) -> TyCtxt<'tcx> {
        self.tcx
    }

    fn visit_expr(&mut self, expr: &'tcx Expr<'tcx>) {
        if let ExprKind::Struct(QPath::Resolved(_, path), fields, _) = expr.kind
            && let Some(adt) = match path.res {
                Res::Def(DefKind::Struct, adt) => Some(adt),
                // `Self { .. }`, and a literal through a type alias.
                Res::SelfTyAlias { alias_to, .. } | Res::Def(DefKind::TyAlias, alias_to) => self
                    .tcx
                    .type_of(alias_to)
                    .skip_binder()
                    .ty_adt_def()
                    .map(rustc_middle::ty::AdtDef::did),
                _ => None,
            }
        {
            for field in fields {
                self.found.entry((adt, field.ident.name)).or_default().push(field.expr);
            }
        }
        intravisit::walk_expr(self, expr);
    }
}
