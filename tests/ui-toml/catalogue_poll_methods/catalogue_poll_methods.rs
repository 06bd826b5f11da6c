// Trait methods listed in `catalogue.poll_methods` are async context, like `Future::poll`.
mod transport {
    use std::task::{Context, Poll};

    pub trait Transport {
        fn poll_frame(&mut self, cx: &mut Context<'_>) -> Poll<Vec<u8>>;
        fn name(&self) -> String;
    }
}

use std::task::{Context, Poll};
use transport::Transport;

struct FileTransport;

impl Transport for FileTransport {
    fn poll_frame(&mut self, _cx: &mut Context<'_>) -> Poll<Vec<u8>> {
        Poll::Ready(std::fs::read("frame.bin").unwrap_or_default())
        //~^ blocking_in_async
    }

    // Not listed: ordinary sync code.
    fn name(&self) -> String {
        std::fs::read_to_string("name.txt").unwrap_or_default()
    }
}

fn main() {
    let _ = FileTransport.name();
}
