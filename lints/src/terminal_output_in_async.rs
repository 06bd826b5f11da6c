use crate::AsyncCall;
use crate::diag::{emit_lint, explain_chain};
use crate::engine::Reach;
use rustc_lint::{LateContext, declare_lint};

declare_lint! {
    /// ### What it does
    /// Finds writes to the terminal (the standard output or error) made from async code,
    /// directly or through any chain of synchronous functions, the crate's or a dependency's:
    /// `print!`/`println!`/`eprint!`/`eprintln!`, `Write` methods on `std::io::stdout()` and
    /// `stderr()` (and their locks), and whatever reaches them, such as a progress bar's
    /// `set_message`, a terminal library's `execute!`, a logger writing to stderr, or a CLI
    /// parser printing its usage.
    ///
    /// It is allowed by default. `blocking_in_async` reports a call whose only way to block is
    /// terminal output under this lint instead; a call that also waits on something else (a
    /// sleep, a file, the network) stays `blocking_in_async`'s, explained by that wait.
    ///
    /// ### Why is this bad?
    /// A write to a terminal or pipe blocks while the reader is slower than the writer: a
    /// terminal paused with Ctrl-S, a pipe into a process that stopped reading, a slow remote
    /// session. Most programs never meet this, so it is rarely worth fixing; it is for
    /// programs whose output can be large or whose reader may stall (a server logging
    /// through stdout into a pipe, a TUI redrawing a remote terminal), which turn it on.
    ///
    /// ### Known problems
    /// As for `blocking_in_async`. Output through `tokio::io::stdout()` is not reported: tokio
    /// does the write on its blocking pool.
    ///
    /// ### Example
    /// ```no_run
    /// async fn serve(progress: &indicatif::ProgressBar) {
    ///     progress.set_message("serving");
    /// }
    /// ```
    /// Use instead:
    /// ```no_run
    /// async fn serve(updates: &tokio::sync::mpsc::UnboundedSender<String>) {
    ///     // A task or thread of its own draws the progress bar.
    ///     let _ = updates.send("serving".to_owned());
    /// }
    /// ```
    ///
    /// ### Configuration
    /// - `lints.terminal_output_in_async` (default: `"allow"`): the lint's level; `"warn"`
    ///   for programs whose output may stall.
    /// - `catalogue.blocking` entries with the category `terminal-output` add APIs that write
    ///   to the terminal.
    pub TERMINAL_OUTPUT_IN_ASYNC,
    Allow,
    "write to the terminal reachable from async code"
}

/// Reports `call`, whose only way to block, as `reach` shows, is writing to the terminal.
pub fn check_call<'tcx>(cx: &LateContext<'tcx>, call: &AsyncCall<'_, 'tcx>, reach: &Reach<'_>) {
    let name = reach.callee_name(cx.tcx);
    emit_lint(
        cx,
        TERMINAL_OUTPUT_IN_ASYNC,
        call.expr.hir_id,
        call.span,
        format!("`{name}` writes to the terminal from async code"),
        |diag| {
            diag.span_label(call.span, format!("terminal output in {}", call.context.description()));
            if let Reach::Through { witness, .. } = reach {
                explain_chain(cx, diag, witness);
            }
            diag.help(if call.engine.uses_tokio {
                "it blocks while the terminal or pipe reading it is slow: where that can happen, write from a task of \
                 its own (through a channel), or through `tokio::io::stdout()`"
            } else {
                "it blocks while the terminal or pipe reading it is slow: where that can happen, write from a task or \
                 thread of its own, through a channel"
            });
        },
    );
}
