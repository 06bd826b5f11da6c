use crate::AsyncCall;
use crate::diag::{emit_lint, explain_chain};
use crate::engine::{MainTaskStretch, Reach};
use rustc_lint::{LateContext, declare_lint};

declare_lint! {
    /// ### What it does
    /// Finds blocking calls in a runtime's main task where nothing else needs its thread: at
    /// its start, at its end, and anywhere in it when it is the only task of its runtime or
    /// when it runs on a thread of its own.
    ///
    /// The main task is the future of the program's `async fn main` (`#[tokio::main]`,
    /// `#[async_std::main]`, `#[actix_web::main]`), an async block that sync code runs with
    /// `block_on`, or an async fn that only such calls run (`rt.block_on(run(config))`), or
    /// that a main task awaits as the whole of itself (`async fn main() { run(config).await }`,
    /// no `.await` before it or after it). For a library's public async fn, the crates of the
    /// build that use it decide: when they only run it so, as an application's binary runs its
    /// library's `run`, the library's findings in its start and end are not shown. Its start
    /// lasts until its first `.await` and its first call that needs the runtime (spawning a
    /// task, a timer, an I/O type): until then it is the only task the runtime has. A call in a
    /// loop that awaits is not in it, wherever it is written: it runs again after an `.await`.
    /// Its end is where no `.await` can follow (nothing awaits later in the blocks around, nor
    /// in a loop around): the task never gives its thread back, so on a current-thread runtime
    /// no other task runs before `block_on` returns anyway, and on a multi-thread one the
    /// others run on the workers.
    ///
    /// A main task is the only task of its runtime when nothing it runs (what it calls and
    /// awaits, through every crate: the catalogue's `task-spawn` and `handle-spawn` APIs,
    /// `tokio::spawn`, `JoinSet::spawn`, `Handle::spawn`, `LocalSet::spawn_local`), nor the
    /// sync code that hands it to `block_on`, spawns a task: a one-shot command-line tool.
    /// Then all of it runs alone, and so do the async fns of the crate it awaits where it
    /// calls them (`run(args).await`), and those they await so in turn, and the async blocks
    /// they await (`collect.await`, the block kept in a local, boxed, or chosen by an `if` or
    /// a `match` on the way); not one polled beside another future (`join!`, `select!`,
    /// `timeout`), which waits while it blocks. A
    /// library's async fns reached only through its public async fns awaited so are judged by
    /// the crates of the build: their findings are not shown when those crates await them only
    /// in main tasks that run alone (a command-line binary running its library's commands).
    ///
    /// The main task of a multi-thread tokio runtime whose construction is in sight
    /// (`#[tokio::main]`'s default flavour, `Runtime::new()`, `Builder::new_multi_thread()`,
    /// unwrapped by `?`, `unwrap` or `if let Ok(rt)`) runs on the thread that called
    /// `block_on`, and the tasks it spawns run on the workers: blocking anywhere in it delays
    /// only itself, and so does blocking in the async fns it awaits where it calls them, in the
    /// async blocks it awaits and in the closures it runs in place. Not
    /// when a `LocalSet` runs it (its local tasks share the thread), nor when it keeps a future
    /// and polls it again (`tokio::pin!(server)` then `&mut server` in `select!`, or
    /// `server.as_mut()`): that future waits while it blocks. A library's public async fn
    /// that the build's binaries only hand to such a runtime's `block_on`
    /// (`Runtime::new()?.block_on(app::run(opts))`) is judged the same way.
    ///
    /// It is allowed by default: `blocking_in_async` leaves these calls to it, and reports the
    /// rest of the main task as any async code.
    ///
    /// ### Why is this bad?
    /// Usually it is not: reading the configuration before serving, or writing a report after
    /// the run, delays nothing else. It is for programs that want every blocking call off the
    /// runtime, such as ones whose start-up must be quick or whose main task may later grow
    /// concurrent work, which turn it on.
    ///
    /// ### Known problems
    /// As for `blocking_in_async`. Only the main task's own body is divided into stretches: an
    /// async fn it awaits in its middle is reported as any async fn, even one that only the
    /// main task runs, unless the task runs alone. A task spawned anywhere the main task goes
    /// makes all of it not alone, even a spawn after the blocking call; a task spawned by
    /// another thread onto the runtime through a handle it was given, or by a dependency
    /// through a trait object or a function pointer, is not seen. Futures the main task of a
    /// multi-thread runtime drives side by side through a collection (`FuturesUnordered`, a
    /// stream) or keeps in a field rather than a local are not seen either: blocking there is
    /// reported here, not by `blocking_in_async`. A runtime whose flavour is not in sight (a
    /// parameter, a field) is taken as current-thread. An async block that reaches its
    /// `.await` through anything but a local, a box, a cast or a branch (a struct, a
    /// function's return value, a `Vec`) is reported as any async block. A library's public
    /// async fn is judged by the crates of the build: one that only the library is checked
    /// for (`--lib`), or that crates outside the workspace may call, keeps its findings. Those findings are dropped, not reported here, when the build
    /// decides; they are shown after the rest of the build's messages, once it has.
    ///
    /// ### Example
    /// ```no_run
    /// #[tokio::main]
    /// async fn main() {
    ///     let settings = std::fs::read_to_string("settings.toml").unwrap_or_default();
    ///     serve(settings).await;
    /// }
    /// # async fn serve(_: String) {}
    /// ```
    /// Use instead:
    /// ```no_run
    /// #[tokio::main]
    /// async fn main() {
    ///     let settings = tokio::fs::read_to_string("settings.toml").await.unwrap_or_default();
    ///     serve(settings).await;
    /// }
    /// # async fn serve(_: String) {}
    /// ```
    ///
    /// ### Configuration
    /// - `lints.blocking_in_main_task` (default: `"allow"`): the lint's level.
    /// - The `catalogue` keys of `blocking_in_async` apply here too; `catalogue.blocking`
    ///   entries with the category `task-spawn` (needs the current runtime) or `handle-spawn`
    ///   add APIs that spawn a task, so that a main task reaching them does not run alone.
    pub BLOCKING_IN_MAIN_TASK,
    Allow,
    "blocking call in a runtime's main task while it runs alone"
}

/// Reports `call`, which blocks as `reach` shows in `stretch` of a runtime's main task, where
/// nothing else needs the thread.
pub fn check_call<'tcx>(
    cx: &LateContext<'tcx>,
    call: &AsyncCall<'_, 'tcx>,
    reach: &Reach<'_>,
    stretch: MainTaskStretch,
) {
    let name = reach.callee_name(cx.tcx);
    let (label, help) = match stretch {
        MainTaskStretch::Start => (
            "blocking call at the start of the main task, before any other task runs",
            "nothing else runs yet, so this delays only the start; to keep the runtime free of blocking calls, do it \
             before the runtime starts",
        ),
        MainTaskStretch::End => (
            "blocking call at the end of the main task, where no `.await` follows",
            "the work the main task waited for is done, so this delays only the exit; to keep the runtime free of \
             blocking calls, do it after `block_on` returns",
        ),
        MainTaskStretch::Alone => (
            "blocking call in the main task, the only task of its runtime",
            "no task is spawned, so this delays only the main task itself; should it spawn tasks or await futures \
             side by side one day, move the call into `tokio::task::spawn_blocking`",
        ),
        MainTaskStretch::OwnThread => (
            "blocking call in the main task of a multi-thread runtime, which has a thread of its own",
            "the spawned tasks run on the worker threads, so this delays only the main task itself; should it await \
             futures side by side one day, move the call into `tokio::task::spawn_blocking`",
        ),
    };
    emit_lint(
        cx,
        BLOCKING_IN_MAIN_TASK,
        call.expr.hir_id,
        call.span,
        format!("`{name}` blocks the main task"),
        |diag| {
            diag.span_label(call.span, label);
            match reach {
                Reach::Direct(entry) => {
                    diag.note(format!("`{name}` {}", entry.category.description()));
                }
                Reach::Through { witness, .. } => explain_chain(cx, diag, witness),
            }
            diag.help(help);
        },
    );
}
