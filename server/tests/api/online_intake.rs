//! The public intake's endpoints, as the page's script uses them: a report
//! sealed to the commune's certified managers, with the proof of work of a
//! fresh challenge, is stored as ciphertext and reaches the managers' phones;
//! every other submission (oversized, malformed, plain JSON, sealed to
//! someone else, without the work, with another commune's or a forged
//! challenge, or replayed) is refused with its status and code, and nothing
//! is stored. A flood from one address is slowed while another address
//! still submits. On SQLite and PostgreSQL. Synthetic data only.

use crate::support::{server_row_count, Backend, Server, Team};
use binhan_core::model::Role;
use binhan_core::online_report::{
    seal, Contact, ContactWay, DangerNow, Harm, OnlineReport, Recipient, Writer, MAGIC,
};
use binhan_server::intake::challenge::{solve, work_bits};
use binhan_server::intake::encoding::{base64url_decode, base64url_encode};
use serde_json::{json, Value};

const COMMUNE: &str = "mu_ca";
const WORDS: &[&str] = &["Quillothrax", "Bản Mirrowvale", "0911222333"];
const DIFFICULTY: u8 = 6;

fn report() -> OnlineReport {
    OnlineReport {
        v: 1,
        what: vec![Harm::Psychological, Harm::Economic],
        what_text: "Synthetic account: Quillothrax is threatened at home.".into(),
        commune: COMMUNE.into(),
        village: "Bản Mirrowvale".into(),
        danger_now: DangerNow::Unsure,
        contact: Contact {
            how: ContactWay::Sms,
            number: "0911222333".into(),
            when: "after noon".into(),
        },
        writer: Writer::Neighbour,
        written_at: chrono::DateTime::from_timestamp(1_790_000_000, 0).unwrap(),
    }
}

fn limits(extra: &[&'static str]) -> Vec<&'static str> {
    let mut args = vec![
        "--rate-burst",
        "100000",
        "--rate-per-minute",
        "100000",
        "--intake-difficulty",
        "6",
    ];
    args.extend(extra);
    args
}

/// A client of the public endpoints, from `address` (as a trusted proxy
/// names it) if given.
struct Browser {
    url: String,
    from: Option<&'static str>,
    http: reqwest::Client,
}

impl Browser {
    fn new(server: &Server, from: Option<&'static str>) -> Self {
        Self {
            url: server.url.clone(),
            from,
            http: binhan_core::sync::http_client().unwrap(),
        }
    }

    async fn post(&self, path: &str, body: &Value) -> (u16, Value) {
        let mut request = self
            .http
            .post(format!("{}{path}", self.url))
            .header("content-type", "application/json")
            .body(serde_json::to_vec(body).unwrap());
        if let Some(from) = self.from {
            request = request.header("x-forwarded-for", from);
        }
        let response = request.send().await.unwrap();
        let status = response.status().as_u16();
        let bytes = response.bytes().await.unwrap();
        (
            status,
            serde_json::from_slice(&bytes).unwrap_or(Value::Null),
        )
    }

    /// The commune's recipients and a fresh challenge.
    async fn recipients(&self, commune: &str) -> (Vec<Recipient>, String, u8) {
        let (status, body) = self
            .post("/v1/intake/recipients", &json!({ "commune": commune }))
            .await;
        assert_eq!(status, 200, "{body}");
        let hex = |v: &Value| -> Vec<u8> {
            let t = v.as_str().unwrap();
            (0..t.len())
                .step_by(2)
                .map(|i| u8::from_str_radix(&t[i..i + 2], 16).unwrap())
                .collect()
        };
        let recipients = body["recipients"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| Recipient {
                device_id: binhan_core::model::DeviceId::from_slice(&hex(&r["device_id"])).unwrap(),
                exchange_key: hex(&r["exchange_key"]).try_into().unwrap(),
            })
            .collect();
        let difficulty = body["difficulty"].as_u64().unwrap() as u8;
        (
            recipients,
            body["challenge"].as_str().unwrap().into(),
            difficulty,
        )
    }

    /// Submits `sealed` for `commune` with `challenge` and its work.
    async fn submit(&self, commune: &str, challenge: &str, sealed: &[u8]) -> (u16, String) {
        let bytes = base64url_decode(challenge).unwrap();
        let nonce = solve(&bytes, DIFFICULTY);
        self.submit_with(commune, challenge, nonce, sealed).await
    }

    async fn submit_with(
        &self,
        commune: &str,
        challenge: &str,
        nonce: u64,
        sealed: &[u8],
    ) -> (u16, String) {
        let body = json!({
            "commune": commune,
            "challenge": challenge,
            "nonce": nonce.to_string(),
            "sealed": base64url_encode(sealed),
        });
        let (status, answer) = self.post("/v1/intake/submit", &body).await;
        let code = answer["error"].as_str().unwrap_or_default().to_string();
        (
            status,
            if status == 202 {
                "received".into()
            } else {
                code
            },
        )
    }
}

async fn recipient_of(server: &Server, phone: &crate::support::Phone) -> Recipient {
    use binhan_server::storage::Storage;
    let store = crate::support::storage(&server.backend).await;
    let device = store.device(phone.app.device_id().unwrap()).await;
    let public = device.unwrap().unwrap().public;
    Recipient {
        device_id: public.device_id,
        exchange_key: public.exchange_key,
    }
}

async fn refusals_store_nothing_and_a_sealed_report_reaches_the_managers(backend: Backend) {
    let server = Server::start_with(backend, &limits(&[]));
    let team = Team::enrol(&server, COMMUNE, 1).await;
    let elsewhere = team
        .officer
        .invite_phone(&server, Role::CommuneCaseManager, "ban_bo")
        .await;
    let browser = Browser::new(&server, None);
    let (to, challenge, difficulty) = browser.recipients(COMMUNE).await;
    assert_eq!(difficulty, DIFFICULTY);
    assert_eq!(
        to,
        vec![recipient_of(&server, &team.manager).await],
        "managers only"
    );
    let (status, body) = browser
        .post("/v1/intake/recipients", &json!({"commune": "atlantis"}))
        .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("unknown_commune"))
    );
    let (status, body) = browser
        .post("/v1/intake/recipients", &json!({"commune": "pa_u"}))
        .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (404, Some("no_recipients"))
    );

    let sealed = seal(&to, COMMUNE, &report()).unwrap();
    let mut oversized = sealed.clone();
    oversized.resize(33 * 1024, 7);
    let mut wrong_magic = sealed.clone();
    wrong_magic[..5].copy_from_slice(b"BAOR2");
    let plain_json = serde_json::to_vec(&report()).unwrap();
    let to_collaborator = seal(
        &[recipient_of(&server, &team.collaborators[0]).await],
        COMMUNE,
        &report(),
    )
    .unwrap();
    let to_elsewhere = seal(
        &[recipient_of(&server, &elsewhere).await],
        COMMUNE,
        &report(),
    )
    .unwrap();
    let mut padded_header = MAGIC.to_vec();
    padded_header.extend([0u8; 40]);
    let cases: Vec<(&str, Vec<u8>, u16, &str)> = vec![
        ("oversized", oversized, 413, "too_large"),
        ("wrong magic", wrong_magic, 400, "malformed_envelope"),
        (
            "truncated",
            sealed[..150].to_vec(),
            400,
            "malformed_envelope",
        ),
        ("a header only", padded_header, 400, "malformed_envelope"),
        ("plain JSON", plain_json, 400, "malformed_envelope"),
        (
            "to a collaborator",
            to_collaborator,
            422,
            "unknown_recipient",
        ),
        (
            "to another commune's manager",
            to_elsewhere,
            422,
            "unknown_recipient",
        ),
    ];
    for (what, bytes, status, code) in cases {
        let (_, challenge, _) = browser.recipients(COMMUNE).await;
        let answer = browser.submit(COMMUNE, &challenge, &bytes).await;
        assert_eq!(answer, (status, code.to_string()), "{what}");
        assert_eq!(
            server_row_count(&server.backend, "online_reports").await,
            0,
            "{what}"
        );
    }

    // Without the work, with another commune's, a forged or a made-up challenge.
    let bytes = base64url_decode(&challenge).unwrap();
    let lazy = (0..)
        .find(|&n| work_bits(&bytes, n) < u32::from(DIFFICULTY))
        .unwrap();
    let answer = browser
        .submit_with(COMMUNE, &challenge, lazy, &sealed)
        .await;
    assert_eq!(answer, (422, "bad_proof_of_work".to_string()));
    let (_, other_commune, _) = browser.recipients("ban_bo").await;
    let answer = browser.submit(COMMUNE, &other_commune, &sealed).await;
    assert_eq!(answer, (403, "bad_challenge".to_string()));
    let mut forged = bytes.clone();
    forged[20] ^= 1;
    let answer = browser
        .submit(COMMUNE, &base64url_encode(&forged), &sealed)
        .await;
    assert_eq!(answer, (403, "bad_challenge".to_string()));
    let answer = browser.submit("atlantis", &challenge, &sealed).await;
    assert_eq!(answer, (400, "unknown_commune".to_string()));
    assert_eq!(server_row_count(&server.backend, "online_reports").await, 0);

    // Sealed as the page seals it: stored once; the same challenge again is a replay.
    let answer = browser.submit(COMMUNE, &challenge, &sealed).await;
    assert_eq!(answer, (202, "received".to_string()));
    let other = seal(&to, COMMUNE, &report()).unwrap();
    let answer = browser.submit(COMMUNE, &challenge, &other).await;
    assert_eq!(answer, (409, "replayed".to_string()));
    assert_eq!(server_row_count(&server.backend, "online_reports").await, 1);

    let synced = team.manager.sync().await;
    assert_eq!(synced.online_reports_received, 1);
    let received = team.manager.app.online_reports().unwrap();
    assert_eq!(received[0].report, Some(report()));
    assert_eq!(elsewhere.sync().await.online_reports_received, 0);

    // The server holds none of its words, and logs neither them nor the
    // commune of a public request.
    let dump = server.backend.dump();
    let logs = server.logs();
    for word in WORDS {
        assert!(
            !dump.windows(word.len()).any(|w| w == word.as_bytes()),
            "{word}"
        );
        assert!(!logs.contains(word), "{word}");
    }
    assert!(logs.contains("online report received"));
    for line in logs.lines().filter(|l| l.contains("intake")) {
        assert!(
            !line.contains(COMMUNE),
            "a public request's commune is logged: {line}"
        );
    }
}
on_both_backends!(refusals_store_nothing_and_a_sealed_report_reaches_the_managers);

/// One address (as the trusted proxy names it) flooding the intake is
/// answered 429 with a Retry-After once its allowance runs out; another
/// address still submits.
async fn a_flood_from_one_address_is_slowed_without_stopping_others(backend: Backend) {
    let server = Server::start_with(
        backend,
        &limits(&[
            "--address-rate-burst",
            "30",
            "--address-rate-per-minute",
            "1",
            "--trusted-proxy",
            "127.0.0.1",
        ]),
    );
    let team = Team::enrol(&server, COMMUNE, 0).await;
    let flood = Browser::new(&server, Some("203.0.113.7"));
    let (to, _, _) = flood.recipients(COMMUNE).await;
    let mut accepted = 0;
    let mut slowed = false;
    for _ in 0..40 {
        let (status, body) = flood
            .post("/v1/intake/recipients", &json!({"commune": COMMUNE}))
            .await;
        if status == 429 {
            assert_eq!(body["error"].as_str(), Some("rate_limited"));
            slowed = true;
            break;
        }
        let challenge = body["challenge"].as_str().unwrap().to_string();
        let sealed = seal(&to, COMMUNE, &report()).unwrap();
        match flood.submit(COMMUNE, &challenge, &sealed).await {
            (202, _) => accepted += 1,
            (429, code) => {
                assert_eq!(code, "rate_limited");
                slowed = true;
                break;
            }
            other => panic!("unexpected answer {other:?}"),
        }
    }
    assert!(slowed, "the flood is slowed within 40 submissions");
    assert!(
        accepted < 20,
        "at most half of a burst of 30 requests submit"
    );

    let other = Browser::new(&server, Some("198.51.100.1"));
    let (to, challenge, _) = other.recipients(COMMUNE).await;
    let sealed = seal(&to, COMMUNE, &report()).unwrap();
    assert_eq!(other.submit(COMMUNE, &challenge, &sealed).await.0, 202);
    assert_eq!(
        server_row_count(&server.backend, "online_reports").await,
        accepted + 1
    );
    drop(team);
}
on_both_backends!(a_flood_from_one_address_is_slowed_without_stopping_others);
