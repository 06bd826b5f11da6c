//@no-rustfix: suggestions here are not all machine-applicable
//@aux-build: pools.rs
// Closures run inline by async code are async context; closures handed to another thread
// are not.
extern crate pools;

use std::time::Duration;

fn settle() {
    std::thread::sleep(Duration::from_millis(1));
}

async fn iterator_adapters(paths: Vec<String>) {
    let _contents: Vec<_> = paths.iter().map(|path| std::fs::read(path)).collect();
    //~^ blocking_in_async
    paths.iter().for_each(|_| settle());
    //~^ blocking_in_async
}

async fn option_map(path: Option<&str>) {
    let _ = path.map(|path| std::fs::read_to_string(path));
    //~^ blocking_in_async
}

async fn closure_in_a_local_then_called() {
    let nap = || std::thread::sleep(Duration::from_millis(1));
    //~^ blocking_in_async
    nap();
}

async fn fn_item_passed_as_a_value(paths: Vec<String>) {
    let _ = paths.iter().map(std::fs::read_to_string).count();
    //~^ blocking_in_async
    let _ = paths.iter().map(|_| ()).for_each(|()| {});
}

fn sync_fn_with_an_inline_closure() {
    [1, 2].iter().for_each(|_| settle());
}

async fn chain_through_a_helper_with_an_inline_closure() {
    sync_fn_with_an_inline_closure();
    //~^ blocking_in_async
}

// ---- boundaries: code that runs on another thread ----

async fn spawn_blocking_closure() {
    let _ = tokio::task::spawn_blocking(|| std::fs::read("x")).await;
    let _ = tokio::task::spawn_blocking(move || settle()).await;
}

async fn spawn_blocking_fn_item() {
    let _ = tokio::task::spawn_blocking(settle).await;
}

async fn block_in_place() {
    tokio::task::block_in_place(|| std::thread::sleep(Duration::from_millis(1)));
}

async fn thread_spawn_and_builder() {
    let _ = std::thread::spawn(|| settle());
    let _ = std::thread::Builder::new().spawn(|| settle());
}

async fn boundary_through_a_local() {
    let job = || std::fs::read("x");
    let _ = tokio::task::spawn_blocking(job).await;
}

// Wrappers of this crate that hand their parameter to a boundary are boundaries too.
async fn asyncify<F, T>(f: F) -> T
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    tokio::task::spawn_blocking(f).await.unwrap()
}

fn run_on_a_thread<F: FnOnce() + Send + 'static>(job: F) {
    let moved = job;
    let _ = std::thread::spawn(moved);
}

fn run_here<F: FnOnce()>(job: F) {
    job()
}

async fn wrappers_are_boundaries_too() {
    let _ = asyncify(|| std::fs::read("x")).await;
    run_on_a_thread(|| settle());
}

async fn a_wrapper_that_runs_inline_is_not() {
    run_here(|| settle());
    //~^ blocking_in_async
}

// Another crate's closure parameter bound by `Send + 'static` runs elsewhere (a pool's
// `interact`, say), even though its body cannot be seen; one without those bounds is taken to run
// in place.
use pools::Pool;

async fn sendable_closures_run_elsewhere(pool: &Pool) {
    let _ = pool.interact(|| std::fs::read("x"));
    let _ = pool.with_borrowed(|| std::fs::read("x"));
    //~^ blocking_in_async
}

// A boundary's closure built in a block, or a local closure called inside one, runs there too.
async fn closure_built_in_a_block(path: String) {
    let _ = tokio::task::spawn_blocking({
        let path = path.clone();
        move || std::fs::read(path)
    })
    .await;
}

async fn local_closure_called_inside_a_boundary() {
    let job = || std::fs::read("x");
    let _ = tokio::task::spawn_blocking(move || job()).await;
}

// An async block driven by `block_on` on a blocking thread is not on the runtime's threads.
async fn async_block_inside_a_boundary() {
    let handle = tokio::runtime::Handle::current();
    let _ = tokio::task::spawn_blocking(move || handle.block_on(async { std::fs::read("x") })).await;
}

// A closure returned to the caller runs where the caller calls it, not here.
async fn returns_a_closure() -> impl Fn() {
    || std::thread::sleep(Duration::from_millis(1))
}

fn make_sleeper() -> impl Fn() {
    move || settle()
}

async fn builds_a_closure_without_calling_it() {
    let _sleeper = make_sleeper();
}

// A local function's body decides, whatever its bounds say.
fn retry<F: Fn() + Send + 'static>(job: F) {
    job();
    job();
}

async fn local_function_with_sendable_bounds_that_runs_inline() {
    retry(|| settle());
    //~^ blocking_in_async
}

// A local function that stores its `Send + 'static` closure for a pool of its own runs it
// elsewhere (tokio's internal `spawn_blocking` is one).
static QUEUE: std::sync::Mutex<Vec<Box<dyn FnOnce() + Send>>> = std::sync::Mutex::new(Vec::new());

fn enqueue<F: FnOnce() + Send + 'static>(job: F) {
    if let Ok(mut queue) = QUEUE.lock() {
        queue.push(Box::new(job));
    }
}

async fn local_pool_that_stores_the_closure() {
    enqueue(|| settle());
}

fn sync_fn_that_uses_a_scope() {
    std::thread::scope(|scope| {
        scope.spawn(|| settle());
    });
}

async fn scoped_threads_block_until_joined() {
    // The spawned closure runs on its thread, but `scope` waits for it.
    sync_fn_that_uses_a_scope();
    //~^ blocking_in_async
}

fn main() {}
