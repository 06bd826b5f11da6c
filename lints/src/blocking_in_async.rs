use crate::diag::{drop_label, emit_lint, explain_chain};
use crate::engine::{AsyncContext, ContextInfo, Effect, Reach, borrows, paths};
use crate::{AsyncCall, AsyncDrop};
use async_lint_config::catalogue::{ASYNC_COUNTERPARTS, Category, Entry, SHARED_COMMAND_METHODS, blocking_pool};
use clippy_utils::is_in_test;
use clippy_utils::source::snippet_with_context;
use clippy_utils::ty::implements_trait;
use rustc_errors::Applicability;
use rustc_hir::{Expr, ExprKind, Node, StmtKind};
use rustc_lint::{LateContext, Lint, LintContext, declare_lint};
use rustc_span::def_id::DefId;
use rustc_span::{Span, sym};

declare_lint! {
    /// ### What it does
    /// Finds calls that block the current thread made from async code: inside an `async fn`, an
    /// `async` block or an async closure, a hand-written poll method (`Future::poll`,
    /// `Stream::poll_next`, `AsyncRead::poll_read`, `AsyncWrite::poll_write`, `Sink::poll_ready`
    /// and the rest of `catalogue.poll_methods`), or a closure such code runs inline
    /// (`iter.map(..)`, `Option::map`, a closure stored in a local and called). It follows
    /// chains of synchronous functions of the crate, so a handler that calls `load_settings()`,
    /// which calls `std::fs::read_to_string`, is reported at the handler's call, with the chain
    /// in notes.
    ///
    /// Blocking means the catalogue: `std::thread::sleep`; `std::fs` functions and `File`,
    /// `OpenOptions`, `ReadDir` and `DirEntry` operations; `Read`/`Write`/`BufRead` methods on
    /// files, TCP streams, the standard input and child process pipes; `std::net` connects,
    /// accepts, sends, receives and DNS lookups; `Command::output`/`status` and `Child::wait`;
    /// `mpsc`, `crossbeam_channel`, `flume` and `kanal` receives and sends on bounded channels,
    /// `Condvar` and `Barrier` waits, `thread::park`, `thread::scope` and `JoinHandle::join`;
    /// terminal input (`crossterm::event::read`/`poll`, `console::Term`'s reads); tokio's
    /// `blocking_*` methods; and the synchronous clients of `reqwest::blocking`, `ureq`,
    /// `postgres`, `rusqlite` and `diesel`. Entries of crates your build does not use are
    /// skipped.
    ///
    /// Code handed to another thread is not async context: closures and functions passed to
    /// `tokio::task::spawn_blocking`, `block_in_place`, `std::thread::spawn` and scoped spawns,
    /// `rayon` spawns, and the unblock helpers of async-std, smol and `blocking`; closures passed
    /// where a function requires a `Send + 'static` closure (only code that runs on another
    /// thread needs those bounds, as with a pool's `interact`); and closures passed to this
    /// crate's own wrappers that hand them on to any of these.
    ///
    /// `cargo async-lint --fix` rewrites a direct call that has a tokio counterpart, where the
    /// rewrite compiles as before (same arguments, same result, and the future stays `Send`):
    /// `std::thread::sleep(d)` becomes `tokio::time::sleep(d).await`; `std::fs::read_to_string(p)`
    /// and the other `std::fs` functions become their `tokio::fs` namesakes, awaited; a
    /// `std::process::Command` built and run in one expression is built as
    /// `tokio::process::Command` and its `output()`/`status()` awaited. Elsewhere the same
    /// rewrite is offered as a suggestion (in the editor, a quick fix), and so is moving a call of
    /// one of the crate's blocking helpers to `tokio::task::spawn_blocking` when the closure can
    /// own its arguments.
    ///
    /// ### Why is this bad?
    /// An async executor runs many tasks on a few threads. A task that blocks its thread stops
    /// every other task scheduled there: timers fire late, requests queue up, and on a
    /// current-thread runtime the whole program stalls until the call returns. Tokio's
    /// `blocking_*` methods go further and panic when called on a runtime thread.
    ///
    /// ### Known problems
    /// Calls are read from the compiled code (MIR), so the calls the source does not spell are
    /// seen (an overloaded `Deref` reached by auto-deref, operators, `Index`, and the
    /// destructor of a value dropped in async code), closures and fn items count where they are
    /// called, and so do `fn` pointers made in the same body and closures a helper returns. A
    /// call through `dyn Trait` (a `Box<dyn Fn>` callback kept in a struct among them) runs the
    /// implementations of the types the crate turns into that trait object, and of those its
    /// dependencies do (from their summaries); a closure another function returns and this one
    /// coerces to `dyn Fn` is missed. A dependency's function runs a closure or fn item given
    /// to it when its summary says so: it calls it, in its body, in a closure there or in a
    /// function it hands it to (a generic function that only keeps it, with `Box::new` or
    /// `Vec::push`, does not). The standard library has no summary: its functions run what a
    /// bound lets them call (`F: FnMut()`), and `Box::new`, `Arc::new`, `Vec::push` keep it. A
    /// generic async fn of this crate that calls a closure, a fn item or a trait method on its
    /// type parameter, or drops a value of it, is reported at the call that gives it a blocking
    /// one (`get_or_create(read_file).await`). A call of a struct's `fn` pointer
    /// field runs the functions this crate's struct literals put there
    /// (`Hooks { on_save: append }`). Not followed yet: `fn` pointers assigned to a field
    /// later, stored by a dependency or returned by another function, closures a generic
    /// function of a dependency hands on to another, and trait methods on generic types whose
    /// concrete type the async code does not know. A value moved anywhere in a body counts as
    /// dropped where it went. Functions of other crates are known through the catalogue
    /// (`catalogue.blocking` adds your own) and their summaries; one-time
    /// initialisation (`once_cell`'s `Lazy`) is taken as non-blocking. A closure written in
    /// async code is taken to run there when the code calls it or hands it to a function,
    /// unless that is a boundary; a `Send + 'static` callback that is stored and later called
    /// on the executor is missed.
    /// A send on a `crossbeam_channel`, `flume` or `kanal` channel (or `async_channel`'s
    /// `send_blocking`) waits only while a bounded channel is full, so it is reported only where
    /// the code shows the channel was made bounded: in the same body (through clones and
    /// destructuring) or in the struct literals that fill the field it is sent on. A channel
    /// handed in as a parameter, or made by another function, is taken as unbounded. Taking a
    /// lock (`std`'s, `parking_lot`'s, any `lock_api` lock) is not blocking here: holding it
    /// across an `.await` is `lock_across_await`'s finding. Reads of `/proc` (`num_cpus`), the
    /// OS's randomness (`getrandom`), the cached time-zone data of `chrono::Local` and of
    /// jiff's database, and command-line parsing (`clap`, `structopt`, which touch the
    /// terminal only to print a usage error before exiting) are taken as non-blocking, and
    /// so is a file-system call on a literal path (or a constant one) under `/proc`, `/sys` or
    /// `/dev/fd`, or of a device that answers at once (`/dev/tty`, `/dev/null`, `/dev/urandom`),
    /// a timed wait given a zero duration
    /// (`rx.recv_timeout(Duration::ZERO)`, `crossterm::event::poll(Duration::ZERO)`), and
    /// `crossterm::event::read()` in the body of an `if`/`while` on `event::poll(..)` (or after
    /// it in a `&&` chain). Writes to the standard output and
    /// error are `terminal_output_in_async`'s, allowed by default; when a call reaches several
    /// blocking APIs, the one that waits most surely explains it (a sleep or a network wait over
    /// a file open, anything over terminal output).
    /// A runtime's main task (the program's `async fn main`, an async block that sync code
    /// hands to `block_on`, or an async fn only `block_on` runs, a library's public one too when
    /// the build's crates only run it so) runs alone at its start,
    /// before its first `.await` and its first call that needs the runtime (a spawn, a timer, an
    /// I/O type), and at its end, where no `.await` can follow: a blocking call there (reading
    /// the configuration, writing a report on the way out) delays nothing, and is
    /// `blocking_in_main_task`'s, allowed by default. So is all of a main task that is the only
    /// task of its runtime (nothing it runs spawns one: a one-shot command-line tool), with the
    /// async fns it awaits where it calls them. Otherwise an async fn the main task awaits is
    /// reported as any async fn's.
    /// Findings in test code are reported by `blocking_in_async_in_tests` instead. The rewrite of
    /// `std::fs::read_dir` is only a suggestion: tokio's `ReadDir` is iterated with
    /// `next_entry().await`. Rewrites need tokio as a direct dependency with the feature of the
    /// counterpart (`fs`, `process`, `time`); without it there is help only.
    ///
    /// ### Example
    /// ```no_run
    /// fn load_settings() -> String {
    ///     std::fs::read_to_string("settings.toml").unwrap_or_default()
    /// }
    ///
    /// async fn handler() {
    ///     std::thread::sleep(std::time::Duration::from_millis(100));
    ///     let settings = load_settings();
    /// }
    /// ```
    /// Use instead:
    /// ```no_run
    /// async fn handler() {
    ///     tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    ///     let settings = tokio::task::spawn_blocking(load_settings).await;
    /// }
    /// ```
    ///
    /// ### Configuration
    /// - `lints.blocking_in_async` (default: `"warn"`): the lint's level.
    /// - `catalogue.blocking` (default: `[]`): more functions that block, as
    ///   `{ path = "crate::module::function", category = "network", hint = "..." }`; a trait
    ///   method can be limited to one receiver type with `self_type = "crate::module::Type"`.
    /// - `catalogue.ignore` (default: `[]`): built-in catalogue paths to drop.
    /// - `catalogue.boundaries` (default: `[]`): more functions whose closure arguments run on
    ///   another thread, such as your own wrapper around `spawn_blocking`.
    /// - `catalogue.poll_methods` (default: `[]`): more trait methods whose implementations run
    ///   on the executor, by path (`"my_crate::Transport::poll_frame"`).
    pub BLOCKING_IN_ASYNC,
    Warn,
    "blocking call reachable from async code"
}

declare_lint! {
    /// ### What it does
    /// The same findings as `blocking_in_async`, in test code: `#[test]` and `#[tokio::test]`
    /// functions, `#[cfg(test)]` modules and integration tests under `tests/`.
    ///
    /// ### Why is this bad?
    /// Tests run on async runtimes too, often the current-thread one, where a blocking call
    /// stalls every task the test spawned: tests get slow, and tests of channels or timeouts
    /// deadlock or pass for the wrong reason. It is a lint of its own so that its level can
    /// differ from production code's (for example `allow` while a suite is migrated).
    ///
    /// ### Known problems
    /// As for `blocking_in_async`. `#[test]` functions are only recognised in builds with
    /// `--tests` (`cargo async-lint --all-targets`).
    ///
    /// ### Example
    /// ```no_run
    /// #[tokio::test]
    /// async fn times_out() {
    ///     std::thread::sleep(std::time::Duration::from_secs(1));
    /// }
    /// ```
    /// Use instead:
    /// ```no_run
    /// #[tokio::test]
    /// async fn times_out() {
    ///     tokio::time::sleep(std::time::Duration::from_secs(1)).await;
    /// }
    /// ```
    ///
    /// ### Configuration
    /// - `lints.blocking_in_async_in_tests` (default: `"warn"`): the lint's level.
    /// - The `catalogue` keys of `blocking_in_async` apply here too.
    pub BLOCKING_IN_ASYNC_IN_TESTS,
    Warn,
    "blocking call reachable from async test code"
}

/// Reports `call`, which reaches a blocking API as `reach` shows (the pass leaves terminal
/// output and the main task's quiet stretches to their lints).
pub fn check_call<'tcx>(cx: &LateContext<'tcx>, call: &AsyncCall<'_, 'tcx>, reach: &Reach<'_>, has_tokio_time: bool) {
    let lint = if is_in_test(cx.tcx, call.expr.hir_id) {
        BLOCKING_IN_ASYNC_IN_TESTS
    } else {
        BLOCKING_IN_ASYNC
    };
    report(cx, lint, call, reach, has_tokio_time);
}

/// Reports a value dropped in async code whose `Drop` (or that of a value it owns) blocks.
pub fn check_drop<'tcx>(cx: &LateContext<'tcx>, drop: &AsyncDrop<'_, 'tcx>) {
    let (engine, dropped, context) = (drop.engine, &drop.site, drop.context);
    let Some((component, Reach::Through { witness, .. })) = engine.drop_reach(dropped.ty, Effect::Blocks) else {
        return;
    };
    if witness.entry.category == Category::TerminalOutput {
        return;
    }
    let lint = if is_in_test(cx.tcx, dropped.hir_id) {
        BLOCKING_IN_ASYNC_IN_TESTS
    } else {
        BLOCKING_IN_ASYNC
    };
    emit_lint(
        cx,
        lint,
        dropped.hir_id,
        dropped.span,
        format!("dropping `{component}` blocks the async executor"),
        |diag| {
            diag.span_label(dropped.span, drop_label(dropped, component, context));
            diag.span_note(dropped.created, "the value is created here");
            explain_chain(cx, diag, &witness);
            let name = dropped.name.map_or_else(|| "value".to_owned(), |name| name.to_string());
            diag.help(if engine.uses_tokio {
                format!(
                    "drop it where blocking is fine (`tokio::task::spawn_blocking(move || drop({name}))`), or give \
                     `{component}` a way to shut down that does not block"
                )
            } else {
                format!("drop it on a thread where blocking is fine, or give `{component}` a way to shut down that does not block")
            });
            if std::ptr::eq(lint, BLOCKING_IN_ASYNC_IN_TESTS) {
                diag.note("this is test code: `blocking_in_async_in_tests` sets its level apart");
            }
        },
    );
}

fn report<'tcx>(
    cx: &LateContext<'tcx>,
    lint: &'static Lint,
    call: &AsyncCall<'_, 'tcx>,
    reach: &Reach<'_>,
    has_tokio_time: bool,
) {
    let (expr, context) = (call.expr, call.context);
    let name = reach.callee_name(cx.tcx);
    let entry = reach.entry();
    let what = if call.implicit {
        "blocking implicit call in"
    } else if matches!(expr.kind, ExprKind::Path(_)) {
        "blocking function called from"
    } else {
        "blocking call in"
    };
    emit_lint(
        cx,
        lint,
        expr.hir_id,
        call.span,
        format!("`{name}` blocks the async executor"),
        |diag| {
            let effect = match reach {
                Reach::Direct(entry) => format!(": it {}", entry.category.description()),
                Reach::Through { .. } => String::new(),
            };
            diag.span_label(call.span, format!("{what} {}{effect}", context.description()));
            if let Some((_, made)) = call.engine.bounded_channel_made_at(call.callee, expr.hir_id) {
                diag.span_note(made, "the channel is made bounded here: a send waits while it is full");
            }
            match reach {
                Reach::Direct(entry) => {
                    if let Some((replacement, applicability)) =
                        sleep_rewrite(cx, call.engine, expr, entry, context, has_tokio_time)
                    {
                        diag.span_suggestion(
                            expr.span,
                            "use the async timer and await it",
                            replacement,
                            applicability,
                        );
                    } else if let Some(rewrite) = async_counterpart(cx, call, entry) {
                        diag.multipart_suggestion(rewrite.message, rewrite.parts, rewrite.applicability);
                    } else if context.kind == AsyncContext::Poll {
                        diag.help(POLL_HELP);
                    } else {
                        diag.help(entry.hint(call.engine.uses_tokio));
                    }
                }
                Reach::Through { witness, function } => {
                    explain_chain(cx, diag, witness);
                    // A generic async fn running what this code gives it: that is what to fix.
                    let given = witness.hops.first().filter(|_| cx.tcx.asyncness(*function).is_async());
                    match offload(cx, call, *function) {
                        _ if let Some(dropped) = given.and_then(|given| given.dropped.as_ref()) => {
                            diag.help(format!(
                                "`{name}` drops the `{dropped}` this call gives it, in its future: give `{dropped}` a \
                                 way to shut down that does not block, or keep the value and lend `{name}` a reference"
                            ));
                        }
                        _ if let Some(given) = given => {
                            diag.help(format!(
                                "`{}` is what this call has `{name}` run: make it non-blocking, or move its \
                                 blocking work {}",
                                given.callee,
                                blocking_pool(call.engine.uses_tokio)
                            ));
                        }
                        Some(rewrite) => {
                            diag.multipart_suggestion(rewrite.message, rewrite.parts, rewrite.applicability);
                        }
                        None if context.kind == AsyncContext::Poll => {
                            diag.help(POLL_HELP);
                        }
                        None if call.implicit => {
                            diag.help(format!(
                                "`{name}` runs each time the value is used this way: do its blocking work ahead of \
                                 time, or move this code {}",
                                blocking_pool(call.engine.uses_tokio)
                            ));
                        }
                        None if !can_be_made_async(cx.tcx, *function) => {
                            diag.help(entry.hint_offload(&name, call.engine.uses_tokio));
                        }
                        None => {
                            diag.help(entry.hint_through(&name, call.engine.uses_tokio));
                        }
                    }
                }
            }
            if std::ptr::eq(lint, BLOCKING_IN_ASYNC_IN_TESTS) {
                diag.note("this is test code: `blocking_in_async_in_tests` sets its level apart");
            }
        },
    );
}

/// Whether the user can make `function` async: a function (not a closure) of this crate that no
/// trait fixes the signature of (a dependency's function, or a `Deref`/`Drop`/`Read` impl's
/// method, cannot be).
fn can_be_made_async(tcx: rustc_middle::ty::TyCtxt<'_>, function: DefId) -> bool {
    function.is_local()
        && !tcx.is_closure_like(function)
        && tcx
            .impl_of_assoc(function)
            .is_none_or(|imp| tcx.impl_opt_trait_ref(imp).is_none())
}

/// Help for a poll method, which cannot `.await`.
const POLL_HELP: &str = "a poll method must return at once: keep the future of an async counterpart (or of \
                         `tokio::task::spawn_blocking`) in the type, and poll that";

/// `std::thread::sleep(d)` → `::tokio::time::sleep(d).await`, offered when the crate uses tokio
/// with its timer and the call is written in the async body itself (not in a closure, where
/// `.await` cannot go, nor produced by a macro).
///
/// Machine-applicable only where it surely compiles: the call is a whole statement, and no local
/// of the async body has a type that is not `Send` (a new `.await` could keep it in the future,
/// which would then no longer be `Send`, and `tokio::spawn` of it would stop compiling).
fn sleep_rewrite<'tcx>(
    cx: &LateContext<'tcx>,
    engine: &crate::engine::Engine<'tcx>,
    expr: &Expr<'_>,
    entry: &Entry,
    context: ContextInfo,
    has_tokio_time: bool,
) -> Option<(String, Applicability)> {
    if entry.category != Category::Sleep || !has_tokio_time || !context.can_await() || expr.span.from_expansion() {
        return None;
    }
    let ExprKind::Call(_, [duration]) = expr.kind else {
        return None;
    };
    let mut applicability = Applicability::MachineApplicable;
    let (duration, _) = snippet_with_context(cx, duration.span, expr.span.ctxt(), "..", &mut applicability);
    let is_statement = matches!(
        cx.tcx.parent_hir_node(expr.hir_id),
        Node::Stmt(stmt) if matches!(stmt.kind, StmtKind::Semi(_))
    );
    if !is_statement || body_has_non_send_local(cx, engine, expr.span) {
        applicability = Applicability::MaybeIncorrect;
    }
    Some((format!("::tokio::time::sleep({duration}).await"), applicability))
}

/// A rewrite of a call, for `--fix` and the editor's quick fixes.
struct Rewrite {
    message: String,
    parts: Vec<(Span, String)>,
    applicability: Applicability,
}

/// A direct call of a blocking function with an async counterpart in tokio, written in the
/// async body itself, in a crate that can name tokio's: `std::fs::read_to_string(path)` becomes
/// `::tokio::fs::read_to_string(path).await`, and `Command::new(..)..output()` builds tokio's
/// `Command` and awaits it.
///
/// Machine-applicable only where it surely compiles as before: the two take the same bounds and
/// return the same type (the catalogue says which), every value the call holds across the new
/// `.await` is `Send`, and no local of the body is not `Send` (the future must stay `Send`).
fn async_counterpart<'tcx>(cx: &LateContext<'tcx>, call: &AsyncCall<'_, 'tcx>, entry: &Entry) -> Option<Rewrite> {
    let expr = call.expr;
    if !call.context.can_await() || expr.span.from_expansion() || cx.sess().opts.externs.get("tokio").is_none() {
        return None;
    }
    let resolves = |path: &'static str| !call.engine.resolve(path).is_empty();
    let send = cx.tcx.get_diagnostic_item(sym::Send)?;
    let is_send = |expr: &Expr<'_>| implements_trait(cx, cx.typeck_results().expr_ty(expr), send, &[]);
    let ctxt = expr.span.ctxt();
    let (message, parts, same_types, held) = match (expr.kind, entry.path.as_ref()) {
        (ExprKind::Call(func, args), path) => {
            let &(_, async_path, same_types) = ASYNC_COUNTERPARTS.iter().find(|(blocking, ..)| *blocking == path)?;
            // Without the `fs` feature tokio has no such function.
            if !resolves(async_path) {
                return None;
            }
            (
                format!("use `{async_path}` and await it"),
                vec![
                    (func.span, format!("::{async_path}")),
                    (expr.span.shrink_to_hi(), ".await".to_owned()),
                ],
                same_types,
                args.iter().collect::<Vec<_>>(),
            )
        }
        (ExprKind::MethodCall(_, receiver, [], _), paths::STD_COMMAND_OUTPUT | paths::STD_COMMAND_STATUS) => {
            if !resolves(paths::TOKIO_COMMAND_OUTPUT) {
                return None;
            }
            let (new, held) = command_built_here(cx, call.engine, receiver)?;
            (
                "build the command as `tokio::process::Command` and await it".to_owned(),
                vec![
                    (new.span, "::tokio::process::Command::new".to_owned()),
                    (expr.span.shrink_to_hi(), ".await".to_owned()),
                ],
                true,
                held,
            )
        }
        _ => return None,
    };
    if parts.iter().any(|(span, _)| span.ctxt() != ctxt) {
        return None;
    }
    let applicability =
        if same_types && held.into_iter().all(is_send) && !body_has_non_send_local(cx, call.engine, expr.span) {
            Applicability::MachineApplicable
        } else {
            Applicability::MaybeIncorrect
        };
    Some(Rewrite {
        message,
        parts,
        applicability,
    })
}

/// For the receiver of `.output()`: the `Command::new` call it is built from, in the same
/// expression and only with methods tokio's `Command` shares, and the arguments of that chain.
fn command_built_here<'tcx>(
    cx: &LateContext<'tcx>,
    engine: &crate::engine::Engine<'tcx>,
    receiver: &'tcx Expr<'tcx>,
) -> Option<(&'tcx Expr<'tcx>, Vec<&'tcx Expr<'tcx>>)> {
    let mut current = receiver;
    let mut args = Vec::new();
    loop {
        match current.kind {
            ExprKind::MethodCall(segment, inner, method_args, _)
                if SHARED_COMMAND_METHODS.contains(&segment.ident.name.as_str()) =>
            {
                args.extend(method_args);
                current = inner;
            }
            ExprKind::Call(func, new_args) => {
                let (callee, _) = crate::engine::callee_of(cx.tcx, cx.typeck_results(), current)?;
                let is_new = engine.resolve(paths::STD_COMMAND_NEW).contains(&callee);
                args.extend(new_args);
                return is_new.then_some((func, args));
            }
            _ => return None,
        }
    }
}

/// A local synchronous helper that blocks, called with arguments the closure can own: moved to
/// tokio's blocking pool, `::tokio::task::spawn_blocking(move || helper(args)).await` followed by
/// `.expect(..)`, which re-raises a panic of the helper as the direct call would. Never
/// machine-applicable: the closure must be `Send + 'static`, and the code now waits for a task.
fn offload(cx: &LateContext<'_>, call: &AsyncCall<'_, '_>, function: DefId) -> Option<Rewrite> {
    let expr = call.expr;
    if !call.context.can_await()
        || expr.span.from_expansion()
        || !function.is_local()
        || cx.sess().opts.externs.get("tokio").is_none()
        || call.engine.resolve(paths::TOKIO_SPAWN_BLOCKING).is_empty()
    {
        return None;
    }
    let ExprKind::Call(_, args) = expr.kind else {
        return None;
    };
    let typeck = cx.typeck_results();
    // The closure owns what it captures: literals, and values that borrow nothing.
    let ownable = args
        .iter()
        .all(|arg| matches!(arg.kind, ExprKind::Lit(_)) || !borrows(typeck.expr_ty(arg)));
    if !ownable || borrows(typeck.expr_ty(expr)) {
        return None;
    }
    let mut applicability = Applicability::MaybeIncorrect;
    let (call_text, _) = snippet_with_context(cx, expr.span, expr.span.ctxt(), "..", &mut applicability);
    Some(Rewrite {
        message: "run it on tokio's blocking pool".to_owned(),
        parts: vec![(
            expr.span,
            format!("::tokio::task::spawn_blocking(move || {call_text}).await.expect(\"the blocking task panicked\")"),
        )],
        applicability,
    })
}

/// Whether a parameter or local of the body being checked, which may be alive at `call`, has a
/// type that is not `Send`.
fn body_has_non_send_local<'tcx>(cx: &LateContext<'tcx>, engine: &crate::engine::Engine<'tcx>, call: Span) -> bool {
    cx.enclosing_body
        .is_none_or(|body| engine.has_non_send_binding(cx.typing_env(), body, call))
}
