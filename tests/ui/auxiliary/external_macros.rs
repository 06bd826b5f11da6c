//! Macros of another crate: their code is not the user's to fix.

#[macro_export]
macro_rules! nap {
    () => {
        std::thread::sleep(std::time::Duration::from_millis(1))
    };
}

#[macro_export]
macro_rules! async_napper {
    ($name:ident) => {
        pub async fn $name() {
            std::thread::sleep(std::time::Duration::from_millis(1));
        }
    };
}
