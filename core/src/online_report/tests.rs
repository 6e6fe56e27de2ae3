//! Sealing and opening online reports, and every way one is refused.
//! Synthetic reports only.

use super::*;
use crate::error::Rule;
use crate::model::DeviceId;
use crate::sync::DeviceIdentity;
use crate::Error;

/// A synthetic report, as the page writes it.
pub(crate) fn report(commune: &str) -> OnlineReport {
    OnlineReport {
        v: 1,
        what: vec![Harm::Physical, Harm::Psychological],
        what_text: "Synthetic account: quorvane slithermoss.".into(),
        commune: commune.into(),
        village: "Bản Synthetic".into(),
        danger_now: DangerNow::Unsure,
        contact: Contact {
            how: ContactWay::Sms,
            number: "+84 900 000 000".into(),
            when: "after 18:00".into(),
        },
        writer: Writer::Neighbour,
        written_at: chrono::DateTime::from_timestamp(1_790_000_000, 0).unwrap(),
    }
}

fn recipient(identity: &DeviceIdentity) -> Recipient {
    let public = identity.public();
    Recipient {
        device_id: public.device_id,
        exchange_key: public.exchange_key,
    }
}

fn managers() -> Vec<DeviceIdentity> {
    (0..3)
        .map(|_| DeviceIdentity::generate(DeviceId::random()))
        .collect()
}

#[test]
fn every_recipient_opens_it_and_no_one_else() {
    let managers = managers();
    let to: Vec<Recipient> = managers.iter().map(recipient).collect();
    let sealed = seal(&to, "mu_ca", &report("mu_ca")).unwrap();
    let envelope = SealedReport::parse(&sealed).unwrap();
    assert_eq!(
        envelope.recipients().collect::<Vec<_>>(),
        to.iter().map(|r| r.device_id).collect::<Vec<_>>()
    );
    for manager in &managers {
        assert_eq!(open(manager, &sealed, "mu_ca").unwrap(), report("mu_ca"));
    }
    let stranger = DeviceIdentity::generate(DeviceId::random());
    assert!(matches!(
        open(&stranger, &sealed, "mu_ca"),
        Err(Error::Tampered { .. })
    ));
    let words = b"quorvane";
    assert!(!sealed.windows(words.len()).any(|w| w == words));
}

#[test]
fn a_report_moved_to_another_commune_or_altered_does_not_open() {
    let manager = DeviceIdentity::generate(DeviceId::random());
    let sealed = seal(&[recipient(&manager)], "mu_ca", &report("mu_ca")).unwrap();
    assert!(matches!(
        open(&manager, &sealed, "ban_bo"),
        Err(Error::Tampered { .. })
    ));
    for at in [6, 40, 60, 100, sealed.len() - 1] {
        let mut altered = sealed.clone();
        altered[at] ^= 1;
        assert!(open(&manager, &altered, "mu_ca").is_err(), "byte {at}");
    }
    let truncated = &sealed[..sealed.len() - 20];
    assert!(matches!(
        open(&manager, truncated, "mu_ca"),
        Err(Error::Tampered { .. })
    ));
    // A copy for the manager whose id was swapped for another's.
    let other = DeviceIdentity::generate(DeviceId::random());
    let mut swapped = sealed.clone();
    swapped[38..54].copy_from_slice(other.public().device_id.as_bytes());
    assert!(open(&manager, &swapped, "mu_ca").is_err());
}

#[test]
fn what_is_not_a_sealed_report_is_refused_by_its_form() {
    let manager = DeviceIdentity::generate(DeviceId::random());
    let sealed = seal(&[recipient(&manager)], "mu_ca", &report("mu_ca")).unwrap();
    let mut too_many = sealed.clone();
    too_many[37] = (MAX_RECIPIENTS + 1) as u8;
    let mut none = sealed.clone();
    none[37] = 0;
    let mut twice = sealed[..38].to_vec();
    twice[37] = 2;
    twice.extend_from_slice(&sealed[38..38 + 88]);
    twice.extend_from_slice(&sealed[38..]);
    for bytes in [
        Vec::new(),
        b"{\"what\":\"plain json\"}".to_vec(),
        sealed[..60].to_vec(),
        sealed[..38 + 88 + 24 + 15].to_vec(),
        too_many,
        none,
        twice,
        vec![0u8; MAX_SEALED_BYTES + 1],
    ] {
        match SealedReport::parse(&bytes) {
            Err(Error::Invalid { field, rule }) => {
                assert_eq!((field.as_str(), rule), ("online_report", Rule::BadFormat));
            }
            other => panic!("{} bytes gave {other:?}", bytes.len()),
        }
    }
    assert!(seal(&[], "mu_ca", &report("mu_ca")).is_err());
}

#[test]
fn a_report_that_breaks_the_pages_promises_is_refused_when_opened() {
    let manager = DeviceIdentity::generate(DeviceId::random());
    let to = [recipient(&manager)];
    let mut cases: Vec<(OnlineReport, &str)> = Vec::new();
    let mut r = report("mu_ca");
    r.v = 2;
    cases.push((r, "online_report.v"));
    let mut r = report("mu_ca");
    r.what.clear();
    r.what_text = "  ".into();
    cases.push((r, "online_report.what"));
    let mut r = report("mu_ca");
    r.what = vec![Harm::Sexual, Harm::Sexual];
    cases.push((r, "online_report.what"));
    let mut r = report("ban_bo");
    r.commune = "ban_bo".into();
    cases.push((r, "online_report.commune"));
    let mut r = report("mu_ca");
    r.what_text = "x".repeat(MAX_TEXT_CHARS + 1);
    cases.push((r, "online_report.what_text"));
    let mut r = report("mu_ca");
    r.contact.number = String::new();
    cases.push((r, "online_report.contact.number"));
    let mut r = report("mu_ca");
    r.contact.number = "call me maybe".into();
    cases.push((r, "online_report.contact.number"));
    for (bad, field) in cases {
        let sealed = seal(&to, "mu_ca", &bad).unwrap();
        match open(&manager, &sealed, "mu_ca") {
            Err(Error::Invalid { field: f, .. }) => assert_eq!(f, field),
            other => panic!("{field}: {other:?}"),
        }
    }
    // No contact wanted: no number needed.
    let mut r = report("mu_ca");
    r.contact = Contact {
        how: ContactWay::None,
        number: String::new(),
        when: String::new(),
    };
    let sealed = seal(&to, "mu_ca", &r).unwrap();
    assert_eq!(open(&manager, &sealed, "mu_ca").unwrap(), r);
}

#[test]
fn the_json_is_the_pages() {
    let json = serde_json::to_value(report("mu_ca")).unwrap();
    assert_eq!(json["writer"], "neighbour");
    assert_eq!(json["contact"]["how"], "sms");
    assert_eq!(json["what"][1], "psychological");
    let mut by_self = report("mu_ca");
    by_self.writer = Writer::Survivor;
    by_self.what = vec![Harm::ChildAbuse];
    let json = serde_json::to_value(&by_self).unwrap();
    assert_eq!(json["writer"], "self");
    assert_eq!(json["what"][0], "child_abuse");
    let extra = r#"{"v":1,"what":[],"what_text":"x","commune":"mu_ca","village":"","danger_now":"no","contact":{"how":"none","number":"","when":""},"writer":"other","written_at":"2026-12-06T00:00:00Z","more":1}"#;
    assert!(serde_json::from_str::<OnlineReport>(extra).is_err());
}
