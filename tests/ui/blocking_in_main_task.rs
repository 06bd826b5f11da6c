//@no-rustfix: the help here is advice, not a rewrite
// A runtime's main task runs alone at its start (before its first `.await` and its first use
// of the runtime) and at its end (after its last `.await`, outside loops that await): blocking
// there is this lint's, allowed by default and turned on here. Everything between is
// `blocking_in_async`'s, unless the main task is the only task of its runtime or runs on a thread
// of its own, the `block_on` thread of a multi-thread runtime (the cases at the end): most
// runners here are current-thread runtimes that start a metrics task on the runtime first.
#![warn(blocking_in_main_task)]
use std::time::Duration;

fn read_settings() -> String {
    std::fs::read_to_string("settings.toml").unwrap_or_default()
}

fn write_report(report: &str) {
    let _ = std::fs::write("report.txt", report);
}

async fn serve(settings: String) -> usize {
    settings.len()
}

/// Another task on the runtime: the main task no longer runs alone.
fn start_metrics(rt: &tokio::runtime::Runtime) {
    rt.spawn(async {});
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let settings = read_settings();
    //~^ blocking_in_main_task
    let served = serve(settings).await;
    // Between awaits: other tasks may be waiting.
    std::thread::sleep(Duration::from_millis(1));
    //~^ blocking_in_async
    let worker = tokio::spawn(async move { served });
    let total = worker.await.unwrap_or(0);
    // After the last `.await`: only the exit waits.
    write_report(&total.to_string());
    //~^ blocking_in_main_task
}

/// An async block that sync code runs with `block_on` is a main task too.
pub fn run_once(rt: &tokio::runtime::Runtime) -> usize {
    rt.block_on(async {
        let settings = read_settings();
        //~^ blocking_in_main_task
        let served = serve(settings).await;
        write_report("done");
        //~^ blocking_in_main_task
        served
    })
}

fn run_here<F: std::future::Future>(future: F) -> F::Output {
    tokio::runtime::Runtime::new().unwrap().block_on(future)
}

/// So is one handed to a function that runs it with `block_on`.
pub fn run_through_helper() -> usize {
    run_here(async {
        let settings = read_settings();
        //~^ blocking_in_main_task
        serve(settings).await
    })
}

/// A branch that awaits no more ends the task, whatever the other branch does.
pub fn run_either(rt: &tokio::runtime::Runtime, report: bool) -> usize {
    start_metrics(rt);
    rt.block_on(async {
        let first = serve(String::new()).await;
        if report {
            let served = serve(String::new()).await;
            write_report("report");
            //~^ blocking_in_main_task
            served + first
        } else {
            // The operand of an `.await` runs before it.
            serve(read_settings()).await
            //~^ blocking_in_async
        }
    })
}

async fn scan(settings: String) -> usize {
    let words = read_settings();
    //~^ blocking_in_main_task
    let found = serve(words).await;
    write_report("scanned");
    //~^ blocking_in_main_task
    found + settings.len()
}

/// An async fn of this crate that only `block_on` runs is a main task, through a local too.
pub fn run_scan(rt: &tokio::runtime::Runtime) -> usize {
    let future = scan(String::new());
    rt.block_on(future)
}

async fn refresh() {
    let _ = read_settings();
    //~^ blocking_in_async
}

/// Not a main task: `refresh` is awaited by async code too.
pub fn run_refresh(rt: &tokio::runtime::Runtime) {
    rt.block_on(refresh());
}

pub async fn refresh_later() {
    refresh().await;
}

/// Not a main task: other crates may call a public async fn from anywhere.
pub async fn public_scan() {
    let _ = read_settings();
    //~^ blocking_in_async
}

pub fn run_public_scan(rt: &tokio::runtime::Runtime) {
    rt.block_on(public_scan());
}

async fn scan_or_resume(resume: bool) -> usize {
    let found = serve(String::new()).await;
    if resume {
        serve(String::new()).await;
        // The task returns from here: the awaits below do not follow.
        write_report("resumed");
        //~^ blocking_in_main_task
        return found;
    }
    write_report("scanning");
    //~^ blocking_in_async
    serve(String::new()).await
}

/// A `return` ends the task: nothing after its block follows it.
pub fn run_scan_or_resume(rt: &tokio::runtime::Runtime) -> usize {
    start_metrics(rt);
    rt.block_on(scan_or_resume(true))
}

/// A loop that awaits runs its blocking calls between awaits, wherever they are written.
pub fn run_loop(rt: &tokio::runtime::Runtime, rounds: usize) {
    start_metrics(rt);
    rt.block_on(async {
        for round in 0..rounds {
            serve(String::new()).await;
            write_report(&round.to_string());
            //~^ blocking_in_async
        }
    });
}

/// Written before the loop's `.await`, a call still runs after it from the second round on.
pub fn run_loop_reading_first(rt: &tokio::runtime::Runtime, rounds: usize) {
    start_metrics(rt);
    rt.block_on(async {
        for round in 0..rounds {
            write_report(&round.to_string());
            //~^ blocking_in_async
            serve(String::new()).await;
        }
    });
}

/// Where no `.await` follows, a task spawned before runs on a worker, or not until `block_on`
/// returns: the end delays none.
pub fn spawn_and_block(rt: &tokio::runtime::Runtime) {
    rt.block_on(async {
        serve(String::new()).await;
        let _metrics = tokio::spawn(async { 1 });
        write_report("spawned");
        //~^ blocking_in_main_task
    });
}

fn start_workers() {
    tokio::spawn(async {});
    write_report("started");
}

/// A call that uses the runtime may spawn before it blocks: it ends the start.
pub fn run_workers(rt: &tokio::runtime::Runtime) {
    rt.block_on(async {
        start_workers();
        //~^ blocking_in_async
        serve(String::new()).await;
    });
}

/// Not a main task: an async fn, whoever awaits it.
pub async fn handler() {
    let _ = read_settings();
    //~^ blocking_in_async
}

/// Not a main task: a future built in async code and handed to `block_on` there is
/// `nested_runtime`'s.
pub async fn nested(rt: &tokio::runtime::Runtime) {
    rt.block_on(async {
        let _ = read_settings();
        //~^ blocking_in_async
    });
    //~^^^^ nested_runtime
}

/// An async fn that a main task awaits as the whole of itself (nothing awaited before it or
/// after it) is the main task: its start and end run alone.
async fn whole_program() -> usize {
    let settings = read_settings();
    //~^ blocking_in_main_task
    let served = serve(settings).await;
    write_report("done");
    //~^ blocking_in_main_task
    served
}

pub fn runs_the_whole_program() -> usize {
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async { whole_program().await })
}

/// Not a main task: the main task awaits it after it has given the thread back once.
async fn awaited_midway() -> usize {
    let settings = read_settings();
    //~^ blocking_in_async
    let extra = Some("extra.toml").map_or(0, |path| std::fs::read(path).map_or(0, |bytes| bytes.len()));
    //~^ blocking_in_async
    serve(settings).await + extra
}

pub fn runs_it_midway() -> usize {
    let rt = tokio::runtime::Builder::new_current_thread().build().unwrap();
    start_metrics(&rt);
    rt.block_on(async {
        tokio::task::yield_now().await;
        awaited_midway().await
    })
}

/// Not a main task: the main task awaits more after it.
async fn awaited_first() -> usize {
    let settings = read_settings();
    //~^ blocking_in_async
    serve(settings).await
}

pub fn awaits_more_after_it() -> usize {
    let rt = tokio::runtime::Builder::new_current_thread().build().unwrap();
    start_metrics(&rt);
    rt.block_on(async {
        let first = awaited_first().await;
        tokio::task::yield_now().await;
        first
    })
}

/// A main task that spawns nothing (nor does the code that runs it) is the only task of its
/// runtime: blocking anywhere in it, and in the async fns it awaits where it calls them, delays
/// no other task.
async fn lone_step() -> usize {
    let settings = read_settings();
    //~^ blocking_in_main_task
    serve(settings).await
}

/// And so does an async block they await, here chosen by a `match`.
async fn lone_chosen_step(mode: u8) -> usize {
    tokio::task::yield_now().await;
    let step = match mode {
        0 => Box::pin(async {
            write_report("zero");
            //~^ blocking_in_main_task
            0_usize
        }) as std::pin::Pin<Box<dyn std::future::Future<Output = usize>>>,
        _ => Box::pin(async { 1_usize }),
    };
    step.await
}

pub fn runs_alone() -> usize {
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let first = serve(String::new()).await;
        write_report("midway");
        //~^ blocking_in_main_task
        let second = lone_step().await + lone_chosen_step(0).await;
        serve(String::new()).await + first + second
    })
}

/// Polled beside another future (`join!`, `select!`, `timeout`), an async fn does not run alone:
/// while it blocks, the other cannot run.
async fn joined_step() -> usize {
    let settings = read_settings();
    //~^ blocking_in_async
    serve(settings).await
}

pub fn runs_joined() -> usize {
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let (first, second) = tokio::join!(joined_step(), serve(String::new()));
        first + second
    })
}

/// A spawn anywhere the main task goes (here in a sync helper of an async fn it awaits) gives
/// its runtime another task.
async fn spawns_deep_inside() -> usize {
    start_workers();
    //~^ blocking_in_async
    serve(String::new()).await
}

pub fn runs_with_a_spawn_inside() -> usize {
    let rt = tokio::runtime::Builder::new_current_thread().build().unwrap();
    rt.block_on(async {
        let first = serve(String::new()).await;
        write_report("midway");
        //~^ blocking_in_async
        first + spawns_deep_inside().await
    })
}

/// The main task of a multi-thread runtime runs on the thread that called `block_on`, and the
/// tasks it spawns run on the workers: blocking anywhere in it delays only itself.
pub fn runs_on_its_own_thread() -> usize {
    let rt = tokio::runtime::Builder::new_multi_thread().build().unwrap();
    rt.block_on(async {
        let metrics = tokio::spawn(async {});
        let _ = metrics.await;
        write_report("midway");
        //~^ blocking_in_main_task
        serve(String::new()).await
    })
}

/// So does an async fn that only such tasks await where they call it, and one that such a
/// runtime's `block_on` runs itself; the runtime unwrapped in `if let` or by `?`.
async fn own_thread_step() -> usize {
    let settings = read_settings();
    //~^ blocking_in_main_task
    serve(settings).await
}

async fn own_thread_program() -> usize {
    tokio::spawn(async {});
    let first = serve(String::new()).await;
    write_report("midway");
    //~^ blocking_in_main_task
    first + own_thread_step().await
}

pub fn runs_a_program_on_its_own_thread() -> usize {
    if let Ok(rt) = tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        rt.block_on(own_thread_program())
    } else {
        0
    }
}

pub fn runs_a_step_on_its_own_thread() -> std::io::Result<usize> {
    let rt = tokio::runtime::Runtime::new()?;
    Ok(rt.block_on(async {
        tokio::spawn(async {});
        tokio::task::yield_now().await;
        own_thread_step().await + own_thread_closure(Some("settings.toml")).await
    }))
}

/// A closure such a task runs in place is part of it.
async fn own_thread_closure(path: Option<&str>) -> usize {
    tokio::task::yield_now().await;
    let settings = path.map_or_else(String::new, |path| std::fs::read_to_string(path).unwrap_or_default());
    //~^ blocking_in_main_task
    serve(settings).await
}

/// Not on a thread of its own: a `LocalSet` runs its local tasks on the calling thread too.
pub fn runs_local_tasks_beside() -> usize {
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    let local = tokio::task::LocalSet::new();
    local.block_on(&rt, async {
        tokio::task::spawn_local(async {});
        let first = serve(String::new()).await;
        write_report("midway");
        //~^ blocking_in_async
        first + serve(String::new()).await
    })
}

/// Not alone on its thread: a future the main task keeps and polls again (`&mut server` in
/// `select!`) waits while it blocks.
async fn beside_a_kept_future() -> usize {
    let server = serve(String::new());
    tokio::pin!(server);
    tokio::select! {
        served = &mut server => served,
        () = tokio::task::yield_now() => {
            write_report("midway");
            //~^ blocking_in_async
            server.await
        }
    }
}

pub fn runs_beside_a_kept_future() -> usize {
    let rt = tokio::runtime::Builder::new_multi_thread().build().unwrap();
    rt.block_on(beside_a_kept_future())
}

/// An async block such a task awaits runs in it, where it is awaited: through the local it is
/// kept in, `Box::pin`, a cast to a boxed `dyn Future` and the branches that choose it.
pub fn awaits_a_chosen_block_on_its_own_thread(from_file: bool) -> usize {
    let rt = tokio::runtime::Builder::new_multi_thread().build().unwrap();
    rt.block_on(async move {
        tokio::spawn(async {});
        tokio::task::yield_now().await;
        let collect = if from_file {
            let collector = Box::pin(async move {
                write_report("collected");
                //~^ blocking_in_main_task
                1_usize
            });
            collector as std::pin::Pin<Box<dyn std::future::Future<Output = usize>>>
        } else {
            Box::pin(async { 2_usize })
        };
        let first = serve(String::new()).await;
        first + collect.await
    })
}

/// Not where the block is polled beside another future (`join!`), nor where the task awaiting
/// it shares its thread with the tasks it spawned.
pub fn awaits_blocks_beside_others() -> usize {
    let rt = tokio::runtime::Builder::new_multi_thread().build().unwrap();
    let joined = rt.block_on(async {
        tokio::task::yield_now().await;
        let collect = async {
            write_report("joined");
            //~^ blocking_in_async
            1
        };
        let (first, second) = tokio::join!(collect, serve(String::new()));
        first + second
    });
    let rt = tokio::runtime::Builder::new_current_thread().build().unwrap();
    joined
        + rt.block_on(async {
            tokio::spawn(async {});
            tokio::task::yield_now().await;
            let collect = Box::pin(async {
                write_report("shared");
                //~^ blocking_in_async
                1
            });
            collect.await
        })
}

/// An async block awaited in another that the task awaits runs there too; one also polled by a
/// closure is polled beside the task's other futures.
pub fn awaits_blocks_through_blocks() -> usize {
    use std::future::Future;
    let rt = tokio::runtime::Builder::new_multi_thread().build().unwrap();
    rt.block_on(async {
        tokio::spawn(async {});
        tokio::task::yield_now().await;
        let collect = Box::pin(async {
            write_report("nested");
            //~^ blocking_in_main_task
            1_usize
        });
        let outer = async move { collect.await };
        let mut polled = Box::pin(async {
            write_report("polled");
            //~^ blocking_in_async
            1_usize
        });
        std::future::poll_fn(|cx| {
            let _ = polled.as_mut().poll(cx);
            std::task::Poll::Ready(())
        })
        .await;
        outer.await + polled.await
    })
}
