//! Random identifiers of shelters, placement requests and shelter mail,
//! declared with the crate's one id macro ([`crate::model::random_id!`]).
//! Like the case ids they carry no meaning and may travel and be stored in
//! the clear.

use crate::model::random_id;

random_id!(
    /// Identifies a shelter in the provincial directory.
    ShelterId,
    "shelter_id",
    random,
    derived
);
random_id!(
    /// Identifies a placement request, from the collaborator's request to
    /// the departure. The host never learns which case it belongs to.
    RequestId,
    "request_id",
    random,
    derived
);
random_id!(
    /// Identifies a shelter message as it travels between devices (the
    /// idempotency key of the mailbox): derived from the sender and its
    /// outbox position, so sending again after a cut stores nothing twice.
    MailId,
    "mail_id",
    random,
    derived
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shelter_ids_round_trip_and_derive_stably() {
        let id = ShelterId::random();
        assert_eq!(id.to_string().parse::<ShelterId>().unwrap(), id);
        assert_eq!(ShelterId::derived("x"), ShelterId::derived("x"));
        assert_ne!(ShelterId::derived("x"), ShelterId::derived("y"));
        assert!("zz".parse::<RequestId>().is_err());
        let bin = postcard::to_allocvec(&id).unwrap();
        assert_eq!(postcard::from_bytes::<ShelterId>(&bin).unwrap(), id);
    }
}
