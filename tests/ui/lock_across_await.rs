//@no-rustfix: rustc's own `let_underscore_lock` suggestion is not what this file tests
use std::cell::RefCell;
use std::sync::{Mutex, RwLock};
use std::time::Duration;

async fn wait() {
    tokio::time::sleep(Duration::from_millis(1)).await;
}

// ---- each guard family held across an await ----

async fn std_mutex(counter: &Mutex<u64>) {
    let mut guard = counter.lock().unwrap();
    //~^ lock_across_await
    *guard += 1;
    wait().await;
    *guard += 1;
}

async fn std_rwlock(table: &RwLock<Vec<u8>>) {
    let read = table.read().unwrap();
    //~^ lock_across_await
    wait().await;
    let _ = read.len();
    let mut write = table.write().unwrap();
    //~^ lock_across_await
    wait().await;
    write.push(1);
}

async fn parking_lot_guards(counter: &parking_lot::Mutex<u64>, table: &parking_lot::RwLock<u8>) {
    let guard = counter.lock();
    //~^ lock_across_await
    wait().await;
    drop(guard);
    let read = table.read();
    //~^ lock_across_await
    wait().await;
    drop(read);
}

async fn refcell_borrows(cell: &RefCell<Vec<u8>>) {
    let borrowed = cell.borrow();
    //~^ lock_across_await
    wait().await;
    let _ = borrowed.len();
    let mut borrowed_mut = cell.borrow_mut();
    //~^ lock_across_await
    wait().await;
    borrowed_mut.push(1);
}

async fn held_across_several_awaits(counter: &Mutex<u64>) {
    let guard = counter.lock().unwrap();
    //~^ lock_across_await
    wait().await;
    wait().await;
    let _ = *guard;
}

async fn scrutinee_temporary_lives_through_the_match(counter: &Mutex<u64>) {
    match *counter.lock().unwrap() {
        //~^ lock_across_await
        0 => wait().await,
        _ => {},
    }
}

// ---- silent ----

async fn dropped_explicitly_before_the_await(counter: &Mutex<u64>) {
    let mut guard = counter.lock().unwrap();
    *guard += 1;
    drop(guard);
    wait().await;
}

async fn scope_ends_before_the_await(counter: &Mutex<u64>) {
    {
        let mut guard = counter.lock().unwrap();
        *guard += 1;
    }
    wait().await;
}

fn consume(guard: std::sync::MutexGuard<'_, u64>) -> u64 {
    *guard
}

async fn moved_into_a_consuming_fn(counter: &Mutex<u64>) {
    let guard = counter.lock().unwrap();
    let _ = consume(guard);
    wait().await;
}

async fn temporary_dies_with_its_statement(counter: &Mutex<u64>) {
    *counter.lock().unwrap() += 1;
    wait().await;
}

async fn async_aware_locks(counter: &tokio::sync::Mutex<u64>, table: &tokio::sync::RwLock<u8>) {
    let mut guard = counter.lock().await;
    *guard += 1;
    wait().await;
    let read = table.read().await;
    wait().await;
    let _ = *read;
}

async fn guard_not_used_after_the_await_is_still_held(counter: &Mutex<u64>) {
    // Not silent: the guard lives to the end of its scope, whatever the last use.
    let guard = counter.lock().unwrap();
    //~^ lock_across_await
    let _ = *guard;
    wait().await;
}

async fn binding_to_underscore_moves_nothing(counter: &Mutex<u64>) {
    let guard = counter.lock().unwrap();
    //~^ lock_across_await
    let _ = guard;
    //~^ let_underscore_lock
    wait().await;
}

async fn guard_in_an_option(counter: &Mutex<u64>) {
    let maybe = counter.try_lock().ok();
    //~^ lock_across_await
    wait().await;
    drop(maybe);
}

async fn dropped_before_an_await_inside_a_macro(counter: &Mutex<u64>) {
    let mut guard = counter.lock().unwrap();
    *guard += 1;
    drop(guard);
    tokio::join!(wait(), wait());
}

async fn allowed_on_the_let(counter: &Mutex<u64>) {
    #[allow(lock_across_await)]
    let guard = counter.lock().unwrap();
    wait().await;
    drop(guard);
}

fn sync_code(counter: &Mutex<u64>) {
    let _guard = counter.lock().unwrap();
}

#[allow(lock_across_await)]
async fn allowed(counter: &Mutex<u64>) {
    let guard = counter.lock().unwrap();
    wait().await;
    drop(guard);
}

fn main() {}
