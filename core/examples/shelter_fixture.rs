//! Writes the synthetic Lai Châu shelter fixture (SYNTHETIC data, not real
//! map data or real shelters) to `tests/fixtures/shelters/`, or to the
//! directory given:
//!
//! ```sh
//! cargo run -p binhan-core --example shelter_fixture [-- DIR]
//! ```
//!
//! The generator is `binhan_testkit::shelters`; it is deterministic,
//! and `cargo test -p binhan-core shelters_fixture` fails when the committed
//! files differ from what it writes.

use std::path::PathBuf;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::env::args_os()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/shelters")
        });
    std::fs::create_dir_all(&dir)?;
    for (name, bytes) in binhan_testkit::shelters::fixture_files()? {
        std::fs::write(dir.join(&name), &bytes)?;
        println!("{:>9} bytes  {}", bytes.len(), dir.join(&name).display());
    }
    Ok(())
}
