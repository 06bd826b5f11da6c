// A `catalogue.blocking` entry with `self_type` matches the trait method on that receiver only.
pub trait Source {
    fn pull(&mut self) -> u8;
}

pub struct SerialPort;
pub struct Replay(Vec<u8>);

impl Source for SerialPort {
    fn pull(&mut self) -> u8 {
        0
    }
}

impl Source for Replay {
    fn pull(&mut self) -> u8 {
        self.0.pop().unwrap_or(0)
    }
}

async fn read_port(port: &mut SerialPort) -> u8 {
    port.pull()
    //~^ blocking_in_async
}

async fn replay(recording: &mut Replay) -> u8 {
    // Not the catalogued receiver: quiet.
    recording.pull()
}

fn main() {
    let _ = (read_port(&mut SerialPort), replay(&mut Replay(vec![1])));
}
