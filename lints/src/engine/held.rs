//! What an async body keeps in its future across each `.await`, from the compiler's own
//! analysis (the coroutine layout computed from MIR liveness), not from lexical scopes.

use super::Engine;
use async_lint_config::catalogue::GuardKind;
use rustc_hir::def::Res;
use rustc_hir::intravisit::{self, Visitor};
use rustc_hir::{Expr, ExprKind, HirId, Node, Pat, PatKind, QPath};
use rustc_middle::ty::{self, CoroutineArgsExt, Ty, TyCtxt};
use rustc_span::def_id::LocalDefId;
use rustc_span::{Span, Symbol};

/// A value stored in the future across at least one await.
#[derive(Debug)]
pub struct Held<'tcx> {
    pub ty: Ty<'tcx>,
    /// Where the value is created (its local's declaration, or the temporary's expression).
    pub span: Span,
    /// The variable's name, when it has one.
    pub name: Option<Symbol>,
    /// The awaits it is held across.
    pub awaits: Vec<Span>,
    /// Values the compiler leaves out when deciding whether the future is `Send`.
    pub ignored_for_traits: bool,
}

impl<'tcx> Engine<'tcx> {
    /// The guard a value of type `ty` keeps alive, with the guard's own type: `ty` itself, or a
    /// guard it owns (see [`Engine::find_owned`]): in a tuple, array, struct or `Option`, or
    /// captured by an inner async block.
    #[must_use]
    pub fn guard_in(&self, ty: Ty<'tcx>) -> Option<(GuardKind, Ty<'tcx>)> {
        self.find_owned(ty, &mut |component| match component.kind() {
            ty::Adt(adt, _) => self.guard_kind(adt.did()).map(|kind| (kind, component)),
            _ => None,
        })
    }
}

impl Held<'_> {
    /// The variable's name, when the user wrote one (not the compiler's `__awaitee`).
    #[must_use]
    pub fn variable(&self) -> Option<Symbol> {
        self.name.filter(|name| !name.as_str().starts_with("__"))
    }
}

/// The values the coroutine `coroutine` (an async body) holds across its awaits. Empty when its
/// body did not type-check.
#[must_use]
pub fn held_across_awaits(tcx: TyCtxt<'_>, coroutine: LocalDefId) -> Vec<Held<'_>> {
    if tcx.typeck(coroutine).tainted_by_errors.is_some() {
        return Vec::new();
    }
    let Some(layout) = tcx.mir_coroutine_witnesses(coroutine.to_def_id()) else {
        return Vec::new();
    };
    layout
        .field_tys
        .iter_enumerated()
        .map(|(saved, field)| Held {
            ty: field.ty,
            span: field.source_info.span,
            name: field.debuginfo_name,
            awaits: layout
                .variant_source_info
                .iter_enumerated()
                .filter(|(variant, _)| layout.variant_fields[*variant].raw.contains(&saved))
                .map(|(_, source)| source.span)
                .collect(),
            ignored_for_traits: field.ignore_for_traits,
        })
        .filter(|held| !held.awaits.is_empty())
        .collect()
}

/// Whether the variable declared at `binding_span` in the body of `coroutine` is moved out
/// (`drop(guard)`, `consume(guard)`, `let other = guard`) unconditionally before each of
/// `awaits`, in the same block or one enclosing it.
///
/// The compiler keeps a local in the future for as long as it may be borrowed, even after it
/// is moved out (rust-lang/rust#69663), so its layout alone would report a guard that was
/// already dropped; this settles what the layout cannot.
#[must_use]
pub fn moved_out_before<'tcx>(tcx: TyCtxt<'tcx>, coroutine: LocalDefId, held: &Held<'tcx>) -> bool {
    // A `Copy` value is copied, never moved out.
    if tcx.type_is_copy_modulo_regions(ty::TypingEnv::post_analysis(tcx, coroutine), held.ty) {
        return false;
    }
    let finder = MoveFinder::run(tcx, coroutine, held.span);
    if finder.binding.is_none() || finder.reassigned {
        return false;
    }
    // An await inside a macro call (`tokio::join!`) is placed at the call.
    held.awaits
        .iter()
        .all(|await_span| finder.moved_before(await_span.source_callsite()))
}

impl<'tcx> Engine<'tcx> {
    /// The guard in `held`, a value the async body `coroutine` keeps across an await, with its
    /// kind and type, when the future really keeps it there and the user wrote it: what
    /// `lock_across_await` reports.
    #[must_use]
    pub fn guard_held_across_await(&self, coroutine: LocalDefId, held: &Held<'tcx>) -> Option<(GuardKind, Ty<'tcx>)> {
        let guard = self.guard_in(held.ty)?;
        // The guard's own span: where the value is created. Code another crate's macro wrote
        // is not the user's.
        let kept = !held.span.in_external_macro(self.tcx.sess.source_map())
            && !moved_out_before(self.tcx, coroutine, held)
            && !self.captured_guards_released(held.ty);
        kept.then_some(guard)
    }

    /// For an inner `async` block the future holds while it waits (`held_ty` is its type): whether
    /// every guard the block captured is moved out (`drop(guard)`) before each of the block's own
    /// awaits, so no guard is kept while the block waits.
    #[must_use]
    fn captured_guards_released(&self, held_ty: Ty<'tcx>) -> bool {
        let tcx = self.tcx;
        let ty::Coroutine(def_id, _) = *held_ty.kind() else {
            return false;
        };
        let Some(inner) = def_id.as_local() else {
            return false;
        };
        let Some(layout) = tcx.mir_coroutine_witnesses(def_id) else {
            return false;
        };
        // The first variants are the coroutine's unresumed, returned and poisoned states; the
        // rest are its awaits.
        let awaits: Vec<Span> = layout
            .variant_source_info
            .iter()
            .skip(ty::CoroutineArgs::RESERVED_VARIANTS)
            .map(|source| source.span.source_callsite())
            .collect();
        tcx.closure_captures(inner)
            .iter()
            .filter(|captured| self.guard_in(captured.place.ty()).is_some())
            .all(|captured| {
                let finder = MoveFinder::for_binding(tcx, inner, captured.get_root_variable());
                !finder.reassigned && awaits.iter().all(|&await_span| finder.moved_before(await_span))
            })
    }
}

/// The `HirId` of the variable declared at `binding_span` in the body of `coroutine`, so a
/// finding about it obeys `#[allow]`/`#[expect]` on its `let`.
#[must_use]
pub fn binding_at(tcx: TyCtxt<'_>, coroutine: LocalDefId, binding_span: Span) -> Option<HirId> {
    MoveFinder::run(tcx, coroutine, binding_span).binding
}

/// Collects the unconditional moves of one variable: for each, the span of the block it sits in
/// and of its statement there.
struct MoveFinder<'tcx> {
    tcx: TyCtxt<'tcx>,
    binding_span: Span,
    binding: Option<HirId>,
    moves: Vec<(Span, Span)>,
    reassigned: bool,
}

impl<'tcx> Visitor<'tcx> for MoveFinder<'tcx> {
    fn visit_pat(&mut self, pat: &'tcx Pat<'tcx>) {
        if let PatKind::Binding(_, hir_id, ..) = pat.kind
            && pat.span == self.binding_span
        {
            self.binding = Some(hir_id);
        }
        intravisit::walk_pat(self, pat);
    }

    fn visit_expr(&mut self, expr: &'tcx Expr<'tcx>) {
        if let Some(binding) = self.binding
            && let ExprKind::Path(QPath::Resolved(None, path)) = expr.kind
            && path.res == Res::Local(binding)
        {
            match self.tcx.parent_hir_node(expr.hir_id) {
                Node::Expr(Expr {
                    kind: ExprKind::Assign(target, ..),
                    ..
                }) if target.hir_id == expr.hir_id => self.reassigned = true,
                _ => {
                    if let Some(place) = self.unconditional_move(expr.hir_id) {
                        self.moves.push(place);
                    }
                }
            }
        }
        intravisit::walk_expr(self, expr);
    }
}

impl<'tcx> MoveFinder<'tcx> {
    /// Finds the variable declared at `binding_span` in the body of `coroutine`, and its moves.
    fn run(tcx: TyCtxt<'tcx>, coroutine: LocalDefId, binding_span: Span) -> Self {
        let mut finder = MoveFinder {
            tcx,
            binding_span,
            binding: None,
            moves: Vec::new(),
            reassigned: false,
        };
        finder.visit_body(tcx.hir_body_owned_by(coroutine));
        finder
    }

    /// The moves of the variable `binding` (declared elsewhere: a capture) in the body of `owner`.
    fn for_binding(tcx: TyCtxt<'tcx>, owner: LocalDefId, binding: HirId) -> Self {
        let mut finder = MoveFinder {
            tcx,
            binding_span: rustc_span::DUMMY_SP,
            binding: Some(binding),
            moves: Vec::new(),
            reassigned: false,
        };
        finder.visit_body(tcx.hir_body_owned_by(owner));
        finder
    }

    /// Whether one of the moves runs, unconditionally, before `point` in a block around it.
    fn moved_before(&self, point: Span) -> bool {
        self.moves
            .iter()
            .any(|&(block, statement)| block.contains(point) && point.lo() >= statement.hi())
    }

    /// For a by-value use at `use_id` that runs whenever its statement does: the spans of its
    /// block and its statement.
    fn unconditional_move(&self, use_id: HirId) -> Option<(Span, Span)> {
        let tcx = self.tcx;
        // A bare path as a call argument or a `let` initializer moves the value.
        let is_move = match tcx.parent_hir_node(use_id) {
            Node::Expr(Expr {
                kind: ExprKind::Call(_, args) | ExprKind::MethodCall(_, _, args, _),
                ..
            }) => args.iter().any(|arg| arg.hir_id == use_id),
            // `let _ = guard;` binds nothing, so it moves nothing.
            Node::LetStmt(local) => {
                local.init.is_some_and(|init| init.hir_id == use_id) && !matches!(local.pat.kind, PatKind::Wild)
            }
            _ => false,
        };
        if !is_move {
            return None;
        }
        let mut current = use_id;
        loop {
            match tcx.parent_hir_node(current) {
                Node::Expr(Expr {
                    kind: ExprKind::Call(..) | ExprKind::MethodCall(..),
                    hir_id,
                    ..
                }) => current = *hir_id,
                Node::LetStmt(local) => current = local.hir_id,
                Node::Stmt(statement) => {
                    let Node::Block(block) = tcx.parent_hir_node(statement.hir_id) else {
                        return None;
                    };
                    return Some((block.span, statement.span));
                }
                // Inside a condition, a loop, a closure...: not every path moves it.
                _ => return None,
            }
        }
    }
}

/// Whether a value of type `ty` borrows something (its type has a lifetime).
#[must_use]
pub fn borrows(ty: Ty<'_>) -> bool {
    ty.walk().any(|arg| arg.as_region().is_some())
}

/// Where a guard bound by a `let` can be released before the first await it is held across:
/// before the statement of the `let`'s block that holds that await (its span is returned). Only when the body
/// shows it is safe: the variable is bound by the whole pattern, not used from that statement
/// on, not shadowed in between, and no variable bound in between can borrow from it.
#[must_use]
pub fn release_point<'tcx>(tcx: TyCtxt<'tcx>, coroutine: LocalDefId, held: &Held<'tcx>) -> Option<Span> {
    let name = held.name?;
    let finder = MoveFinder::run(tcx, coroutine, held.span);
    let binding = finder.binding?;
    if finder.reassigned {
        return None;
    }
    let Node::LetStmt(local) = tcx.parent_hir_node(binding) else {
        return None;
    };
    let Node::Stmt(let_statement) = tcx.parent_hir_node(local.hir_id) else {
        return None;
    };
    let Node::Block(block) = tcx.parent_hir_node(let_statement.hir_id) else {
        return None;
    };
    let first_await = held
        .awaits
        .iter()
        .map(|span| span.source_callsite())
        .min_by_key(|span| span.lo())?;
    let position = block
        .stmts
        .iter()
        .position(|statement| statement.hir_id == let_statement.hir_id)?;
    let later = &block.stmts[position + 1..];
    let target = later
        .iter()
        .map(|statement| statement.span)
        .chain(block.expr.map(|tail| tail.span))
        .find(|span| span.contains(first_await))?;
    if target.from_expansion() {
        return None;
    }
    let mut uses = UseFinder {
        tcx,
        binding,
        latest_use: None,
    };
    uses.visit_body(tcx.hir_body_owned_by(coroutine));
    if uses.latest_use.is_some_and(|hi| hi > target.lo()) {
        return None;
    }
    let typeck = tcx.typeck(coroutine);
    let mut safe = true;
    for statement in later.iter().take_while(|statement| statement.span.lo() < target.lo()) {
        if let rustc_hir::StmtKind::Let(between) = statement.kind {
            between.pat.each_binding(|_, hir_id, _, ident| {
                let borrows = borrows(typeck.node_type(hir_id));
                safe &= ident.name != name && !borrows;
            });
        }
    }
    safe.then_some(target)
}

/// The end of the last use of one variable, closures included.
struct UseFinder<'tcx> {
    tcx: TyCtxt<'tcx>,
    binding: HirId,
    latest_use: Option<rustc_span::BytePos>,
}

impl<'tcx> Visitor<'tcx> for UseFinder<'tcx> {
    type NestedFilter = rustc_middle::hir::nested_filter::OnlyBodies;

    fn maybe_tcx(&mut self) -> TyCtxt<'tcx> {
        self.tcx
    }

    fn visit_expr(&mut self, expr: &'tcx Expr<'tcx>) {
        if let ExprKind::Path(QPath::Resolved(None, path)) = expr.kind
            && path.res == Res::Local(self.binding)
        {
            let hi = expr.span.source_callsite().hi();
            self.latest_use = Some(self.latest_use.map_or(hi, |latest| latest.max(hi)));
        }
        intravisit::walk_expr(self, expr);
    }
}

/// For a temporary guard made in the scrutinee of a `match`, `if let` or `while let` (which
/// keeps the temporary until the end of the whole expression): that scrutinee, and the
/// statement holding the expression, before which a `let` can take the value out.
#[must_use]
pub fn scrutinee_holding<'tcx>(
    tcx: TyCtxt<'tcx>,
    coroutine: LocalDefId,
    held: &Held<'tcx>,
) -> Option<(&'tcx Expr<'tcx>, Span)> {
    if held.name.is_some() {
        return None;
    }
    let mut finder = SpanFinder {
        span: held.span,
        found: None,
    };
    finder.visit_body(tcx.hir_body_owned_by(coroutine));
    let temporary = finder.found?;
    let mut child = temporary.hir_id;
    for (parent_id, node) in tcx.hir_parent_iter(temporary.hir_id) {
        let Node::Expr(parent) = node else {
            return None;
        };
        let scrutinee = match parent.kind {
            ExprKind::Match(scrutinee, _, rustc_hir::MatchSource::Normal) if scrutinee.hir_id == child => scrutinee,
            ExprKind::Let(let_expr) if let_expr.init.hir_id == child => let_expr.init,
            // Closures and items end the search: their bodies are elsewhere.
            ExprKind::Closure(_) => return None,
            _ => {
                child = parent_id;
                continue;
            }
        };
        return statement_of(tcx, parent_id).map(|statement| (scrutinee, statement));
    }
    None
}

/// The span of the block statement (or block tail) an expression belongs to, through the `if`
/// that `if let` is made of and a `let` initializer. Not through a loop: the `while let` of a
/// loop evaluates its scrutinee on every iteration, so a `let` before the loop would not do.
fn statement_of(tcx: TyCtxt<'_>, expr: HirId) -> Option<Span> {
    let mut child = expr;
    for (parent_id, node) in tcx.hir_parent_iter(expr) {
        match node {
            Node::Expr(Expr {
                kind: ExprKind::If(..) | ExprKind::DropTemps(_),
                ..
            })
            | Node::LetStmt(_) => {}
            Node::Block(block) if block.expr.is_some_and(|tail| tail.hir_id == child) => {
                let in_loop = matches!(
                    tcx.parent_hir_node(parent_id),
                    Node::Expr(Expr {
                        kind: ExprKind::Loop(..),
                        ..
                    })
                );
                return (!in_loop).then(|| tcx.hir_node(child).expect_expr().span);
            }
            Node::Stmt(statement) => {
                return matches!(tcx.parent_hir_node(statement.hir_id), Node::Block(_)).then_some(statement.span);
            }
            _ => return None,
        }
        child = parent_id;
    }
    None
}

/// The expression with exactly this span.
struct SpanFinder<'tcx> {
    span: Span,
    found: Option<&'tcx Expr<'tcx>>,
}

impl<'tcx> Visitor<'tcx> for SpanFinder<'tcx> {
    fn visit_expr(&mut self, expr: &'tcx Expr<'tcx>) {
        if self.found.is_none() && expr.span == self.span {
            self.found = Some(expr);
        }
        intravisit::walk_expr(self, expr);
    }
}

impl<'tcx> super::Engine<'tcx> {
    /// Whether a parameter or local of `body`, which may be alive at `call`, has a type that is
    /// not `Send` (nested bodies are not entered). A macro's own bindings (`format!`'s
    /// arguments) are alive only inside that macro's call.
    #[must_use]
    pub fn has_non_send_binding(&self, typing_env: ty::TypingEnv<'tcx>, body: rustc_hir::BodyId, call: Span) -> bool {
        let Some(send) = self.tcx.get_diagnostic_item(rustc_span::sym::Send) else {
            return true;
        };
        let body = self.tcx.hir_body(body);
        let typeck = self.tcx.typeck_body(body.id());
        NonSendBinding {
            tcx: self.tcx,
            typing_env,
            typeck,
            send,
            call,
        }
        .visit_body(body)
        .is_break()
    }
}

/// Breaks at a binding whose type is not `Send`.
struct NonSendBinding<'tcx> {
    tcx: TyCtxt<'tcx>,
    typing_env: ty::TypingEnv<'tcx>,
    typeck: &'tcx ty::TypeckResults<'tcx>,
    send: rustc_span::def_id::DefId,
    call: Span,
}

impl<'tcx> Visitor<'tcx> for NonSendBinding<'tcx> {
    type Result = std::ops::ControlFlow<()>;

    fn visit_pat(&mut self, pat: &'tcx Pat<'tcx>) -> std::ops::ControlFlow<()> {
        let out_of_scope = pat.span.from_expansion() && !pat.span.source_callsite().contains(self.call);
        if let PatKind::Binding(..) = pat.kind
            && !out_of_scope
            && !clippy_utils::ty::implements_trait_with_env(
                self.tcx,
                self.typing_env,
                self.typeck.pat_ty(pat),
                self.send,
                None,
                &[],
            )
        {
            return std::ops::ControlFlow::Break(());
        }
        intravisit::walk_pat(self, pat)
    }
}
