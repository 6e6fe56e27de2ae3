//! The public intake page (`/r`): HTML, script and style embedded at build
//! time, the communes written into the HTML once, gzipped once, served
//! with a strict CSP, no cookies and no caching.

use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use binhan_core::model::COMMUNES;
use miniz_oxide::deflate::compress_to_vec;
use std::sync::OnceLock;

const HTML: &str = include_str!("page/index.html");
/// The sealing script: built by `page/build.sh` from `page/src/`.
pub const APP_JS: &str = include_str!("page/app.js");
const APP_CSS: &str = include_str!("page/app.css");

/// The page's Content-Security-Policy: its own script and style only, no
/// other request but to this server, in no frame.
pub const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'none'; form-action 'none'; base-uri 'none'; frame-ancestors 'none'";

/// One file as served: identity and gzip.
struct Asset {
    content_type: &'static str,
    plain: Vec<u8>,
    gzip: Vec<u8>,
}

impl Asset {
    fn new(content_type: &'static str, plain: Vec<u8>) -> Self {
        Self {
            content_type,
            gzip: gzip(&plain),
            plain,
        }
    }
}

/// The page's HTML with the communes' options written in.
pub fn html() -> String {
    let options: String = COMMUNES
        .iter()
        .map(|c| {
            format!(
                "<option value=\"{}\" lang=\"vi\">{}</option>",
                c.code, c.name
            )
        })
        .collect();
    HTML.replace("<!--COMMUNES-->", &options)
}

fn assets() -> &'static [Asset; 3] {
    static ASSETS: OnceLock<[Asset; 3]> = OnceLock::new();
    ASSETS.get_or_init(|| {
        [
            Asset::new("text/html; charset=utf-8", html().into_bytes()),
            Asset::new("text/javascript; charset=utf-8", APP_JS.as_bytes().to_vec()),
            Asset::new("text/css; charset=utf-8", APP_CSS.as_bytes().to_vec()),
        ]
    })
}

/// SHA-256 (hex) of the page, its sealing script and its style as served
/// (before compression), logged at start so that what the server serves
/// can be compared with what was published and audited
/// (docs/security.md lists them).
pub fn fingerprints() -> [String; 3] {
    assets()
        .each_ref()
        .map(|a| super::encoding::hex(&crate::auth::sha256(&a.plain)))
}

/// A gzip member of `data` (RFC 1952).
fn gzip(data: &[u8]) -> Vec<u8> {
    let mut out = vec![0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 2, 255];
    out.extend(compress_to_vec(data, 9));
    out.extend(crc32(data).to_le_bytes());
    out.extend((data.len() as u32).to_le_bytes());
    out
}

fn crc32(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &byte in data {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = (crc >> 1) ^ (0xEDB8_8320 & (crc & 1).wrapping_neg());
        }
    }
    !crc
}

fn serve(asset: &Asset, request: &HeaderMap) -> Response {
    let gzip_ok = request
        .get(header::ACCEPT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|e| e.trim().starts_with("gzip")));
    let body = if gzip_ok { &asset.gzip } else { &asset.plain };
    let mut response = (StatusCode::OK, body.clone()).into_response();
    let headers = response.headers_mut();
    let set = |h: &mut HeaderMap, name, value: &'static str| {
        h.insert(name, HeaderValue::from_static(value));
    };
    set(headers, header::CONTENT_TYPE, asset.content_type);
    set(headers, header::CONTENT_SECURITY_POLICY, CSP);
    set(headers, header::REFERRER_POLICY, "no-referrer");
    set(headers, header::CACHE_CONTROL, "no-store");
    set(headers, header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(headers, header::VARY, "Accept-Encoding");
    if gzip_ok {
        set(headers, header::CONTENT_ENCODING, "gzip");
    }
    response
}

/// `GET /r`.
pub async fn page(headers: HeaderMap) -> Response {
    serve(&assets()[0], &headers)
}

/// `GET /r/app.js`.
pub async fn script(headers: HeaderMap) -> Response {
    serve(&assets()[1], &headers)
}

/// `GET /r/app.css`.
pub async fn style(headers: HeaderMap) -> Response {
    serve(&assets()[2], &headers)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gzip_unpacks_to_the_page() {
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
        let packed = gzip(APP_CSS.as_bytes());
        let inflated = miniz_oxide::inflate::decompress_to_vec(&packed[10..packed.len() - 8]);
        assert_eq!(inflated.unwrap(), APP_CSS.as_bytes());
        assert!(html().contains("<option value=\"mu_ca\" lang=\"vi\">"));
        assert!(!html().contains("<!--COMMUNES-->"));
    }

    /// The fingerprints published in docs/security.md are those of what
    /// this build serves (rebuild the bundle, then update the document).
    #[test]
    fn the_published_fingerprints_are_current() {
        let doc = include_str!("../../../docs/security.md");
        for (what, hash) in ["page", "script", "style"].iter().zip(fingerprints()) {
            assert!(
                doc.contains(&hash),
                "docs/security.md lacks the {what}'s SHA-256 {hash}"
            );
        }
    }
}
