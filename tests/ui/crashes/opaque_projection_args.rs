//@check-pass
// Regression (found in regex-syntax while summarising it as a dependency): a trait call whose
// arguments hold a projection on an opaque `impl Trait` type, such as
// `<Map<impl Iterator, {closure}> as IntoIterator>::IntoIter`, does not normalize; handing
// it to the instance resolver was an ICE.
fn ranges() -> impl Iterator<Item = (char, char)> {
    [('a', 'z'), ('A', 'Z')].into_iter()
}

struct Class(Vec<u32>);

impl Class {
    // Walked with `I = Map<impl Iterator, {closure}>`: the `collect` call inside has
    // `<I as IntoIterator>::IntoIter` in its arguments.
    fn new<I: IntoIterator<Item = u32>>(widths: I) -> Self {
        Class(widths.into_iter().collect())
    }
}

fn widths() -> Vec<u32> {
    Class::new(ranges().map(|(low, high)| high as u32 - low as u32)).0
}

fn total() -> u32 {
    let mut sum = 0;
    for width in ranges().map(|(low, high)| high as u32 - low as u32) {
        sum += width;
    }
    sum
}

async fn handler() -> u32 {
    widths().len() as u32 + total()
}

fn main() {
    let _ = handler();
}
