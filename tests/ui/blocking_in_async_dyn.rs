//@no-rustfix: the help here is advice, not a rewrite
// Calls through `dyn Trait` run the implementations the crate made trait objects of.
use std::sync::Arc;

trait Storage {
    fn read(&self, key: &str) -> Vec<u8>;
}

struct FileStore;

impl Storage for FileStore {
    fn read(&self, key: &str) -> Vec<u8> {
        std::fs::read(key).unwrap_or_default()
    }
}

struct MemoryStore(Vec<u8>);

impl Storage for MemoryStore {
    fn read(&self, _key: &str) -> Vec<u8> {
        self.0.clone()
    }
}

fn open_store(on_disk: bool) -> Box<dyn Storage> {
    if on_disk {
        Box::new(FileStore)
    } else {
        Box::new(MemoryStore(Vec::new()))
    }
}

// ---- positives ----

async fn reads_through_a_trait_object(store: &dyn Storage) -> usize {
    store.read("config").len()
    //~^ blocking_in_async
}

fn load(store: &dyn Storage) -> Vec<u8> {
    store.read("state")
}

async fn reads_through_a_helper(store: Box<dyn Storage>) -> usize {
    load(&*store).len()
    //~^ blocking_in_async
}

// A callback kept as a `Box<dyn Fn>` in a struct, then called.
struct Hooks {
    on_save: Box<dyn Fn(&[u8])>,
}

fn hooks() -> Hooks {
    Hooks {
        on_save: Box::new(|data| {
            let _ = std::fs::write("saved.bin", data);
        }),
    }
}

fn save(hooks: &Hooks, data: &[u8]) {
    (hooks.on_save)(data);
}

async fn saves_through_a_stored_callback(hooks: &Hooks) {
    save(hooks, b"state");
    //~^ blocking_in_async
}

// ---- negatives ----

// A stored callback whose only closure is pure.
struct Listeners {
    on_tick: Box<dyn Fn(u64) -> u64>,
}

fn listeners() -> Listeners {
    Listeners {
        on_tick: Box::new(|tick| tick + 1),
    }
}

async fn ticks(listeners: &Listeners) -> u64 {
    (listeners.on_tick)(1)
}


// A trait whose only implementation made into a trait object is pure.
trait Clock {
    fn now(&self) -> u64;
}

struct FixedClock(u64);

impl Clock for FixedClock {
    fn now(&self) -> u64 {
        self.0
    }
}

// Implemented by a type that blocks, but never made a trait object.
struct SleepyClock;

impl Clock for SleepyClock {
    fn now(&self) -> u64 {
        std::thread::sleep(std::time::Duration::from_millis(1));
        0
    }
}

fn clock() -> Arc<dyn Clock> {
    Arc::new(FixedClock(7))
}

async fn reads_a_pure_trait_object(clock: &dyn Clock) -> u64 {
    clock.now()
}

fn main() {
    let _ = open_store(true);
    let _ = hooks();
    let _ = listeners();
    let _ = clock();
    let _ = SleepyClock.now();
}
