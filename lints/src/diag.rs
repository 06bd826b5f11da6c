//! The one way our lints emit diagnostics, so that every message carries the same pointer to
//! `--explain` (the raw rustc emitters are banned in `clippy.toml`).

use clippy_utils::diagnostics::span_lint_hir_and_then;
use rustc_errors::{Applicability, Diag, MultiSpan, Suggestions};
use rustc_hir::HirId;
use rustc_lint::{LateContext, Lint};
use rustc_span::Span;

use crate::engine::{Hop, Witness};
use async_lint_config::summary::ChainHop;
use std::sync::atomic::{AtomicUsize, Ordering};

/// How many of our findings this compilation emitted as errors (their level is `deny` or
/// `forbid`). The driver compares it with the session's error count: when these are the only
/// errors, the crate's check goes on (see the driver's `after_analysis`).
static DENIED_FINDINGS: AtomicUsize = AtomicUsize::new(0);

/// The number of our findings emitted as errors so far.
#[must_use]
pub fn denied_findings() -> usize {
    DENIED_FINDINGS.load(Ordering::Relaxed)
}

/// A finding being made. Each part goes both into the rustc diagnostic and into the finding's
/// record, so the report gets the finding as it was made, not parsed back out of the diagnostic.
pub struct Finding<'a, 'b> {
    diag: &'a mut Diag<'b>,
    parts: Vec<Part>,
}

/// A part of a finding, as the report records it.
pub(crate) enum Part {
    /// A note, at a place when it has one (a step of the chain).
    Note(Option<Span>, String),
    Help(String),
    /// A suggested edit: its message and the code each span gets.
    Suggestion(String, Vec<(Span, String)>),
}

impl Finding<'_, '_> {
    pub fn note(&mut self, message: impl Into<String>) {
        let message = message.into();
        self.diag.note(message.clone());
        self.parts.push(Part::Note(None, message));
    }

    pub fn span_note(&mut self, span: Span, message: impl Into<String>) {
        let message = message.into();
        self.diag.span_note(span, message.clone());
        self.parts.push(Part::Note(Some(span), message));
    }

    pub fn help(&mut self, message: impl Into<String>) {
        let message = message.into();
        self.diag.help(message.clone());
        self.parts.push(Part::Help(message));
    }

    /// A label on one of the diagnostic's spans; the report has the spans' places only.
    pub fn span_label(&mut self, span: Span, label: impl Into<String>) {
        self.diag.span_label(span, label.into());
    }

    pub fn span_suggestion(
        &mut self,
        span: Span,
        message: impl Into<String>,
        code: impl Into<String>,
        applicability: Applicability,
    ) {
        let (message, code) = (message.into(), code.into());
        self.record_suggestion(&message, vec![(span, code.clone())]);
        self.diag.span_suggestion(span, message, code, applicability);
    }

    pub fn multipart_suggestion(
        &mut self,
        message: impl Into<String>,
        parts: Vec<(Span, String)>,
        applicability: Applicability,
    ) {
        let message = message.into();
        self.record_suggestion(&message, parts.clone());
        self.diag.multipart_suggestion(message, parts, applicability);
    }

    fn record_suggestion(&mut self, message: &str, parts: Vec<(Span, String)>) {
        // rustc leaves out the suggestions of a diagnostic that cannot take any.
        if !matches!(self.diag.suggestions, Suggestions::Disabled) {
            self.parts.push(Part::Suggestion(message.to_owned(), parts));
        }
    }
}

/// Emits `lint` at `hir_id` (whose lint-level attributes decide whether it shows), with the
/// primary `span` and message, then lets `decorate` add notes, help and suggestions. The
/// statistics hear of every finding made, whatever its level; the report records those shown.
pub fn emit_lint(
    cx: &LateContext<'_>,
    lint: &'static Lint,
    hir_id: HirId,
    span: impl Into<MultiSpan>,
    message: impl Into<String>,
    decorate: impl FnOnce(&mut Finding<'_, '_>),
) {
    crate::stats::finding_made(lint, hir_id);
    let span: MultiSpan = span.into();
    let message = message.into();
    // rustc attaches the span after decorating, so the report takes it from here.
    let primary = span.primary_span();
    #[expect(clippy::disallowed_methods, reason = "this is the one sanctioned emitter")]
    span_lint_hir_and_then(cx, lint, hir_id, span, message.clone(), |diag| {
        if diag.is_error() {
            DENIED_FINDINGS.fetch_add(1, Ordering::Relaxed);
        }
        let mut finding = Finding {
            diag,
            parts: Vec::new(),
        };
        decorate(&mut finding);
        let Finding { diag, parts } = finding;
        diag.note(format!(
            "for further information run `cargo async-lint --explain {}`",
            lint.name_lower()
        ));
        crate::report::record(cx, lint, hir_id, primary, message, parts);
    });
}

/// One note per hop of a chain ("`settle` calls `std::thread::sleep` here"), then what the
/// catalogued API at its end does.
pub fn explain_chain(cx: &LateContext<'_>, diag: &mut Finding<'_, '_>, witness: &Witness) {
    if let Some((ty, span)) = &witness.coerced {
        explain_coercion(diag, ty, *span);
    }
    explain_hops(cx, diag, &witness.hops);
    explain_external(diag, &witness.external);
    diag.note(format!(
        "`{}` {}",
        witness.entry.display_name(),
        witness.entry.category.description()
    ));
}

/// Where a call through a trait object got the type it runs (`what`: "`FileStore`", "a
/// closure").
fn explain_coercion(diag: &mut Finding<'_, '_>, what: &str, span: Span) {
    diag.span_note(span, format!("the trait object is {what}, made here"));
}

/// Chains longer than this show their first and last hops only.
const MAX_HOPS_SHOWN: usize = 8;

/// One note per hop: "`caller` calls `callee` here"; the middle of a long chain is summarized.
pub fn explain_hops(cx: &LateContext<'_>, diag: &mut Finding<'_, '_>, hops: &[Hop]) {
    let note = |diag: &mut Finding<'_, '_>, hop: &Hop| {
        let caller = cx.tcx.def_path_str(hop.caller);
        let what = match (&hop.dropped, hop.callee_id) {
            (Some(dropped), _) => format!("`{caller}` drops a `{dropped}` here"),
            (None, Some(closure)) if cx.tcx.is_closure_like(closure) => format!(
                "`{caller}` calls a closure written in `{}` here",
                cx.tcx.def_path_str(cx.tcx.typeck_root_def_id(closure))
            ),
            (None, _) => format!("`{caller}` calls `{}` here", hop.callee),
        };
        diag.span_note(hop.span, what);
        if let Some((ty, span)) = &hop.coerced {
            explain_coercion(diag, ty, *span);
        }
    };
    if hops.len() <= MAX_HOPS_SHOWN {
        for hop in hops {
            note(diag, hop);
        }
        return;
    }
    let (head, rest) = hops.split_at(MAX_HOPS_SHOWN / 2);
    let (skipped, tail) = rest.split_at(rest.len() - (MAX_HOPS_SHOWN / 2 - 1));
    for hop in head {
        note(diag, hop);
    }
    diag.note(format!("{} more calls in between", skipped.len()));
    for hop in tail {
        note(diag, hop);
    }
}

/// The steps of a chain inside dependencies, from their summaries: each with its file and line
/// there ("`dep::load` calls `std::fs::read` at dep/src/lib.rs:4:5").
pub fn explain_external(diag: &mut Finding<'_, '_>, hops: &[ChainHop]) {
    for hop in hops {
        let what = match (&hop.dropped, &hop.coerced) {
            (Some(dropped), _) => format!("drops a `{dropped}`"),
            (None, Some(coerced)) => format!("makes {coerced} the trait object"),
            (None, None) => format!("calls `{}`", hop.callee),
        };
        diag.note(format!(
            "`{}` {what} at {}:{}:{}",
            hop.caller, hop.file, hop.line, hop.column
        ));
    }
}

/// "`rt` is dropped here, in an async fn", naming what it owns when that is the problem.
#[must_use]
pub fn drop_label<'tcx>(
    dropped: &crate::engine::DropSite<'tcx>,
    component: rustc_middle::ty::Ty<'tcx>,
    context: crate::engine::ContextInfo,
) -> String {
    let what = dropped
        .name
        .map_or_else(|| format!("this `{}`", dropped.ty), |name| format!("`{name}`"));
    if component == dropped.ty {
        format!("{what} is dropped here, in {}", context.description())
    } else {
        format!(
            "{what} is dropped here, in {}, and with it the `{component}` it owns",
            context.description()
        )
    }
}
