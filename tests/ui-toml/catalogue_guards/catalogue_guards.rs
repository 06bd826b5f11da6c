// Types listed in `catalogue.guards` are reported like lock guards.
mod quota {
    pub struct Permit;

    pub fn acquire() -> Permit {
        Permit
    }
}

async fn wait() {}

async fn holds_a_permit() {
    let permit = quota::acquire();
    //~^ lock_across_await
    wait().await;
    drop(permit);
}

async fn releases_it_first() {
    let permit = quota::acquire();
    drop(permit);
    wait().await;
}

fn main() {}
