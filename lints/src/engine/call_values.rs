//! Catalogued calls that the call site shows do not wait: a file-system call on a path the
//! kernel answers from memory ([`NON_BLOCKING_PATH_PREFIXES`]), a timed wait given a zero
//! duration ([`TIMED_WAITS`]), and a read made where a poll just said something is ready
//! ([`READY_AFTER`]).

use super::Engine;
use super::calls::ancestors_in_body;
use async_lint_config::catalogue::{Category, Entry, NON_BLOCKING_PATH_PREFIXES, READY_AFTER, TIMED_WAITS};
use rustc_ast::LitKind;
use rustc_hir::def::{DefKind, Res};
use rustc_hir::intravisit::{self, Visitor};
use rustc_hir::{Expr, ExprKind, HirId, Node, QPath};
use rustc_middle::ty::TyCtxt;
use rustc_span::def_id::DefId;

impl<'tcx> Engine<'tcx> {
    /// Whether the call expression `call` of `callee`, which the catalogue lists as `entry`, is
    /// shown by its arguments or surroundings not to wait.
    #[must_use]
    pub fn call_does_not_wait(&self, callee: DefId, entry: &Entry, call: HirId) -> bool {
        let Node::Expr(expr) = self.tcx.hir_node(call) else {
            return false;
        };
        let (ExprKind::Call(_, arguments) | ExprKind::MethodCall(_, _, arguments, _)) = expr.kind else {
            return false;
        };
        if entry.category == Category::FileSystem
            && arguments
                .first()
                .and_then(|argument| literal_path(self.tcx, argument))
                .is_some_and(|path| NON_BLOCKING_PATH_PREFIXES.iter().any(|prefix| path.starts_with(prefix)))
        {
            return true;
        }
        let resolved = |path: &'static str| self.resolve(path).contains(&callee);
        if TIMED_WAITS
            .iter()
            .any(|&(wait, index)| resolved(wait) && arguments.get(index).is_some_and(is_zero_duration))
        {
            return true;
        }
        READY_AFTER
            .iter()
            .any(|&(read, ready)| resolved(read) && self.guarded_by(call, &self.resolve(ready)))
    }

    /// Whether `call` sits in the `then` branch of an `if` (a `while` is one too) whose condition
    /// calls one of `polls`, or on the right of a `&&` whose left side does
    /// (`poll(..)? && let Ok(event) = read()`: the right side runs once the left is true).
    fn guarded_by(&self, call: HirId, polls: &[DefId]) -> bool {
        ancestors_in_body(self.tcx, call).any(|(child, _, parent)| match parent {
            Node::Expr(Expr {
                kind: ExprKind::If(condition, then, _),
                ..
            }) if then.hir_id == child => self.calls_one_of(condition, polls),
            Node::Expr(Expr {
                kind: ExprKind::Binary(operator, left, right),
                ..
            }) if operator.node == rustc_hir::BinOpKind::And && right.hir_id == child => self.calls_one_of(left, polls),
            _ => false,
        })
    }

    /// Whether `expr` calls one of `functions` (by path: `event::poll(..)`).
    fn calls_one_of(&self, expr: &'tcx Expr<'tcx>, functions: &[DefId]) -> bool {
        let tcx = self.tcx;
        let mut finder = CallFinder {
            typeck: tcx.typeck(tcx.hir_enclosing_body_owner(expr.hir_id)),
            functions,
            found: false,
        };
        finder.visit_expr(expr);
        finder.found
    }
}

/// The string of a literal path argument: `"/proc/stat"`, `Path::new("/proc/stat")`, or a
/// constant of this crate that is one (`const TTY: &str = "/dev/tty";`).
fn literal_path(tcx: TyCtxt<'_>, expr: &Expr<'_>) -> Option<String> {
    match expr.kind {
        ExprKind::Lit(literal) => match literal.node {
            LitKind::Str(text, _) => Some(text.to_string()),
            _ => None,
        },
        ExprKind::AddrOf(_, _, inner) | ExprKind::Call(_, [inner]) => literal_path(tcx, inner),
        ExprKind::Path(QPath::Resolved(None, path)) => match path.res {
            Res::Def(DefKind::Const, constant) => {
                let value = tcx.hir_maybe_body_owned_by(constant.as_local()?)?.value;
                // Only a literal: a constant built from other constants is not followed.
                matches!(value.kind, ExprKind::Lit(_))
                    .then(|| literal_path(tcx, value))
                    .flatten()
            }
            _ => None,
        },
        _ => None,
    }
}

/// `Duration::ZERO`, `Duration::from_secs(0)` (any `from_*` unit), `Duration::new(0, 0)`.
fn is_zero_duration(expr: &Expr<'_>) -> bool {
    let is_zero = |expr: &Expr<'_>| matches!(expr.kind, ExprKind::Lit(literal) if matches!(literal.node, LitKind::Int(value, _) if value.get() == 0));
    match expr.kind {
        ExprKind::Path(QPath::TypeRelative(_, segment)) => segment.ident.name.as_str() == "ZERO",
        ExprKind::Path(QPath::Resolved(_, path)) => path
            .segments
            .last()
            .is_some_and(|segment| segment.ident.name.as_str() == "ZERO"),
        ExprKind::Call(function, arguments) => {
            let name = match function.kind {
                ExprKind::Path(QPath::TypeRelative(_, segment)) => segment.ident.name,
                ExprKind::Path(QPath::Resolved(_, path)) => match path.segments.last() {
                    Some(segment) => segment.ident.name,
                    None => return false,
                },
                _ => return false,
            };
            let name = name.as_str();
            (name.starts_with("from_") || name == "new") && !arguments.is_empty() && arguments.iter().all(is_zero)
        }
        _ => false,
    }
}

/// Finds a call of one of `functions` in an expression.
struct CallFinder<'a, 'tcx> {
    typeck: &'tcx rustc_middle::ty::TypeckResults<'tcx>,
    functions: &'a [DefId],
    found: bool,
}

impl<'tcx> Visitor<'tcx> for CallFinder<'_, 'tcx> {
    fn visit_expr(&mut self, expr: &'tcx Expr<'tcx>) {
        if let ExprKind::Call(function, _) = expr.kind
            && let ExprKind::Path(ref qpath) = function.kind
            && let Res::Def(_, called) = self.typeck.qpath_res(qpath, function.hir_id)
            && self.functions.contains(&called)
        {
            self.found = true;
        }
        intravisit::walk_expr(self, expr);
    }
}
