// Entries named in `catalogue.ignore` are dropped; the rest of the catalogue stays.
async fn handler(path: &std::path::Path) {
    let _ = path.exists();
    let _ = std::fs::metadata(path);
    let _ = std::fs::read(path);
    //~^ blocking_in_async
}

fn main() {}
