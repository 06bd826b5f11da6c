//! Re-exported so cargo does not report the dependencies as unused.
pub use futures;
pub use parking_lot;
pub use tokio;
