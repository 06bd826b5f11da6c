// Functions listed in `catalogue.blocking` are blocking calls like the built-in ones.
mod db {
    pub fn query(_sql: &str) -> u32 {
        0
    }
    pub fn escape(sql: &str) -> String {
        sql.replace('\'', "''")
    }
}

mod legacy {
    pub fn fetch() {}
}

fn report() -> u32 {
    db::query("select count(*) from orders")
}

async fn handler() {
    let _ = db::query("select 1");
    //~^ blocking_in_async
    legacy::fetch();
    //~^ blocking_in_async
    let _ = report();
    //~^ blocking_in_async
    let _ = db::escape("it's");
}

fn main() {}
