//@no-rustfix: the test lint's rewrite is covered in blocking_in_async_fix.rs
//@compile-flags: --check-cfg=cfg(test)
// (cargo declares `cfg(test)` itself; the driver's own `--check-cfg` switches checking on.)
// Test code is reported by its own lint, whose level can differ.
use std::time::Duration;

pub async fn production() {
    std::thread::sleep(Duration::from_millis(1));
    //~^ blocking_in_async
}

#[tokio::test]
async fn tokio_test() {
    std::thread::sleep(Duration::from_millis(1));
    //~^ blocking_in_async_in_tests
}

#[test]
fn sync_test_with_an_async_block() {
    let _future = async {
        let _ = std::fs::read("x");
        //~^ blocking_in_async_in_tests
    };
}

#[cfg(test)]
mod tests {
    pub async fn helper_in_a_test_module() {
        let _ = std::fs::read("x");
        //~^ blocking_in_async_in_tests
    }
}

mod allowed_in_tests {
    #[allow(blocking_in_async_in_tests)]
    #[tokio::test]
    async fn allowed() {
        std::thread::sleep(std::time::Duration::from_millis(1));
    }
}
