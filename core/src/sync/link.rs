//! An invitation as one link, for a QR code the new phone scans: the server
//! to enrol with and the one-time code, so nobody types either.
//!
//! `binhan:enrol?server=https%3A%2F%2Fsync.example&code=ABCD-EFGH`. The link
//! holds nothing about a case; the code works once and expires.

use crate::error::Rule;
use crate::{Error, Result};
use url::Url;

/// The scheme of every Bình An link.
const SCHEME: &str = "binhan";
/// The path of an invitation.
const ENROL: &str = "enrol";
/// Longest link accepted from a scan, in bytes.
const MAX_LINK: usize = 1_024;
/// Longest server address in a link, in bytes (printable ASCII only, so
/// that the link written back, percent-encoded, stays within [`MAX_LINK`]).
const MAX_SERVER: usize = 256;
/// Longest invitation code in a link (letters, digits and dashes).
const MAX_CODE: usize = 64;

/// Whether `server` can be the address of a sync server: an `http(s)` URL
/// in printable ASCII (an international host in its `xn--` form).
fn plausible_server(server: &str) -> bool {
    server.len() <= MAX_SERVER
        && server.bytes().all(|b| b.is_ascii_graphic())
        && Url::parse(server).is_ok_and(|u| matches!(u.scheme(), "http" | "https"))
}

/// Whether `code` can be an invitation code (the server normalises case).
fn plausible_code(code: &str) -> bool {
    code.len() <= MAX_CODE && code.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

/// The server and the code of an invitation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvitationLink {
    /// The server the new phone enrols with.
    pub server_url: String,
    /// The one-time invitation code.
    pub code: String,
}

impl InvitationLink {
    /// The link, as put in a QR code.
    pub fn to_uri(&self) -> String {
        let mut url = Url::parse(&format!("{SCHEME}:{ENROL}")).expect("a constant link parses");
        url.query_pairs_mut()
            .append_pair("server", &self.server_url)
            .append_pair("code", &self.code);
        url.into()
    }

    /// The invitation in `text` (what a scan read), or `invitation`
    /// [`Rule::BadFormat`] when it is anything else: another QR code, a
    /// link without its server or code, one whose server is not an
    /// `http(s)` address or whose code is not a code, or one too long to be
    /// ours; `invitation` [`Rule::PlainHttp`] when its server is `http://`
    /// to another machine (see [`super::check_server_url`]). What it
    /// returns writes back ([`to_uri`](Self::to_uri)) to a link it reads
    /// again.
    pub fn parse(text: &str) -> Result<Self> {
        let bad = || Error::invalid("invitation", Rule::BadFormat);
        if text.len() > MAX_LINK {
            return Err(bad());
        }
        let url = Url::parse(text.trim()).map_err(|_| bad())?;
        if url.scheme() != SCHEME || url.path() != ENROL {
            return Err(bad());
        }
        let (mut server_url, mut code) = (None, None);
        for (key, value) in url.query_pairs() {
            let slot = match key.as_ref() {
                "server" => &mut server_url,
                "code" => &mut code,
                _ => continue,
            };
            if slot.is_some() {
                return Err(bad());
            }
            *slot = Some(value.trim().to_string());
        }
        match (server_url, code) {
            (Some(server_url), Some(code))
                if plausible_server(&server_url) && !code.is_empty() && plausible_code(&code) =>
            {
                super::transport::check_server_url(&server_url, "invitation")?;
                Ok(Self { server_url, code })
            }
            _ => Err(bad()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn link() -> InvitationLink {
        InvitationLink {
            server_url: "https://sync.example.test:8443/base?x=1&y=2".into(),
            code: "SYNT-HETI-C000".into(),
        }
    }

    #[test]
    fn a_link_reads_back_as_it_was_written() {
        let uri = link().to_uri();
        assert!(
            uri.starts_with("binhan:enrol?server=https%3A%2F%2F"),
            "{uri}"
        );
        assert_eq!(InvitationLink::parse(&uri).unwrap(), link());
        assert_eq!(
            InvitationLink::parse(&format!("  {uri}\n")).unwrap(),
            link()
        );
    }

    /// A link is the one server a new phone trusts: plain HTTP only to
    /// this machine.
    #[test]
    fn a_link_to_a_plain_http_server_elsewhere_is_refused() {
        let with = |server: &str| InvitationLink {
            server_url: server.into(),
            code: "SYNT-HETI-C000".into(),
        };
        for server in [
            "http://sync.example.test",
            "http://10.0.2.2:8080",
            "http://127.0.0.1:80@sync.example.test/",
        ] {
            match InvitationLink::parse(&with(server).to_uri()) {
                Err(Error::Invalid { field, rule }) => {
                    assert_eq!((field.as_str(), rule), ("invitation", Rule::PlainHttp));
                }
                other => panic!("{server}: {other:?}"),
            }
        }
        for server in ["http://127.0.0.1:8080", "https://sync.example.test"] {
            assert_eq!(
                InvitationLink::parse(&with(server).to_uri()).unwrap(),
                with(server)
            );
        }
    }

    #[test]
    fn anything_else_is_not_an_invitation() {
        let uri = link().to_uri();
        for text in [
            "",
            "hello",
            "https://sync.example.test/enrol?server=a&code=b",
            "binhan:other?server=a&code=b",
            "binhan:enrol?server=a",
            "binhan:enrol?code=b",
            "binhan:enrol?server=&code=b",
            "binhan:enrol?server=a&code=b&code=c",
            "binhan:enrol?server=a&code=b",
            "binhan:enrol?server=https%3A%2F%2Fa&code=b&code=c",
            "binhan:enrol?server=ftp%3A%2F%2Fa&code=b",
            "binhan:enrol?server=https%3A%2F%2Fa&code=b%20c",
            // Found by the fuzzer: read, but written back too long to read.
            &format!(
                "binhan:enrol?server=h27{}.080&code=2",
                "\u{fffd}".repeat(60)
            ),
            &format!("{uri}&pad={}", "x".repeat(MAX_LINK)),
        ] {
            match InvitationLink::parse(text) {
                Err(Error::Invalid { field, rule }) => {
                    assert_eq!((field.as_str(), rule), ("invitation", Rule::BadFormat));
                }
                other => panic!("{text:?} gave {other:?}"),
            }
        }
    }
}
