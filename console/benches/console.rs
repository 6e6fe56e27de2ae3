//! The console's page weight and its round trips, over a vault of 10,000
//! synthetic cases (`binhan_testkit::vault::fill`):
//!
//! * the first page (HTML of the home screen, CSS and script) compressed
//!   with gzip-equivalent DEFLATE at level 6, against the 150 KB target;
//! * one interaction's round trip over HTTP on loopback, as the page's
//!   script makes it (`POST /event`, the new `<main>` back): a language
//!   change on the home screen and on the case list (everything redrawn),
//!   and a filter change on the case list; median and p99 of 300 each,
//!   against the p99 ≤ 50 ms target.
//!
//! `cargo bench -p binhan-console --bench console`. All data is synthetic.

use binhan_console::Console;
use binhan_core::app::Vault;
use binhan_testkit::vault::{fast_vault, fill};
use binhan_ui::Options;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

const PIN: &str = "493817";
const CASES: usize = 10_000;
const ROUNDS: usize = 300;

/// One keep-alive HTTP/1.1 connection, as a browser tab holds.
struct Http {
    stream: BufReader<TcpStream>,
    host: String,
    cookie: String,
}

impl Http {
    fn request(
        &mut self,
        method: &str,
        path: &str,
        body: &str,
    ) -> (u16, Vec<(String, String)>, Vec<u8>) {
        let mut head = format!(
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nOrigin: http://{}\r\nx-binhan-fetch: 1\r\n",
            self.host, self.host
        );
        if !self.cookie.is_empty() {
            head.push_str(&format!("Cookie: {}\r\n", self.cookie));
        }
        head.push_str(&format!(
            "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        ));
        self.stream
            .get_mut()
            .write_all(head.as_bytes())
            .expect("write");
        let mut status = String::new();
        self.stream.read_line(&mut status).expect("status");
        let code: u16 = status
            .split(' ')
            .nth(1)
            .and_then(|c| c.parse().ok())
            .expect("code");
        let mut headers = Vec::new();
        loop {
            let mut line = String::new();
            self.stream.read_line(&mut line).expect("header");
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            if let Some((k, v)) = line.split_once(':') {
                headers.push((k.trim().to_ascii_lowercase(), v.trim().to_string()));
            }
        }
        let length: usize = headers
            .iter()
            .find(|(k, _)| k == "content-length")
            .and_then(|(_, v)| v.parse().ok())
            .unwrap_or(0);
        let mut body = vec![0; length];
        self.stream.read_exact(&mut body).expect("body");
        (code, headers, body)
    }

    fn send(&mut self, event: &str) -> Vec<u8> {
        let body = format!("event={}", urlencode(event));
        let (code, _, body) = self.request("POST", "/event", &body);
        assert_eq!(code, 200, "the console refused {event}");
        body
    }
}

fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn deflated(bytes: &[u8]) -> usize {
    miniz_oxide::deflate::compress_to_vec(bytes, 6).len()
}

fn percentiles(mut times: Vec<Duration>) -> (f64, f64) {
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    (
        ms(times[times.len() / 2]),
        ms(times[times.len() * 99 / 100]),
    )
}

fn main() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("vault");
    let vault = Vault::create(&path, PIN, fast_vault()).expect("vault");
    fill(&vault, CASES).expect("fill");
    drop(vault);
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let options = Options {
        vault: fast_vault(),
        idle_lock_secs: 3600,
        scan_codes: false,
        ..Options::default()
    };
    let console = runtime
        .block_on(Console::start(path, options))
        .expect("console");
    let host = console.addr.to_string();
    let token_path = console.url.split(&host).nth(1).expect("path").to_string();
    let mut http = Http {
        stream: BufReader::new(TcpStream::connect(console.addr).expect("connect")),
        host,
        cookie: String::new(),
    };
    let (_, headers, _) = http.request("GET", &token_path, "");
    http.cookie = headers
        .iter()
        .find(|(k, _)| k == "set-cookie")
        .and_then(|(_, v)| v.split(';').next())
        .expect("cookie")
        .to_string();
    for digit in [4, 0, 7, 1, 5, 2] {
        http.send(&format!(
            r#"{{"type":"calculator","key":{{"key":"digit","digit":{digit}}}}}"#
        ));
    }
    for _ in 0..2 {
        http.send(r#"{"type":"calculator","key":{"key":"equals"}}"#);
    }
    http.send(&format!(
        r#"{{"type":"set_field","field":"unlock_pin","value":"{PIN}"}}"#
    ));
    http.send(r#"{"type":"submit"}"#);

    let (_, _, page) = http.request("GET", "/", "");
    let (_, _, css) = http.request("GET", "/assets/console.css", "");
    let (_, _, js) = http.request("GET", "/assets/console.js", "");
    let text = String::from_utf8_lossy(&page);
    assert!(text.contains("Trang chủ"), "unlocked on the home screen");
    let total = deflated(&page) + deflated(&css) + deflated(&js);
    println!(
        "first page, compressed: {:.1} KB (HTML {:.1} KB of {:.1} KB, CSS {:.1} KB, script {:.1} KB)",
        total as f64 / 1024.0,
        deflated(&page) as f64 / 1024.0,
        page.len() as f64 / 1024.0,
        deflated(&css) as f64 / 1024.0,
        deflated(&js) as f64 / 1024.0,
    );

    let measure = |name: &str, events: [&str; 2], http: &mut Http| {
        let mut times = Vec::with_capacity(ROUNDS);
        for round in 0..ROUNDS {
            let started = Instant::now();
            std::hint::black_box(http.send(events[round % 2]));
            times.push(started.elapsed());
        }
        let (median, p99) = percentiles(times);
        println!("{name}: median {median:.2} ms, p99 {p99:.2} ms ({ROUNDS} round trips)");
    };
    let languages = [
        r#"{"type":"set_language","lang":"en"}"#,
        r#"{"type":"set_language","lang":"vi"}"#,
    ];
    measure("home_10k language change", languages, &mut http);
    http.send(r#"{"type":"open","target":"case_list"}"#);
    measure("case_list_10k language change", languages, &mut http);
    measure(
        "case_list_10k filter change",
        [
            r#"{"type":"filter_cases","status":null,"risk":"high"}"#,
            r#"{"type":"filter_cases","status":null,"risk":null}"#,
        ],
        &mut http,
    );
}
