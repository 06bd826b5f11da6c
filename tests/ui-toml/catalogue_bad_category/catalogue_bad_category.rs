//@error-in-other-file: invalid async-lint configuration
// A mistake in a catalogue entry is one error with its position and a suggestion.
fn main() {}
