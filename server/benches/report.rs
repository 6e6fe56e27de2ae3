//! Placeholder: the annual report benchmark (being written).
fn main() {}
