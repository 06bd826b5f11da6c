//@compile-flags: --check-cfg=cfg(test)
// `blocking_in_async_in_tests` has a level of its own.
pub async fn production() {
    std::thread::sleep(std::time::Duration::from_millis(1));
    //~^ blocking_in_async
}

#[tokio::test]
async fn slow_test() {
    std::thread::sleep(std::time::Duration::from_millis(1));
}
