//@no-rustfix: the help here is advice, not a rewrite
// A channel send waits only when the channel is bounded and full: the value decides. A send on a
// channel the code shows was made bounded blocks; on one made unbounded, or whose making the
// code does not show, it is taken as non-blocking.
use crossbeam_channel::{Receiver, Sender, bounded, unbounded};

pub struct Reporter {
    updates: Sender<u32>,
}

pub struct Collector {
    results: Sender<u32>,
}

pub fn reporter() -> (Reporter, Receiver<u32>) {
    let (updates, rx) = bounded(16);
    (Reporter { updates }, rx)
}

pub fn collector() -> (Collector, Receiver<u32>) {
    let (results, rx) = unbounded();
    (Collector { results }, rx)
}

fn forward(tx: &Sender<u32>, value: u32) {
    let _ = tx.send(value);
}

pub async fn bounded_sends() {
    let (tx, _rx) = bounded::<u32>(1);
    let _ = tx.send(1);
    //~^ blocking_in_async
    let copy = tx.clone();
    let _ = copy.send(2);
    //~^ blocking_in_async
    let channel = bounded::<u32>(1);
    let _ = channel.0.send(3);
    //~^ blocking_in_async
}

pub async fn bounded_field(reporter: &Reporter) {
    let _ = reporter.updates.send(1);
    //~^ blocking_in_async
}

/// Quiet: an unbounded channel's send never waits.
pub async fn unbounded_sends(collector: &Collector) {
    let (tx, _rx) = unbounded::<u32>();
    let _ = tx.send(1);
    let _ = collector.results.send(2);
}

/// Quiet: where the channel comes from is not shown here (a parameter), nor in a helper.
pub async fn unknown_channel(tx: Sender<u32>) {
    let _ = tx.send(1);
    forward(&tx, 2);
}

/// A sync helper that makes its channel bounded and sends on it.
fn hand_over(value: u32) -> Receiver<u32> {
    let (tx, rx) = bounded(0);
    let _ = tx.send(value);
    rx
}

pub async fn through_helper() {
    let _ = hand_over(1);
    //~^ blocking_in_async
}

/// A receive waits for a sender, whatever the channel.
pub async fn receives(rx: Receiver<u32>) {
    let _ = rx.recv();
    //~^ blocking_in_async
}

fn main() {}
