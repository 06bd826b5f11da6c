// `catalogue.blocking` entries with a runtime category feed `nested_runtime` and
// `block_on_in_drop`.
mod bridge {
    pub fn wait<F: std::future::Future>(_future: F) {}
}

async fn handler() {
    bridge::wait(async {});
    //~^ nested_runtime
}

struct Guard;

impl Drop for Guard {
    fn drop(&mut self) {
        bridge::wait(async {});
        //~^ block_on_in_drop
    }
}

fn main() {}
