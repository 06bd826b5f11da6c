//@no-rustfix: no automatic rewrites
//@aux-build: single_threaded.rs
#![crate_type = "lib"]
extern crate single_threaded;
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::sync::Mutex;

async fn wait() {}

// ---- one culprit of each kind ----

pub async fn holds_an_rc() {
    //~^ non_send_future
    let shared = Rc::new(1);
    wait().await;
    let _ = *shared;
}

// A guard held across the await is `lock_across_await`'s finding: one problem, one diagnostic.
pub async fn holds_a_lock_guard(counter: &Mutex<u64>) {
    let guard = counter.lock().unwrap();
    //~^ lock_across_await
    wait().await;
    let _ = *guard;
}

// With another culprit, this lint reports that one and mentions the guard.
pub async fn holds_a_lock_guard_and_an_rc(counter: &Mutex<u64>) {
    //~^ non_send_future
    let shared = Rc::new(1);
    let guard = counter.lock().unwrap();
    //~^ lock_across_await
    wait().await;
    let _ = (*guard, *shared);
}

// Where `lock_across_await` is allowed, the guard is this lint's to report.
#[allow(lock_across_await)]
pub async fn holds_a_lock_guard_unreported(counter: &Mutex<u64>) {
    //~^ non_send_future
    let guard = counter.lock().unwrap();
    wait().await;
    let _ = *guard;
}

pub async fn holds_a_reference_to_a_refcell(cell: &RefCell<u8>) {
    //~^ non_send_future
    wait().await;
    let _ = cell.borrow();
}

pub async fn holds_a_raw_pointer() {
    //~^ non_send_future
    let pointer: *const u8 = std::ptr::null();
    wait().await;
    let _ = pointer;
}

pub async fn holds_a_trait_object(job: Box<dyn Fn()>) {
    //~^ non_send_future
    wait().await;
    job();
}

pub struct Session {
    pub hits: Cell<u32>,
}

pub async fn holds_a_struct_with_a_cell(session: &Session) {
    //~^ non_send_future
    wait().await;
    session.hits.set(1);
}

// ---- several culprits in one future ----

pub async fn several_culprits(cell: &Cell<u8>) {
    //~^ non_send_future
    let shared = Rc::new(1);
    wait().await;
    cell.set(*shared);
}

// ---- nested: a future that awaits a non-`Send` future ----

async fn private_and_not_send() {
    let shared = Rc::new(1);
    wait().await;
    let _ = shared;
}

pub async fn awaits_a_non_send_future() {
    //~^ non_send_future
    private_and_not_send().await;
}

// ---- `impl Future` built by an async block ----

pub fn returns_an_async_block() -> impl std::future::Future<Output = ()> {
    //~^ non_send_future
    async {
        let shared = Rc::new(1);
        wait().await;
        let _ = shared;
    }
}

// The compiler keeps a borrowed value's place in the future even after `drop`.
pub async fn rc_borrowed_then_dropped() {
    //~^ non_send_future
    let shared = Rc::new(1);
    let _ = shared.as_ref();
    drop(shared);
    wait().await;
}

// Another crate's type that is single-threaded by design: the advice is about the runtime.
pub async fn holds_a_single_threaded_request(request: single_threaded::Request) {
    //~^ non_send_future
    wait().await;
    drop(request);
}

// ---- silent ----

// Hidden from the docs: not public API.
#[doc(hidden)]
pub async fn hidden_helper() {
    let shared = Rc::new(1);
    wait().await;
    let _ = shared;
}

pub async fn send_future(shared: std::sync::Arc<u8>) {
    wait().await;
    let _ = shared;
}

pub async fn rc_dropped_before_the_await() {
    let shared = Rc::new(1);
    drop(shared);
    wait().await;
}

pub async fn rc_in_a_scope_that_ends_before_the_await() {
    {
        let shared = Rc::new(1);
        let _ = *shared;
    }
    wait().await;
}

// Some instantiation can be `Send`: not reported.
pub async fn generic<T>(value: T) {
    wait().await;
    drop(value);
}

async fn private_function_is_not_public_api() {
    let shared = Rc::new(1);
    wait().await;
    let _ = shared;
}

pub fn sync_function() -> Rc<u8> {
    Rc::new(1)
}

#[allow(non_send_future)]
pub async fn allowed() {
    let shared = Rc::new(1);
    wait().await;
    let _ = shared;
}
