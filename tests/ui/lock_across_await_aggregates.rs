//@no-rustfix: the values here are not plain guard variables, so only help is given
// Guards the future keeps inside other values, and entered `tracing` spans.
use std::sync::Mutex;
use std::time::Duration;

async fn wait() {
    tokio::time::sleep(Duration::from_millis(1)).await;
}

struct Session<'a> {
    id: u32,
    state: std::sync::MutexGuard<'a, Vec<u8>>,
}

// ---- positives ----

async fn guard_in_a_tuple(counter: &Mutex<u64>) {
    let pair = (counter.lock().unwrap(), 1);
    //~^ lock_across_await
    wait().await;
    let _ = pair.1;
}

async fn guard_in_a_struct(state: &Mutex<Vec<u8>>) {
    let session = Session {
        //~^ lock_across_await
        id: 7,
        state: state.lock().unwrap(),
    };
    wait().await;
    let _ = (session.id, session.state.len());
}

async fn guard_in_an_array(a: &Mutex<u8>, b: &Mutex<u8>) {
    let both = [a.lock().unwrap(), b.lock().unwrap()];
    //~^ lock_across_await
    wait().await;
    drop(both);
}

async fn guard_moved_into_an_inner_block(counter: &Mutex<u64>) {
    let guard = counter.lock().unwrap();
    async move {
        //~^ lock_across_await
        wait().await;
        drop(guard);
    }
    .await;
}

async fn entered_span_across_await() {
    let span = tracing::info_span!("request");
    let _entered = span.enter();
    //~^ lock_across_await
    wait().await;
}

async fn owned_entered_span_across_await() {
    let entered = tracing::info_span!("request").entered();
    //~^ lock_across_await
    wait().await;
    drop(entered);
}

// ---- negatives ----

async fn guard_moved_out_of_its_tuple_first(counter: &Mutex<u64>) {
    let pair = (counter.lock().unwrap(), 1);
    let (guard, n) = pair;
    drop(guard);
    wait().await;
    let _ = n;
}

async fn tuple_released_before_the_await(counter: &Mutex<u64>) {
    {
        let pair = (counter.lock().unwrap(), 1);
        let _ = pair.1;
    }
    wait().await;
}

async fn inner_block_releases_before_waiting(counter: &Mutex<u64>) {
    let guard = counter.lock().unwrap();
    async move {
        drop(guard);
        wait().await;
    }
    .await;
}

async fn span_exited_before_the_await() {
    let span = tracing::info_span!("request");
    {
        let _entered = span.enter();
        tracing::info!("started");
    }
    wait().await;
}

async fn span_in_scope_only_for_sync_code() {
    let span = tracing::info_span!("request");
    let n = span.in_scope(|| 1 + 1);
    wait().await;
    let _ = n;
}

async fn instrumented() {
    use tracing::Instrument;
    wait().instrument(tracing::info_span!("request")).await;
}

// A reference to a guard is not the guard: the guard itself is what is held.
async fn reference_only(counter: &Mutex<u64>) {
    let value = {
        let guard = counter.lock().unwrap();
        let by_ref = &guard;
        **by_ref
    };
    wait().await;
    let _ = value;
}

fn main() {}
