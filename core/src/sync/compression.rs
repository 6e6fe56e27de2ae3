//! Compression before sealing. Each event and snapshot is sealed on its
//! own (per-case keys forbid compressing several together), and a single
//! case is too small for a compressor to learn its structure, so both are
//! compressed with zstd and a dictionary of that structure, trained on
//! synthetic cases with their free text scrubbed
//! (`server/examples/compression_dictionary.rs`).
//!
//! The first byte names the codec and dictionary. A dictionary is frozen
//! once devices use it; a new one comes with a new codec byte.

use std::cell::RefCell;
use std::sync::OnceLock;
use zeroize::Zeroizing;
use zstd::bulk::Compressor;
use zstd::dict::{DecoderDictionary, EncoderDictionary};

/// Codec byte: zstd with dictionary v1.
const ZSTD_DICTIONARY_V1: u8 = 1;
/// Dictionary v1.
static DICTIONARY_V1: &[u8] = include_bytes!("compression-v1.dict");
/// Compression level: 1.5 % larger than the slowest levels at a quarter
/// of their time (phones compress every event they record).
const LEVEL: i32 = 9;

fn encoder() -> &'static EncoderDictionary<'static> {
    static ENCODER: OnceLock<EncoderDictionary<'static>> = OnceLock::new();
    ENCODER.get_or_init(|| EncoderDictionary::copy(DICTIONARY_V1, LEVEL))
}

fn decoder() -> &'static DecoderDictionary<'static> {
    static DECODER: OnceLock<DecoderDictionary<'static>> = OnceLock::new();
    DECODER.get_or_init(|| DecoderDictionary::copy(DICTIONARY_V1))
}

/// Compresses `bytes`: codec byte, then a zstd frame that states its size.
pub(crate) fn compress(bytes: &[u8]) -> Zeroizing<Vec<u8>> {
    thread_local! {
        static COMPRESSOR: RefCell<Option<Compressor<'static>>> = const { RefCell::new(None) };
    }
    let frame = COMPRESSOR
        .with_borrow_mut(|cached| {
            let compressor = match cached {
                Some(compressor) => compressor,
                None => cached.insert(new_compressor()?),
            };
            compressor.compress(bytes)
        })
        // Compressing into a growable buffer fails only without memory.
        .expect("zstd compresses in memory");
    let mut out = Zeroizing::new(Vec::with_capacity(frame.len() + 1));
    out.push(ZSTD_DICTIONARY_V1);
    out.extend_from_slice(&Zeroizing::new(frame));
    out
}

/// A compressor with dictionary v1 whose frames state their size and carry
/// neither checksum (the seal authenticates) nor dictionary id (the codec
/// byte names it).
fn new_compressor() -> std::io::Result<Compressor<'static>> {
    use zstd::zstd_safe::CParameter;
    let mut compressor = Compressor::with_prepared_dictionary(encoder())?;
    compressor.set_parameter(CParameter::ContentSizeFlag(true))?;
    compressor.set_parameter(CParameter::ChecksumFlag(false))?;
    compressor.set_parameter(CParameter::DictIdFlag(false))?;
    Ok(compressor)
}

/// Decompresses what [`compress`] made; `None` for an unknown codec, a
/// damaged frame, or one that would grow beyond `limit` bytes.
pub(crate) fn decompress(bytes: &[u8], limit: usize) -> Option<Zeroizing<Vec<u8>>> {
    let (&ZSTD_DICTIONARY_V1, frame) = bytes.split_first()? else {
        return None;
    };
    let size = zstd::zstd_safe::get_frame_content_size(frame).ok()??;
    let size = usize::try_from(size).ok().filter(|s| *s <= limit)?;
    let plain = zstd::bulk::Decompressor::with_prepared_dictionary(decoder())
        .and_then(|mut decompressor| decompressor.decompress(frame, size))
        .ok()
        .map(Zeroizing::new)?;
    (plain.len() == size).then_some(plain)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cases::sample_intake;
    use crate::events::{CaseState, Event};
    use crate::model::DeviceId;

    fn sample_snapshot() -> Vec<u8> {
        let event = Event::on_new_case(
            DeviceId::random(),
            sample_intake("SYN-00001")
                .into_changes(chrono::NaiveDate::from_ymd_opt(2026, 11, 2).unwrap())
                .unwrap(),
        );
        CaseState::fold(event.case_id, [&event])
            .encode_snapshot()
            .unwrap()
    }

    #[test]
    fn round_trips_and_the_dictionary_pays() {
        let snapshot = sample_snapshot();
        let packed = compress(&snapshot);
        assert_eq!(decompress(&packed, 1 << 20).unwrap().as_slice(), snapshot);
        let plain_zstd = zstd::bulk::compress(&snapshot, LEVEL).unwrap();
        assert!(
            packed.len() < plain_zstd.len(),
            "{} bytes with the dictionary, {} without",
            packed.len(),
            plain_zstd.len()
        );
        assert_eq!(decompress(&compress(&[]), 0).unwrap().len(), 0);
    }

    #[test]
    fn unknown_codecs_damage_and_bombs_are_refused() {
        let packed = compress(&sample_snapshot());
        let mut other_codec = packed.clone();
        other_codec[0] = 2;
        assert!(decompress(&other_codec, 1 << 20).is_none());
        assert!(decompress(&packed[..packed.len() - 3], 1 << 20).is_none());
        assert!(decompress(&[], 1 << 20).is_none());
        // A frame that says it holds more than the limit is never inflated.
        let bomb = compress(&vec![0u8; 1 << 20]);
        assert!(bomb.len() < 200);
        assert!(decompress(&bomb, (1 << 20) - 1).is_none());
        assert!(decompress(&bomb, 1 << 20).is_some());
    }
}
