//! `binhan-server`: the Bình An sync and reporting server.

fn main() {}
