//! The statistical record, its id and seed, and their encodings.

use crate::crypto::random_array;
use crate::error::Rule;
use crate::events::Hlc;
use crate::model::{
    from_hex, random_id, serialize_hex, validate_commune, ContextFlag, EthnicGroup,
    ReportingDelayBand, ServiceType, Sex, ViolenceType,
};
use crate::referrals::ReferralStatus;
use crate::{coded_enum, Error, Result};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use sha2::Digest;
use std::fmt;

/// Version of the binary statistical record encoding: 2 added
/// [`StatRecord::referrals`] and [`StatRecord::days_to_first_service`]
/// after the fields of 1, which still decodes (with neither).
pub const STAT_FORMAT_VERSION: u8 = 2;

/// The first encoding, without referrals or days to the first service.
const STAT_FORMAT_V1: u8 = 1;

/// Most days from detection to the first service a record states; longer
/// waits count as this many.
pub const MAX_DAYS_TO_SERVICE: u16 = 999;

/// One referral of a case as statistics count it: which service was asked,
/// what became of it and whether the provider answered by the due date. No
/// organisation, date or note.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReferralStat {
    /// The service asked for.
    pub service: ServiceType,
    /// Where the referral stands (its latest status).
    pub outcome: ReferralStatus,
    /// `Some(true)` if the first answer came by the due date, `Some(false)`
    /// if later, `None` while unanswered (or withdrawn before an answer).
    pub answered_in_time: Option<bool>,
}

coded_enum! {
    /// Age band of the survivor at the incident. The GBVIMS bands, with
    /// 12–17 split at 16 so that both the GBVIMS child band (under 18) and
    /// the Vietnamese legal definition of a child (under 16) can be counted.
    pub enum AgeBand: "age_band" {
        "Not known." Unknown = ("unknown", "không rõ", "unknown"),
        "0–11 (child)." Age0To11 = ("0_11", "0–11 tuổi", "0–11"),
        "12–15 (child)." Age12To15 = ("12_15", "12–15 tuổi", "12–15"),
        "16–17 (child under 18)." Age16To17 = ("16_17", "16–17 tuổi", "16–17"),
        "18–25." Age18To25 = ("18_25", "18–25 tuổi", "18–25"),
        "26–40." Age26To40 = ("26_40", "26–40 tuổi", "26–40"),
        "41–60." Age41To60 = ("41_60", "41–60 tuổi", "41–60"),
        "61 and over." Age61Plus = ("61_plus", "từ 61 tuổi", "61 and over"),
    }
}

impl AgeBand {
    /// The band of an age in whole years (`None`: not known).
    pub fn for_age(age: Option<u32>) -> Self {
        match age {
            None => Self::Unknown,
            Some(0..=11) => Self::Age0To11,
            Some(12..=15) => Self::Age12To15,
            Some(16..=17) => Self::Age16To17,
            Some(18..=25) => Self::Age18To25,
            Some(26..=40) => Self::Age26To40,
            Some(41..=60) => Self::Age41To60,
            Some(_) => Self::Age61Plus,
        }
    }

    /// Whether the band is of a child (under 18); `None` when not known.
    pub fn is_child(self) -> Option<bool> {
        match self {
            Self::Unknown => None,
            Self::Age0To11 | Self::Age12To15 | Self::Age16To17 => Some(true),
            _ => Some(false),
        }
    }
}

/// A case's secret statistics seed: 32 random bytes written once, in the
/// case's first event. Only devices that can read the case know it.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct StatSeed(pub [u8; 32]);

impl StatSeed {
    /// A new random seed.
    pub fn random() -> Self {
        Self(random_array())
    }

    fn derive(&self, label: &[u8]) -> [u8; 32] {
        let mut hash = sha2::Sha256::new();
        hash.update(label);
        hash.update(self.0);
        hash.finalize().into()
    }

    /// The statistics id every team device derives from this seed.
    pub fn statistics_id(&self) -> StatisticsId {
        let digest = self.derive(b"binhan/statistics-id/v1");
        let mut id = [0u8; 16];
        id.copy_from_slice(&digest[..16]);
        StatisticsId(id)
    }

    /// The record's revision for a case whose newest clock reading is
    /// `last_activity`: the reading plus a secret offset below 2^62, so it
    /// orders like the clock but matches no reading the server saw.
    pub fn revision(&self, last_activity: Hlc) -> u64 {
        let digest = self.derive(b"binhan/statistics-revision/v1");
        let mut bytes = [0u8; 8];
        bytes.copy_from_slice(&digest[..8]);
        let offset = u64::from_le_bytes(bytes) >> 2;
        offset.saturating_add(last_activity.0)
    }
}

impl fmt::Debug for StatSeed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("StatSeed(…)")
    }
}

impl Serialize for StatSeed {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        serialize_hex(&self.0, s)
    }
}

impl<'de> Deserialize<'de> for StatSeed {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        if d.is_human_readable() {
            let s = String::deserialize(d)?;
            from_hex::<32>(&s)
                .map(Self)
                .ok_or_else(|| serde::de::Error::custom("statistics seed: 64 hexadecimal digits"))
        } else {
            <[u8; 32]>::deserialize(d).map(Self)
        }
    }
}

random_id!(
    /// The id of a statistical record: random to anyone without the case's
    /// seed, the same on every device that can read the case.
    StatisticsId,
    "statistics_id"
);

/// The de-identified statistical record of one case.
///
/// Nothing in it names or points at a person or a case: no name, survivor
/// code, free text, exact date or case id. Lists are sorted and distinct, so
/// equal cases give byte-identical records.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatRecord {
    /// Id derived from the case's secret seed (see the module docs).
    pub statistics_id: StatisticsId,
    /// Larger for newer states of the case; the server keeps the record with
    /// the largest revision.
    pub revision: u64,
    /// Commune or ward of the survivor's residence (code).
    pub commune: String,
    /// Year the incident was reported (detected).
    pub year: u16,
    /// Month (1–12) the incident was reported (detected).
    pub month: u8,
    /// Violence type.
    pub violence_type: ViolenceType,
    /// Contexts that apply, sorted and distinct.
    pub contexts: Vec<ContextFlag>,
    /// Survivor's sex.
    pub sex: Sex,
    /// Survivor's age band at the incident.
    pub age_band: AgeBand,
    /// Survivor's ethnic group, if recorded.
    pub ethnic_group: Option<EthnicGroup>,
    /// Survivor lives with a disability, if recorded.
    pub disability: Option<bool>,
    /// Survivor is a migrant worker, if recorded.
    pub migrant_worker: Option<bool>,
    /// Survivor is a student, if recorded.
    pub student: Option<bool>,
    /// Services delivered at least once, by type, sorted and distinct.
    pub services_delivered: Vec<ServiceType>,
    /// Services declined and never delivered, by type, sorted and distinct.
    pub services_declined: Vec<ServiceType>,
    /// Days from incident to report, as a band.
    pub reporting_delay: ReportingDelayBand,
    /// At least one referral was made.
    pub referral_made: bool,
    /// A safe shelter was used (the safe shelter service was delivered).
    pub shelter_used: bool,
    /// The case's referrals through the referral pathway, sorted.
    #[serde(default)]
    pub referrals: Vec<ReferralStat>,
    /// Days from detection to the first service delivered (of any kind), at
    /// most [`MAX_DAYS_TO_SERVICE`]; `None` until one is.
    #[serde(default)]
    pub days_to_first_service: Option<u16>,
}

impl StatRecord {
    /// The compact binary encoding (version byte + postcard).
    pub fn encode(&self) -> Vec<u8> {
        let mut out = vec![STAT_FORMAT_VERSION];
        // Serialising plain data into a Vec cannot fail.
        out.extend(postcard::to_allocvec(self).unwrap_or_default());
        out
    }

    /// Decodes [`StatRecord::encode`]'s output, and records of the first
    /// format (which end before the fields version 2 added: postcard writes
    /// fields in order, so appending those fields' empty values makes a
    /// version 2 body).
    pub fn decode(bytes: &[u8]) -> Result<Self> {
        let undecodable = |_| Error::Encoding("statistical record does not decode".into());
        match bytes.split_first() {
            Some((&STAT_FORMAT_VERSION, body)) => postcard::from_bytes(body).map_err(undecodable),
            Some((&STAT_FORMAT_V1, body)) => {
                let mut body = body.to_vec();
                let added: (Vec<ReferralStat>, Option<u16>) = (Vec::new(), None);
                body.extend(postcard::to_allocvec(&added).unwrap_or_default());
                postcard::from_bytes(&body).map_err(undecodable)
            }
            Some((v, _)) => Err(Error::Encoding(format!(
                "unknown statistical record format {v}"
            ))),
            None => Err(Error::Encoding("empty statistical record".into())),
        }
    }

    /// Checks what a server must check before storing a record: a known
    /// commune, a plausible year and month, sorted distinct lists, and a
    /// service both delivered and declined never.
    pub fn validate(&self) -> Result<()> {
        validate_commune("stat.commune", &self.commune)?;
        if !(2000..=2100).contains(&self.year) {
            return Err(Error::invalid(
                "stat.year",
                Rule::OutOfRange {
                    min: 2000,
                    max: 2100,
                },
            ));
        }
        if !(1..=12).contains(&self.month) {
            return Err(Error::invalid(
                "stat.month",
                Rule::OutOfRange { min: 1, max: 12 },
            ));
        }
        sorted_distinct("stat.contexts", &self.contexts)?;
        sorted_distinct("stat.services_delivered", &self.services_delivered)?;
        sorted_distinct("stat.services_declined", &self.services_declined)?;
        if self
            .services_declined
            .iter()
            .any(|s| self.services_delivered.contains(s))
        {
            return Err(Error::invalid("stat.services_declined", Rule::Contradicts));
        }
        if self.shelter_used != self.services_delivered.contains(&ServiceType::SafeShelter) {
            return Err(Error::invalid("stat.shelter_used", Rule::Contradicts));
        }
        if !self.referrals.windows(2).all(|w| w[0] <= w[1]) {
            return Err(Error::invalid("stat.referrals", Rule::NotOrdered));
        }
        if self.referrals.iter().any(|r| {
            r.outcome == ReferralStatus::Sent && r.answered_in_time.is_some()
                || r.outcome.is_answered()
                    && r.outcome != ReferralStatus::Withdrawn
                    && r.answered_in_time.is_none()
        }) {
            return Err(Error::invalid("stat.referrals", Rule::Contradicts));
        }
        match self.days_to_first_service {
            Some(days) if days > MAX_DAYS_TO_SERVICE => Err(Error::invalid(
                "stat.days_to_first_service",
                Rule::OutOfRange {
                    min: 0,
                    max: u64::from(MAX_DAYS_TO_SERVICE),
                },
            )),
            Some(_) if self.services_delivered.is_empty() => Err(Error::invalid(
                "stat.days_to_first_service",
                Rule::Contradicts,
            )),
            _ => Ok(()),
        }
    }

    /// Whether at least one service was delivered.
    pub fn any_service_delivered(&self) -> bool {
        !self.services_delivered.is_empty()
    }
}

fn sorted_distinct<T: Ord>(field: &str, list: &[T]) -> Result<()> {
    if list.windows(2).all(|w| w[0] < w[1]) {
        Ok(())
    } else {
        Err(Error::invalid(field, Rule::NotOrdered))
    }
}

/// Deletes the record with this id on the server, unless it holds a newer
/// revision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Withdrawal {
    /// The record to delete.
    pub statistics_id: StatisticsId,
    /// Revision of the withdrawal; the server keeps it as a tombstone so that
    /// an older record arriving late is refused.
    pub revision: u64,
}

/// What a device sends the server about one case's statistics.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StatUpdate {
    /// Store, or replace if newer, this record.
    Record(StatRecord),
    /// Consent was withdrawn: delete the record.
    Withdraw(Withdrawal),
}

impl StatUpdate {
    /// The record's id.
    pub fn statistics_id(&self) -> StatisticsId {
        match self {
            Self::Record(r) => r.statistics_id,
            Self::Withdraw(w) => w.statistics_id,
        }
    }

    /// The revision it carries.
    pub fn revision(&self) -> u64 {
        match self {
            Self::Record(r) => r.revision,
            Self::Withdraw(w) => w.revision,
        }
    }
}
