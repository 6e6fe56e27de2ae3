//! A school counselor's school, certified by whoever invited it: the
//! school's counselors share its cases with its commune's case managers
//! (see `team::needs_consent`), so which school a counselor belongs to is
//! decided by a signature back to the root, never by the server's word.
//!
//! The inviting phone signs the school with the invitation's grant key (the
//! one the invited device's certificate is bound with), so the server can
//! neither move a school to another counselor nor write one of its own.
//! All it can do is leave the school out: the counselor then shares no
//! case it did not create, which protects survivors rather than exposing
//! them.

use super::certificate::{DeviceCertificate, Grant};
use super::identity::{DeviceIdentity, DevicePublic};
use crate::model::validate::{name_key, required_text};
use crate::model::{DeviceId, Role};
use crate::{Error, Result};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Longest school name, in characters (as a survivor's school).
pub const MAX_SCHOOL_CHARS: usize = 120;

/// An inviter's word that the counselor invited with `grant_key` works at
/// `school`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SchoolGrant {
    /// The school, as the inviter wrote it.
    pub school: String,
    /// The grant key of the invitation (see [`Grant::grant_key`]).
    pub grant_key: [u8; 32],
    /// The inviter.
    pub issuer: DeviceId,
    /// The inviter's signature over the school and the grant key.
    pub signature: Vec<u8>,
}

impl SchoolGrant {
    fn message(school: &str, grant_key: &[u8; 32]) -> Vec<u8> {
        let mut m = b"binhan/school/v1".to_vec();
        m.extend(postcard::to_allocvec(&(school, grant_key)).unwrap_or_default());
        m
    }

    /// `issuer`'s word that the counselor it invites with `grant` works at
    /// `school`.
    pub fn issue(issuer: &DeviceIdentity, grant: &Grant, school: &str) -> Result<Self> {
        required_text("school", school, MAX_SCHOOL_CHARS)?;
        if grant.role != Role::SchoolCounselor || grant.issuer != issuer.device_id() {
            return Err(Error::invalid(
                "school",
                crate::error::Rule::OnlyForSchoolCounselor,
            ));
        }
        let school = school.split_whitespace().collect::<Vec<_>>().join(" ");
        Ok(Self {
            signature: issuer.sign(&Self::message(&school, &grant.grant_key)),
            school,
            grant_key: grant.grant_key,
            issuer: issuer.device_id(),
        })
    }

    /// Checks that this is the word of `issuer` (the keys of the issuer of
    /// `certificate`, from its checked certificate) about the counselor
    /// `certificate` certifies.
    pub fn check(&self, certificate: &DeviceCertificate, issuer: &DevicePublic) -> Result<()> {
        match &certificate.grant {
            Some(grant) => self.check_grant(grant, issuer),
            None => Err(tampered()),
        }
    }

    /// Checks that this is the word of `issuer` about the counselor it
    /// invites with `grant` (what the server can check when the invitation
    /// is registered).
    pub fn check_grant(&self, grant: &Grant, issuer: &DevicePublic) -> Result<()> {
        let bound = grant.role == Role::SchoolCounselor
            && grant.grant_key == self.grant_key
            && grant.issuer == self.issuer
            && issuer.device_id == self.issuer;
        if !bound || required_text("school", &self.school, MAX_SCHOOL_CHARS).is_err() {
            return Err(tampered());
        }
        issuer
            .verify(
                &Self::message(&self.school, &self.grant_key),
                &self.signature,
            )
            .map_err(|_| tampered())
    }

    /// Whether this is the school named `name`, as typed on any keyboard.
    pub fn is(&self, name: &str) -> bool {
        name_key(&self.school) == name_key(name)
    }
}

fn tampered() -> Error {
    Error::Tampered {
        record: "a counselor's school".into(),
    }
}

/// A directory record's school, read leniently: a record written before
/// schools were certified (it ends before this field) reads as one without
/// a school, and so does one whose school does not decode. Without its
/// school a counselor shares nothing more, so nothing is exposed by it.
pub(crate) mod trailing {
    use super::*;

    pub fn serialize<S: Serializer>(value: &Option<SchoolGrant>, s: S) -> Result<S::Ok, S::Error> {
        value.serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<SchoolGrant>, D::Error> {
        Ok(Option::<SchoolGrant>::deserialize(d).ok().flatten())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sync::certificate::InvitationSecret;

    fn counselor_grant(issuer: &DeviceIdentity, role: Role) -> (Grant, InvitationSecret) {
        let secret = InvitationSecret::from_code(&InvitationSecret::new_code());
        let grant = Grant::issue(issuer, [7; 32], &secret, role, "pa_u", 1 << 50);
        (grant, secret)
    }

    fn certificate(grant: Grant, secret: &InvitationSecret) -> DeviceCertificate {
        let device = DeviceIdentity::generate(DeviceId::random()).public();
        let binding = secret.bind(&device);
        DeviceCertificate::invited(device, grant, binding)
    }

    #[test]
    fn a_school_checks_only_for_the_counselor_its_inviter_named() {
        let manager = DeviceIdentity::generate(DeviceId::random());
        let (grant, secret) = counselor_grant(&manager, Role::SchoolCounselor);
        let school = SchoolGrant::issue(&manager, &grant, "Trường  THCS   Pa Ủ").unwrap();
        assert_eq!(school.school, "Trường THCS Pa Ủ");
        let counselor = certificate(grant, &secret);
        school.check(&counselor, &manager.public()).unwrap();
        assert!(school.is("trường thcs pa ủ"));
        assert!(!school.is("Trường THCS Mường Tè"));

        // Moved to another counselor of the same manager: refused.
        let (other_grant, other_secret) = counselor_grant(&manager, Role::SchoolCounselor);
        let other = certificate(other_grant, &other_secret);
        assert!(school.check(&other, &manager.public()).is_err());

        // Renamed by the server: refused.
        let mut renamed = school.clone();
        renamed.school = "Trường synthetic khác".into();
        assert!(renamed.check(&counselor, &manager.public()).is_err());

        // Signed by anyone but the inviter: refused.
        let stranger = DeviceIdentity::generate(DeviceId::random());
        let mut forged = school.clone();
        forged.issuer = stranger.device_id();
        forged.signature = stranger.sign(&SchoolGrant::message(&school.school, &school.grant_key));
        assert!(forged.check(&counselor, &stranger.public()).is_err());
        assert!(forged.check(&counselor, &manager.public()).is_err());
    }

    #[test]
    fn only_a_counselor_is_given_a_school() {
        let manager = DeviceIdentity::generate(DeviceId::random());
        let (grant, _) = counselor_grant(&manager, Role::Collaborator);
        assert!(SchoolGrant::issue(&manager, &grant, "Trường synthetic").is_err());
        let (grant, _) = counselor_grant(&manager, Role::SchoolCounselor);
        assert!(SchoolGrant::issue(&manager, &grant, "  ").is_err());
        let someone = DeviceIdentity::generate(DeviceId::random());
        assert!(SchoolGrant::issue(&someone, &grant, "Trường synthetic").is_err());
    }

    #[test]
    fn a_record_without_a_school_reads_as_one() {
        #[derive(Serialize, Deserialize, PartialEq, Debug)]
        struct Before {
            label: String,
        }
        #[derive(Serialize, Deserialize, PartialEq, Debug)]
        struct After {
            label: String,
            #[serde(with = "trailing")]
            school: Option<SchoolGrant>,
        }
        let old = postcard::to_allocvec(&Before { label: "x".into() }).unwrap();
        let read: After = postcard::from_bytes(&old).unwrap();
        assert_eq!(read.school, None);
        let manager = DeviceIdentity::generate(DeviceId::random());
        let (grant, _) = counselor_grant(&manager, Role::SchoolCounselor);
        let after = After {
            label: "x".into(),
            school: Some(SchoolGrant::issue(&manager, &grant, "Trường synthetic").unwrap()),
        };
        let read: After = postcard::from_bytes(&postcard::to_allocvec(&after).unwrap()).unwrap();
        assert_eq!(read, after);
    }
}
