//! Sends on channels that wait only when the channel is bounded and full
//! ([`BOUNDED_CHANNEL_SENDS`]): the value decides, not the name. A send blocks where the code
//! shows its channel came from a bounded constructor; an unbounded channel's never waits, and
//! one whose making the code does not show is taken as non-blocking.

use super::Engine;
use async_lint_config::catalogue::{BOUNDED_CHANNEL_SENDS, Category, Entry};
use rustc_data_structures::fx::{FxHashMap, FxHashSet};
use rustc_hir::def::{DefKind, Res};
use rustc_hir::{Expr, ExprKind, HirId, Node, QPath};
use rustc_middle::ty::{self, TyCtxt};
use rustc_span::Span;
use rustc_span::def_id::DefId;
use std::borrow::Cow;

/// The sends of [`BOUNDED_CHANNEL_SENDS`] in this build, with their bounded constructors.
#[derive(Debug, Default)]
pub(super) struct ChannelSends {
    sends: FxHashMap<DefId, (Entry, FxHashSet<DefId>)>,
}

impl ChannelSends {
    pub(super) fn resolve(tcx: TyCtxt<'_>) -> Self {
        let mut sends = FxHashMap::default();
        for &(send, bounded, hint) in BOUNDED_CHANNEL_SENDS {
            let constructors: FxHashSet<DefId> = super::catalogue::resolve_functions(tcx, bounded.iter().copied());
            for function in super::catalogue::resolve_functions(tcx, [send]) {
                let entry = Entry {
                    path: Cow::Borrowed(send),
                    self_ty: None,
                    category: Category::ThreadSync,
                    hint: Some(Cow::Borrowed(hint)),
                };
                sends.insert(function, (entry, constructors.clone()));
            }
        }
        Self { sends }
    }

    /// Whether `function` is one of these sends (which only its call site can judge).
    pub(super) fn contains(&self, function: DefId) -> bool {
        self.sends.contains_key(&function)
    }
}

impl<'tcx> Engine<'tcx> {
    /// For a send of [`BOUNDED_CHANNEL_SENDS`] at `call` (a call expression) whose channel the
    /// code shows was made bounded: the catalogue entry it then is.
    #[must_use]
    pub fn bounded_channel_send(&self, callee: DefId, call: HirId) -> Option<&Entry> {
        self.bounded_channel_made_at(callee, call).map(|(entry, _)| entry)
    }

    /// [`Engine::bounded_channel_send`], with where the channel was made bounded.
    #[must_use]
    pub fn bounded_channel_made_at(&self, callee: DefId, call: HirId) -> Option<(&Entry, Span)> {
        let (entry, constructors) = self.channel_sends.sends.get(&callee)?;
        let Node::Expr(expr) = self.tcx.hir_node(call) else {
            return None;
        };
        let (ExprKind::MethodCall(_, sender, ..) | ExprKind::Call(_, [sender, ..])) = expr.kind else {
            return None;
        };
        Some((entry, self.made_by(sender, constructors, 0)?))
    }

    /// Where the value of `expr` comes from a call of one of `constructors`: through
    /// references, clones, tuple fields, the `let` that bound a local, and the struct literals
    /// that fill a field.
    fn made_by(&self, expr: &Expr<'tcx>, constructors: &FxHashSet<DefId>, depth: usize) -> Option<Span> {
        if depth > 8 {
            return None;
        }
        let tcx = self.tcx;
        let next = |expr: &Expr<'tcx>| self.made_by(expr, constructors, depth + 1);
        match expr.kind {
            ExprKind::AddrOf(_, _, inner) | ExprKind::DropTemps(inner) => next(inner),
            ExprKind::Block(block, _) => block.expr.and_then(next),
            ExprKind::MethodCall(method, receiver, [], _) if method.ident.name == rustc_span::sym::clone => {
                next(receiver)
            }
            ExprKind::Call(function, _) => match function.kind {
                ExprKind::Path(ref qpath) => {
                    let typeck = tcx.typeck(tcx.hir_enclosing_body_owner(expr.hir_id));
                    matches!(typeck.qpath_res(qpath, function.hir_id), Res::Def(DefKind::Fn, called)
                        if constructors.contains(&called))
                    .then_some(expr.span)
                }
                _ => None,
            },
            ExprKind::Field(base, field) => {
                let typeck = tcx.typeck(tcx.hir_enclosing_body_owner(expr.hir_id));
                match typeck.expr_ty_adjusted(base).peel_refs().kind() {
                    // `channel.0` of `let channel = flume::bounded(1)`.
                    ty::Tuple(_) => next(base),
                    ty::Adt(adt, _) if adt.is_struct() => self
                        .field_values(adt.did(), field.name)
                        .into_iter()
                        .find_map(|value| self.made_by(value, constructors, depth + 1)),
                    _ => None,
                }
            }
            ExprKind::Path(QPath::Resolved(None, path)) => match path.res {
                Res::Local(binding) => self.bound_value(binding).and_then(next),
                _ => None,
            },
            _ => None,
        }
    }

    /// The expression a `let` gave the local `binding` (whole, or destructured:
    /// `let (tx, rx) = flume::bounded(1)` gives `tx` the call). A parameter, a `match` arm's
    /// binding or a closure's has none.
    fn bound_value(&self, binding: HirId) -> Option<&'tcx Expr<'tcx>> {
        for (_, node) in self.tcx.hir_parent_iter(binding) {
            match node {
                Node::Pat(_) | Node::PatField(_) => {}
                Node::LetStmt(local) => return local.init,
                _ => return None,
            }
        }
        None
    }
}
