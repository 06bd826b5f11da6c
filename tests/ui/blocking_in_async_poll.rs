//@no-rustfix: a poll method cannot await, so nothing here is rewritten
// Hand-written futures, streams, IO types and sinks: their poll methods run on the executor
// exactly like an `async fn` body.
use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::mpsc;
use std::task::{Context, Poll};
use std::time::Duration;

// ---- positives ----

struct ReadsConfig;

impl Future for ReadsConfig {
    type Output = String;

    fn poll(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<String> {
        Poll::Ready(std::fs::read_to_string("config.toml").unwrap_or_default())
        //~^ blocking_in_async
    }
}

struct Backoff;

impl Future for Backoff {
    type Output = ();

    fn poll(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<()> {
        // No `.await` here: the help must not offer `tokio::time::sleep(..).await`.
        std::thread::sleep(Duration::from_millis(10));
        //~^ blocking_in_async
        Poll::Ready(())
    }
}

struct ChannelStream {
    rx: mpsc::Receiver<u32>,
}

impl futures::Stream for ChannelStream {
    type Item = u32;

    fn poll_next(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<Option<u32>> {
        Poll::Ready(self.rx.recv().ok())
        //~^ blocking_in_async
    }
}

fn load_block() -> Vec<u8> {
    std::fs::read("data.bin").unwrap_or_default()
}

struct FileBackedReader;

impl tokio::io::AsyncRead for FileBackedReader {
    fn poll_read(
        self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
        buf: &mut tokio::io::ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let block = load_block();
        //~^ blocking_in_async
        buf.put_slice(&block);
        Poll::Ready(Ok(()))
    }
}

struct LoggingWriter;

impl futures::io::AsyncWrite for LoggingWriter {
    fn poll_write(self: Pin<&mut Self>, _cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        Poll::Ready(std::fs::write("log.bin", buf).map(|()| buf.len()))
        //~^ blocking_in_async
    }

    fn poll_flush(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }

    fn poll_close(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }
}

// ---- negatives ----

// A future whose poll only checks a flag.
struct Flag {
    set: bool,
}

impl Future for Flag {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.set {
            Poll::Ready(())
        } else {
            cx.waker().wake_by_ref();
            Poll::Pending
        }
    }
}

// A stream that only tries to receive.
struct TryChannelStream {
    rx: mpsc::Receiver<u32>,
}

impl futures::Stream for TryChannelStream {
    type Item = u32;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<u32>> {
        match self.rx.try_recv() {
            Ok(value) => Poll::Ready(Some(value)),
            Err(mpsc::TryRecvError::Empty) => {
                cx.waker().wake_by_ref();
                Poll::Pending
            }
            Err(mpsc::TryRecvError::Disconnected) => Poll::Ready(None),
        }
    }
}

// Other methods of a future type are ordinary sync code.
impl ReadsConfig {
    fn load_now(&self) -> String {
        std::fs::read_to_string("config.toml").unwrap_or_default()
    }
}

// A poll method that hands the work to another thread.
struct Offloaded;

impl Future for Offloaded {
    type Output = ();

    fn poll(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<()> {
        std::thread::spawn(|| std::thread::sleep(Duration::from_millis(10)));
        Poll::Ready(())
    }
}

// A trait of the user's with a method named `poll` is not a future.
trait Job {
    fn poll(&mut self) -> bool;
}

struct Sleeper;

impl Job for Sleeper {
    fn poll(&mut self) -> bool {
        std::thread::sleep(Duration::from_millis(10));
        true
    }
}

fn main() {
    let _ = ReadsConfig.load_now();
    let _ = Sleeper.poll();
}
