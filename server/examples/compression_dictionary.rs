//! Trains the zstd dictionary that events and snapshots are compressed with
//! before sealing (`core/src/sync/compression-v1.dict`).
//!
//! The samples are the binary encodings of synthetic cases (events, and
//! snapshots of the state after several of them) recorded by a real app in
//! every commune, with a seed and case lengths of their own. Every run of
//! free text in a sample is replaced by random letters first, so the
//! dictionary learns the encodings' structure (tags, enums, dates, commune
//! codes, field layout), never the wording of notes or accounts: real case
//! text compresses with it no better than any other text.
//!
//! A dictionary is frozen once devices use it: a new one gets a new codec
//! byte in `core/src/sync/compression.rs`, and this tool's output a new
//! file name.
//!
//! ```sh
//! cargo run --release -p binhan-server --example compression_dictionary -- core/src/sync/compression-v2.dict
//! ```

use binhan_core::app::Vault;
use binhan_core::events::CaseState;
use binhan_core::model::COMMUNES;
use binhan_testkit::cases::{case_script, Wording};
use binhan_testkit::vault::fast_vault;
use binhan_testkit::Rng;

/// Dictionary size: what zstd recommends for samples of about a kilobyte.
const DICTIONARY_BYTES: usize = 32 * 1024;
/// Synthetic cases the samples come from.
const CASES: usize = 600;
/// Shortest run of text characters that counts as free text.
const TEXT_RUN: usize = 12;

fn main() {
    let out = std::env::args()
        .nth(1)
        .expect("usage: compression_dictionary <output file>");
    let dir = tempfile::tempdir().expect("a temporary folder");
    let app = Vault::create(&dir.path().join("vault"), "493817", fast_vault()).expect("a vault");
    let today = app.today();
    let author = app.device_id().expect("device id").to_string();
    let mut rng = Rng::new(0xD1C7_0000_0001);
    let mut scrub_rng = Rng::new(0xD1C7_0000_0002);
    let mut samples: Vec<Vec<u8>> = Vec::new();
    for index in 0..CASES {
        let commune = COMMUNES[index % COMMUNES.len()].code;
        let edits = 2 + rng.below(14) as usize;
        let script = case_script(
            &mut rng,
            index,
            commune,
            today,
            edits,
            &author,
            Wording::Pooled,
        );
        let id = app.create_case(script.intake).expect("create a case");
        for action in script.edits {
            app.act(id, action).expect("edit a case");
        }
        let events = app.events_of(id).expect("the case's events");
        for (n, event) in events.iter().enumerate() {
            samples.push(event.encode());
            if n % 4 == 3 || n + 1 == events.len() {
                let state = CaseState::fold(id, &events[..=n]);
                samples.push(state.encode_snapshot().expect("a snapshot"));
            }
        }
    }
    for sample in &mut samples {
        scrub_text(sample, &mut scrub_rng);
    }
    let dictionary =
        zstd::dict::from_samples(&samples, DICTIONARY_BYTES).expect("a trained dictionary");
    std::fs::write(&out, &dictionary).expect("write the dictionary");
    println!(
        "{} samples ({} bytes) -> {} byte dictionary in {out}",
        samples.len(),
        samples.iter().map(Vec::len).sum::<usize>(),
        dictionary.len()
    );
}

/// Replaces every run of at least [`TEXT_RUN`] text characters (letters,
/// spaces, punctuation, any non-ASCII character) with random lowercase
/// letters and spaces of the same byte length.
fn scrub_text(bytes: &mut [u8], rng: &mut Rng) {
    let mut start = 0;
    while start < bytes.len() {
        let mut end = start;
        while end < bytes.len() {
            let width = text_char_width(&bytes[end..]);
            if width == 0 {
                break;
            }
            end += width;
        }
        if end - start >= TEXT_RUN {
            for b in &mut bytes[start..end] {
                *b = *rng.pick(b"abcdefghijklmnopqrstuvwxyz     ");
            }
        }
        start = end.max(start + 1);
    }
}

/// Byte length of the text character at the start of `bytes`, or 0.
fn text_char_width(bytes: &[u8]) -> usize {
    match bytes[0] {
        b' '..=b'~' => 1,
        0xC2..=0xF4 => {
            let width = match bytes[0] {
                0xC2..=0xDF => 2,
                0xE0..=0xEF => 3,
                _ => 4,
            };
            match bytes.get(..width).map(std::str::from_utf8) {
                Some(Ok(_)) => width,
                _ => 0,
            }
        }
        _ => 0,
    }
}
