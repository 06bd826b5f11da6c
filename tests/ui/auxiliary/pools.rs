//! A pool API of another crate: only its signatures are visible to the lint.

pub struct Pool;

impl Pool {
    /// Runs `job` on a worker thread (the `Send + 'static` bounds say so).
    pub fn interact<F, R>(&self, job: F) -> Box<dyn FnOnce() -> R + Send>
    where
        F: FnOnce() -> R + Send + 'static,
        R: Send + 'static,
    {
        Box::new(job)
    }

    /// Runs `job` in place.
    pub fn with_borrowed<F: FnOnce() -> R + Send, R>(&self, job: F) -> R {
        job()
    }
}
