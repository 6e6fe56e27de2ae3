//! QR codes as their modules, for every shell to draw the same way (the
//! console as SVG, Compose and SwiftUI on a canvas): an invitation the new
//! phone scans instead of typing the server and the code.

use serde::Serialize;

/// A QR code: `width` × `width` modules, row by row from the top left,
/// `true` for a dark one. The shell leaves a light margin of four modules
/// around it (the quiet zone scanners need) and draws it large enough to
/// scan (at least 2 mm a module).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct QrCode {
    /// Modules on a side.
    pub width: u32,
    /// `width * width` modules, row by row; `true` is dark.
    pub dark: Vec<bool>,
    /// What a screen reader says instead of the picture.
    pub description: String,
}

/// `text` as a QR code with medium error correction (15 % of it may be
/// smudged), or `None` if it is too long for any QR code.
pub(crate) fn encode(text: &str, description: String) -> Option<QrCode> {
    let code = qrcode::QrCode::with_error_correction_level(text, qrcode::EcLevel::M).ok()?;
    Some(QrCode {
        width: u32::try_from(code.width()).ok()?,
        dark: code
            .to_colors()
            .into_iter()
            .map(|c| c == qrcode::Color::Dark)
            .collect(),
        description,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_invitation_link_fits_a_small_code_with_its_finder_patterns() {
        let link = "binhan:enrol?server=https%3A%2F%2Fsync.example.test&code=SYNT-HETI-C000";
        let qr = encode(link, "QR".into()).unwrap();
        assert!(qr.width >= 21 && qr.width <= 45, "width {}", qr.width);
        assert_eq!(qr.dark.len(), (qr.width * qr.width) as usize);
        let w = qr.width as usize;
        let at = |x: usize, y: usize| qr.dark[y * w + x];
        // The three finder squares: a dark ring, a light ring, a dark core.
        for (x0, y0) in [(0, 0), (w - 7, 0), (0, w - 7)] {
            assert!(at(x0, y0) && at(x0 + 6, y0 + 6) && !at(x0 + 1, y0 + 1) && at(x0 + 3, y0 + 3));
        }
        assert!(encode(&"x".repeat(8_000), "QR".into()).is_none());
    }
}
