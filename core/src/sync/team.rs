//! Case teams: who may read and write a case, epoch by epoch, and who may
//! change that. The same rules run on the device (before applying anything)
//! and on the server (before storing a team change).

use super::wire::{DeviceRecord, MAX_TEAM_MEMBERS};
use crate::error::Refusal;
use crate::events::CaseState;
use crate::model::{ConsentScope, DeviceId, Role, Survivor};
use crate::{Error, Result};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

/// One case's team change as the team rules ([`TeamState`])
/// see it, whether it came alone ([`super::wire::TeamEntry`]) or in a
/// [`super::wire::TeamPage`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TeamChange<'a> {
    /// The epoch it sets the members of.
    pub epoch: u32,
    /// Every member of that epoch.
    pub members: &'a [DeviceId],
    /// Who made it.
    pub signer: DeviceId,
}

/// A case's team as a device or the server knows it.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct TeamState {
    /// The device that created the case (first signer).
    pub creator: Option<DeviceId>,
    /// Members of every epoch seen.
    pub epochs: BTreeMap<u32, Vec<DeviceId>>,
    /// Sequence number covered by the last snapshot this device uploaded.
    pub snapshot_covers: u64,
    /// Events merged since that snapshot.
    pub events_since_snapshot: u32,
}

/// Whether `member` needs the survivor's recorded consent
/// ([`ConsentScope::TeamMember`]) to be on the team of the case `state`
/// created by `creator`: anyone but the creator, the case managers of the
/// survivor's commune and, on the case of a student that a counselor of the
/// student's school created, that school's counselors, as their certified
/// records in `directory` say (a member without a certified record needs
/// it too).
fn needs_consent(
    member: DeviceId,
    creator: Option<DeviceId>,
    directory: &HashMap<DeviceId, DeviceRecord>,
    survivor: &Survivor,
) -> bool {
    let commune = survivor.commune.as_str();
    let record = directory.get(&member);
    let manager_here =
        record.is_some_and(|r| r.role == Role::CommuneCaseManager && r.commune == commune);
    let school_case = creator
        .and_then(|c| directory.get(&c))
        .is_some_and(|c| counselor_of_student(c, survivor));
    let counselor_here = school_case && record.is_some_and(|r| counselor_of_student(r, survivor));
    creator != Some(member) && !manager_here && !counselor_here
}

/// Whether the device certified as `record` is a counselor of the school
/// of `survivor`, a student, in the survivor's commune.
pub(super) fn counselor_of_student(record: &DeviceRecord, survivor: &Survivor) -> bool {
    record.role == Role::SchoolCounselor
        && record.commune == survivor.commune
        && survivor.student == Some(true)
        && record
            .school
            .as_ref()
            .zip(survivor.school.as_deref())
            .is_some_and(|(certified, school)| certified.is(school))
}

/// Whether `member` would be on the team of the case `state` (created by
/// `creator`) without the consent it needs: never given, withdrawn, or in
/// conflict. `directory` holds the certified records of the member and of
/// the creator. The one check for the device that adds a member and for
/// every device that holds the case after a sync.
pub fn lacks_consent(
    member: DeviceId,
    creator: Option<DeviceId>,
    directory: &HashMap<DeviceId, DeviceRecord>,
    state: &CaseState,
) -> bool {
    lacks(member, creator, directory, &state.survivor(), state)
}

/// [`lacks_consent`], with the case's survivor read once for a whole team.
fn lacks(
    member: DeviceId,
    creator: Option<DeviceId>,
    directory: &HashMap<DeviceId, DeviceRecord>,
    survivor: &Survivor,
    state: &CaseState,
) -> bool {
    if survivor.commune.is_empty() {
        return false; // the case's first event is not here yet: nothing to judge by
    }
    let scope = ConsentScope::TeamMember {
        device: member,
        label: String::new(),
    };
    needs_consent(member, creator, directory, survivor) && !state.consent_granted(&scope)
}

/// The current members of a case's team who lack the consent they need
/// ([`lacks_consent`]), by the certified records of `directory` (the
/// members' and the creator's).
///
/// A case transferred to another commune is handed over, not dropped:
/// until a case manager of its new commune is on the team, the managers of
/// other communes keep it (the transferring manager's phone adds the new
/// commune's managers at its next sync that finds one enrolled).
pub fn members_without_consent(
    team: &TeamState,
    state: &CaseState,
    directory: &HashMap<DeviceId, DeviceRecord>,
) -> Vec<DeviceId> {
    let survivor = state.survivor();
    let commune = &survivor.commune;
    let manager = |m: &DeviceId, here: bool| {
        directory
            .get(m)
            .is_some_and(|r| r.role == Role::CommuneCaseManager && (&r.commune == commune) == here)
    };
    let handed_over = team.members().iter().any(|m| manager(m, true));
    team.members()
        .iter()
        .copied()
        .filter(|&m| lacks(m, team.creator, directory, &survivor, state))
        .filter(|m| handed_over || !manager(m, false))
        .collect()
}

/// Who may do what to a team.
fn may_change_team(state: &TeamState, signer: DeviceId, signer_role: Role) -> bool {
    state.creator == Some(signer) || signer_role.manages_commune()
}

impl TeamState {
    /// The current epoch, if the team exists.
    pub fn epoch(&self) -> Option<u32> {
        self.epochs.keys().next_back().copied()
    }

    /// Current members.
    pub fn members(&self) -> &[DeviceId] {
        self.epochs
            .values()
            .next_back()
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    /// Whether `device` was a member in `epoch`.
    pub fn was_member(&self, device: DeviceId, epoch: u32) -> bool {
        self.epochs.get(&epoch).is_some_and(|m| m.contains(&device))
    }

    /// Whether the team already reflects `entry`: its epoch is not ahead
    /// and its members were all members then. Such a change was applied
    /// before (a device pulling again from the start gets every change
    /// again); applying it again would change nothing, while the rules of
    /// [`Self::accept`] would refuse an older epoch's change.
    pub fn holds(&self, entry: TeamChange<'_>) -> bool {
        self.epoch().is_some_and(|current| entry.epoch <= current)
            && self
                .epochs
                .get(&entry.epoch)
                .is_some_and(|then| entry.members.iter().all(|m| then.contains(m)))
    }

    /// Checks a team change against the team as it stands (the entry's
    /// signature is checked separately) and applies it.
    ///
    /// - the first entry creates the team at epoch 0 and its signer, who must
    ///   be a member, becomes the creator;
    /// - later entries come from a current member who is the creator or a
    ///   commune case manager;
    /// - in the same epoch members can only be added (others keep the key);
    /// - removing anyone needs the next epoch, i.e. a new key;
    /// - a team has at most [`MAX_TEAM_MEMBERS`] members (checked first, so
    ///   an oversized entry costs nothing more).
    pub fn accept(&mut self, entry: TeamChange<'_>, signer_role: Role) -> Result<()> {
        let refuse = Error::NotAllowed;
        if entry.members.len() > MAX_TEAM_MEMBERS {
            return Err(refuse(Refusal::TeamMembersInvalid));
        }
        let mut unique = entry.members.to_vec();
        unique.sort();
        unique.dedup();
        if unique.len() != entry.members.len() || entry.members.is_empty() {
            return Err(refuse(Refusal::TeamMembersInvalid));
        }
        if !entry.members.contains(&entry.signer) && self.epochs.is_empty() {
            return Err(refuse(Refusal::TeamMembersInvalid));
        }
        match self.epoch() {
            None => {
                if entry.epoch != 0 {
                    return Err(refuse(Refusal::TeamEpochWrong));
                }
                self.creator = Some(entry.signer);
            }
            Some(current) => {
                if !self.members().contains(&entry.signer) {
                    return Err(refuse(Refusal::TeamSignerNotPermitted));
                }
                if !may_change_team(self, entry.signer, signer_role) {
                    return Err(refuse(Refusal::TeamSignerNotPermitted));
                }
                if entry.epoch == current {
                    // (`unique` is sorted: no comparison of every pair.)
                    if !self
                        .members()
                        .iter()
                        .all(|m| unique.binary_search(m).is_ok())
                    {
                        return Err(refuse(Refusal::TeamRemovalNeedsNewKey));
                    }
                } else if entry.epoch != current + 1 {
                    return Err(refuse(Refusal::TeamEpochWrong));
                }
            }
        }
        self.epochs.insert(entry.epoch, entry.members.to_vec());
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{CaseId, EventId};

    fn entry(epoch: u32, members: &[DeviceId], signer: DeviceId) -> TeamChange<'_> {
        TeamChange {
            epoch,
            members,
            signer,
        }
    }

    /// Four devices: creator, manager, collaborator, stranger.
    fn devices() -> [DeviceId; 4] {
        [1, 2, 3, 4].map(|n| DeviceId([n; 16]))
    }

    #[test]
    fn team_rules() {
        let [a, m, c, x] = devices();
        let mut team = TeamState::default();
        assert!(team.accept(entry(1, &[a], a), Role::Collaborator).is_err());
        assert!(team.accept(entry(0, &[m], a), Role::Collaborator).is_err());
        team.accept(entry(0, &[a, m], a), Role::Collaborator)
            .unwrap();
        assert_eq!(team.creator, Some(a));
        // A non-member cannot change it; a plain member who is not the creator cannot either.
        assert!(team
            .accept(entry(0, &[a, m, x], x), Role::CommuneCaseManager)
            .is_err());
        team.accept(entry(0, &[a, m, c], m), Role::CommuneCaseManager)
            .unwrap();
        assert!(team
            .accept(entry(0, &[a, m, c, x], c), Role::SchoolCounselor)
            .is_err());
        // Removal needs a new epoch.
        assert!(team
            .accept(entry(0, &[a, m], m), Role::CommuneCaseManager)
            .is_err());
        team.accept(entry(1, &[a, m], m), Role::CommuneCaseManager)
            .unwrap();
        assert!(team
            .accept(entry(3, &[a, m], m), Role::CommuneCaseManager)
            .is_err());
        assert!(team
            .accept(entry(0, &[a, m], m), Role::CommuneCaseManager)
            .is_err());
        assert!(team.was_member(c, 0));
        assert!(!team.was_member(c, 1));
        assert_eq!(team.members(), &[a, m]);
    }

    /// A team of [`MAX_TEAM_MEMBERS`] is accepted; one more member is
    /// refused, whether the team is new or grows in its epoch, and the team
    /// stays as it was.
    #[test]
    fn a_team_has_at_most_max_team_members() {
        let [a, ..] = devices();
        let others = |n: usize| (1..n).map(|_| DeviceId::random());
        let full: Vec<DeviceId> = std::iter::once(a).chain(others(MAX_TEAM_MEMBERS)).collect();
        let mut over = full.clone();
        over.push(DeviceId::random());

        let mut team = TeamState::default();
        let refused = team.accept(entry(0, &over, a), Role::Collaborator);
        assert!(matches!(
            refused,
            Err(Error::NotAllowed(Refusal::TeamMembersInvalid))
        ));
        assert_eq!(team, TeamState::default());

        team.accept(entry(0, &full, a), Role::Collaborator).unwrap();
        let before = team.clone();
        assert!(matches!(
            team.accept(entry(0, &over, a), Role::Collaborator),
            Err(Error::NotAllowed(Refusal::TeamMembersInvalid))
        ));
        assert_eq!(team, before);
    }

    /// Entries pulled again (from the start) are recognised as held; a
    /// change the team does not reflect yet is not.
    #[test]
    fn the_team_holds_the_entries_it_applied() {
        let [a, m, c, x] = devices();
        let (first, grown) = ([a, m], [a, m, c]);
        let history = [
            entry(0, &first, a),
            entry(0, &grown, m),
            entry(1, &first, m),
        ];
        let mut team = TeamState::default();
        assert!(!team.holds(history[0]));
        for e in &history {
            team.accept(*e, Role::CommuneCaseManager).unwrap();
        }
        for e in &history {
            assert!(team.holds(*e));
        }
        // Pulled again, the older epoch's entries would be refused as stale.
        assert!(team.clone().accept(history[0], Role::Collaborator).is_err());
        // Not held: a member added, the next epoch, a stranger in an old one.
        assert!(!team.holds(entry(1, &[a, m, x], m)));
        assert!(!team.holds(entry(2, &[a, m], m)));
        assert!(!team.holds(entry(0, &[a, x], a)));
    }

    /// A directory record certified as `role` of `commune` (keys unused).
    fn record(device: DeviceId, role: Role, commune: &str) -> DeviceRecord {
        use crate::sync::DevicePublic;
        DeviceRecord {
            public: DevicePublic {
                device_id: device,
                sign_key: [0; 32],
                exchange_key: [0; 32],
            },
            role,
            commune: commune.into(),
            label: "synthetic".into(),
            active: true,
            certificate: None,
            revocation: None,
            school: None,
        }
    }

    /// A counselor's record certified for `school` (signature unused: the
    /// records here are taken as checked).
    fn counselor(device: DeviceId, school: &str) -> DeviceRecord {
        DeviceRecord {
            school: Some(crate::sync::SchoolGrant {
                school: school.into(),
                grant_key: [0; 32],
                issuer: device,
                signature: vec![],
            }),
            ..record(device, Role::SchoolCounselor, "mu_ca")
        }
    }

    /// A case whose survivor is `survivor`, recorded by `author`.
    fn case_of(survivor: &crate::model::Survivor, author: DeviceId) -> CaseState {
        use crate::events::{Change, Event, Hlc};
        let mut state = CaseState::new(CaseId([1; 16]));
        let changes = crate::model::Survivor::default().changed_fields(survivor);
        state.apply(&Event {
            id: EventId::random(),
            case_id: CaseId([1; 16]),
            hlc: Hlc::from_wall_ms(1_000),
            author,
            changes: changes.into_iter().map(Change::Survivor).collect(),
        });
        state
    }

    /// A student's case a counselor of the student's school recorded is
    /// shared with the school's other counselors by right; no other
    /// counselor's, and no other case.
    #[test]
    fn a_schools_counselors_share_its_cases_without_consent() {
        use crate::model::Survivor;
        let [a, b, other_school, collaborator] = devices();
        let directory: HashMap<DeviceId, DeviceRecord> = [
            counselor(a, "Trường THCS synthetic"),
            counselor(b, "trường  thcs SYNTHETIC"),
            counselor(other_school, "Trường tiểu học synthetic"),
            record(collaborator, Role::Collaborator, "mu_ca"),
        ]
        .into_iter()
        .map(|r| (r.public.device_id, r))
        .collect();
        let student = Survivor {
            commune: "mu_ca".into(),
            student: Some(true),
            school: Some("Trường THCS synthetic".into()),
            ..Survivor::default()
        };
        let mut team = TeamState::default();
        team.accept(entry(0, &[a, b, other_school], a), Role::SchoolCounselor)
            .unwrap();
        let state = case_of(&student, a);
        assert_eq!(
            members_without_consent(&team, &state, &directory),
            [other_school]
        );

        // The same student's case recorded by a collaborator: the school
        // learns of it only with the survivor's consent.
        let mut by_collaborator = TeamState::default();
        by_collaborator
            .accept(
                entry(0, &[collaborator, a], collaborator),
                Role::Collaborator,
            )
            .unwrap();
        let state = case_of(&student, collaborator);
        assert_eq!(
            members_without_consent(&by_collaborator, &state, &directory),
            [a]
        );

        // Not a student of that school (another school, or another commune).
        for survivor in [
            Survivor {
                school: Some("Trường tiểu học synthetic".into()),
                ..student.clone()
            },
            Survivor {
                commune: "than_uyen".into(),
                ..student.clone()
            },
        ] {
            let state = case_of(&survivor, a);
            assert!(members_without_consent(&team, &state, &directory).contains(&b));
        }
    }

    /// The creator and the case managers of the survivor's commune are on
    /// a case's team by right; anyone else, a manager of another commune
    /// included, only while the survivor's consent to them stands.
    #[test]
    fn members_beyond_the_creator_and_the_communes_managers_need_consent() {
        use crate::events::{Change, Event, Hlc, MultiWrite};
        use crate::model::{Consent, ConsentGiver, Survivor};
        let [a, m, c, x] = devices();
        let directory: HashMap<DeviceId, DeviceRecord> = [
            record(m, Role::CommuneCaseManager, "mu_ca"),
            record(c, Role::Collaborator, "mu_ca"),
            record(x, Role::CommuneCaseManager, "than_uyen"),
        ]
        .into_iter()
        .map(|r| (r.public.device_id, r))
        .collect();
        let mut team = TeamState::default();
        team.accept(entry(0, &[a, m, c, x], a), Role::Collaborator)
            .unwrap();
        let case_id = CaseId([1; 16]);
        let survivor = Survivor {
            commune: "mu_ca".into(),
            ..Survivor::default()
        };
        let mut state = CaseState::new(case_id);
        let mut wall = 1_000;
        let mut write = |state: &mut CaseState, changes: Vec<Change>| {
            wall += 1;
            state.apply(&Event {
                id: EventId::random(),
                case_id,
                hlc: Hlc::from_wall_ms(wall),
                author: a,
                changes,
            });
        };
        let survivor_fields = Survivor::default().changed_fields(&survivor);
        write(
            &mut state,
            survivor_fields.into_iter().map(Change::Survivor).collect(),
        );
        assert_eq!(members_without_consent(&team, &state, &directory), [c, x]);

        let consent = |state: &CaseState, device: DeviceId, granted: bool| {
            let scope = ConsentScope::TeamMember {
                device,
                label: format!("synthetic label {granted}"),
            };
            Change::Consent(MultiWrite {
                supersedes: state.head_events(&scope.key()),
                value: Consent {
                    scope,
                    granted,
                    given_by: ConsentGiver::Survivor,
                },
            })
        };
        let granted = vec![consent(&state, c, true), consent(&state, x, true)];
        write(&mut state, granted);
        assert!(members_without_consent(&team, &state, &directory).is_empty());

        // Withdrawn (the label differs: the device is what counts).
        let withdrawn = vec![consent(&state, x, false)];
        write(&mut state, withdrawn);
        assert_eq!(members_without_consent(&team, &state, &directory), [x]);
    }
}
