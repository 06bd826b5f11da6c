//@no-rustfix: hoisting a scrutinee is a suggestion; the other cases get help only
use std::collections::HashMap;
use std::sync::Mutex;

async fn tick() {}

async fn used_after_the_await(counter: &Mutex<u64>) -> u64 {
    let guard = counter.lock().unwrap();
    //~^ lock_across_await
    tick().await;
    *guard
}

async fn used_in_a_closure_after_the_await(items: &Mutex<Vec<u64>>) -> Vec<u64> {
    let guard = items.lock().unwrap();
    //~^ lock_across_await
    tick().await;
    (0..2).map(|i| guard[i]).collect()
}

async fn a_borrow_of_it_lives_on(items: &Mutex<Vec<u64>>) -> u64 {
    let guard = items.lock().unwrap();
    //~^ lock_across_await
    let first = &guard[0];
    tick().await;
    *first
}

async fn temporary_in_a_match(counter: &Mutex<u64>) -> u64 {
    match counter.lock().unwrap().checked_add(1) {
        //~^ lock_across_await
        Some(next) => {
            tick().await;
            next
        }
        None => 0,
    }
}

async fn temporary_in_an_if_let(map: &Mutex<HashMap<u32, String>>) -> usize {
    if let Some(name) = map.lock().unwrap().get(&1) {
        //~^ lock_across_await
        tick().await;
        name.len()
    } else {
        0
    }
}

async fn temporary_in_a_while_let(queue: &Mutex<Vec<u64>>) {
    // Taken out before the loop, the value would be read once: help only.
    while let Some(item) = queue.lock().unwrap().pop() {
        //~^ lock_across_await
        tick().await;
        let _ = item;
    }
}

#[derive(Clone)]
enum State {
    Idle,
    Busy(Vec<u64>),
}

async fn temporary_place_that_is_not_copy(state: &Mutex<State>) -> usize {
    // A place in the guard that is not `Copy` is cloned out.
    match *state.lock().unwrap() {
        //~^ lock_across_await
        State::Idle => {
            tick().await;
            0
        }
        State::Busy(ref jobs) => jobs.len(),
    }
}
