//! Who may talk to the console: the browser that opened the one-time
//! address, and only from the console's own origin.
//!
//! - The printed address carries a random token, good for one use; opening
//!   it sets a random session cookie (HttpOnly, SameSite=Strict) and sends
//!   the browser on to `/` (the token leaves the address bar and history).
//! - Every request but the token's and the neutral page must carry that
//!   cookie, and name the console as its `Host` (a page elsewhere that
//!   resolves a name to 127.0.0.1 is refused: DNS rebinding).
//! - A request that changes anything (POST) must come from the console's
//!   own `Origin`: a page on another site or another port is refused.
//! - Every response forbids caching, framing, referrers, sniffing, and any
//!   script, style or connection not from the console itself.

use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use binhan_core::crypto::random_array;
use std::net::SocketAddr;
use std::sync::Mutex;

/// The session cookie's name.
pub(crate) const COOKIE: &str = "binhan_session";

/// The Content-Security-Policy of every response.
pub(crate) const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; \
    img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; \
    base-uri 'none'";

fn random_hex() -> String {
    random_array::<32>()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Equal in time independent of where they differ.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |d, (x, y)| d | (x ^ y)) == 0
}

/// The token, the session and the console's own origin.
pub(crate) struct Guard {
    host: String,
    origin: String,
    token: Mutex<Option<String>>,
    session: Mutex<Option<String>>,
    first_token: String,
}

/// Why a request was refused (never more than this is said).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Refused {
    WrongHost,
    NoSession,
    WrongOrigin,
    TokenUsed,
}

impl IntoResponse for Refused {
    fn into_response(self) -> Response {
        let status = match self {
            Refused::WrongHost | Refused::WrongOrigin | Refused::TokenUsed => StatusCode::FORBIDDEN,
            Refused::NoSession => StatusCode::UNAUTHORIZED,
        };
        (status, "Forbidden").into_response()
    }
}

impl Guard {
    pub(crate) fn new(addr: SocketAddr) -> Self {
        let token = random_hex();
        Self {
            host: addr.to_string(),
            origin: format!("http://{addr}"),
            token: Mutex::new(Some(token.clone())),
            session: Mutex::new(None),
            first_token: token,
        }
    }

    /// The token of the printed address.
    pub(crate) fn token(&self) -> &str {
        &self.first_token
    }

    /// Trades the one-time token for a new session (any earlier session
    /// ends); refused once the token was used.
    pub(crate) fn open(&self, token: &str, headers: &HeaderMap) -> Result<String, Refused> {
        self.check_host(headers)?;
        let mut kept = self.token.lock().unwrap_or_else(|p| p.into_inner());
        match kept.as_deref() {
            Some(expected) if same(expected, token) => {
                *kept = None;
                let session = random_hex();
                *self.session.lock().unwrap_or_else(|p| p.into_inner()) = Some(session.clone());
                Ok(format!(
                    "{COOKIE}={session}; HttpOnly; SameSite=Strict; Path=/"
                ))
            }
            _ => Err(Refused::TokenUsed),
        }
    }

    fn check_host(&self, headers: &HeaderMap) -> Result<(), Refused> {
        match headers.get(header::HOST).and_then(|h| h.to_str().ok()) {
            Some(host) if host == self.host => Ok(()),
            _ => Err(Refused::WrongHost),
        }
    }

    /// Checks a request that needs the session (and, for POST, the origin).
    pub(crate) fn check(&self, method: &Method, headers: &HeaderMap) -> Result<(), Refused> {
        self.check_host(headers)?;
        let session = self.session.lock().unwrap_or_else(|p| p.into_inner());
        let Some(expected) = session.as_deref() else {
            return Err(Refused::NoSession);
        };
        let presented = headers
            .get_all(header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(';'))
            .filter_map(|pair| pair.trim().split_once('='))
            .any(|(name, value)| name == COOKIE && same(value, expected));
        if !presented {
            return Err(Refused::NoSession);
        }
        if *method != Method::GET {
            let fetch_site = headers.get("sec-fetch-site").and_then(|s| s.to_str().ok());
            match headers.get(header::ORIGIN).and_then(|o| o.to_str().ok()) {
                Some(origin) if origin == self.origin => {}
                // A plain form post (no script) under the page's
                // `no-referrer` policy carries `Origin: null`; the browser's
                // own `Sec-Fetch-Site`, which no page can set, says it came
                // from this origin.
                Some("null") if fetch_site == Some("same-origin") => {}
                _ => return Err(Refused::WrongOrigin),
            }
        }
        Ok(())
    }
}

/// Adds the console's security headers to a response.
pub(crate) async fn harden(mut response: Response) -> Response {
    let headers = response.headers_mut();
    for (name, value) in [
        (header::CONTENT_SECURITY_POLICY, CSP),
        (header::CACHE_CONTROL, "no-store"),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "no-referrer"),
        (header::X_FRAME_OPTIONS, "DENY"),
    ] {
        headers.insert(name, HeaderValue::from_static(value));
    }
    headers.insert(
        header::HeaderName::from_static("cross-origin-opener-policy"),
        HeaderValue::from_static("same-origin"),
    );
    headers.insert(
        header::HeaderName::from_static("cross-origin-resource-policy"),
        HeaderValue::from_static("same-origin"),
    );
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(header::HeaderName, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (name, value) in pairs {
            h.append(name.clone(), HeaderValue::from_str(value).expect("header"));
        }
        h
    }

    #[test]
    fn the_token_opens_one_session_once_and_every_request_needs_it() {
        let addr: SocketAddr = "127.0.0.1:4242".parse().expect("addr");
        let guard = Guard::new(addr);
        let host = (header::HOST, "127.0.0.1:4242");
        assert_eq!(
            guard.open("not-the-token", &headers(std::slice::from_ref(&host))),
            Err(Refused::TokenUsed)
        );
        let token = guard.token().to_string();
        assert_eq!(
            guard.open(&token, &headers(&[(header::HOST, "evil.example:4242")])),
            Err(Refused::WrongHost)
        );
        let cookie = guard
            .open(&token, &headers(std::slice::from_ref(&host)))
            .expect("opened");
        assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"));
        assert_eq!(
            guard.open(&token, &headers(std::slice::from_ref(&host))),
            Err(Refused::TokenUsed),
            "the token is good once"
        );
        let session = cookie.split(';').next().expect("pair").to_string();
        let get = Method::GET;
        let post = Method::POST;
        assert_eq!(
            guard.check(&get, &headers(std::slice::from_ref(&host))),
            Err(Refused::NoSession)
        );
        assert_eq!(
            guard.check(
                &get,
                &headers(&[host.clone(), (header::COOKIE, "binhan_session=00")])
            ),
            Err(Refused::NoSession)
        );
        assert!(guard
            .check(&get, &headers(&[host.clone(), (header::COOKIE, &session)]))
            .is_ok());
        for origin in [
            None,
            Some("http://127.0.0.1:4243"),
            Some("https://evil.example"),
        ] {
            let mut h = headers(&[host.clone(), (header::COOKIE, &session)]);
            if let Some(origin) = origin {
                h.insert(
                    header::ORIGIN,
                    HeaderValue::from_str(origin).expect("origin"),
                );
            }
            assert_eq!(
                guard.check(&post, &h),
                Err(Refused::WrongOrigin),
                "{origin:?}"
            );
        }
        // A plain form's post: Origin null, from this origin by the
        // browser's word; the same from another site is refused.
        for (site, allowed) in [
            ("same-origin", true),
            ("same-site", false),
            ("cross-site", false),
        ] {
            let h = headers(&[
                host.clone(),
                (header::COOKIE, &session),
                (header::ORIGIN, "null"),
                (header::HeaderName::from_static("sec-fetch-site"), site),
            ]);
            assert_eq!(guard.check(&post, &h).is_ok(), allowed, "{site}");
        }
        let own = headers(&[
            host,
            (header::COOKIE, &session),
            (header::ORIGIN, "http://127.0.0.1:4242"),
        ]);
        assert!(guard.check(&post, &own).is_ok());
    }
}
