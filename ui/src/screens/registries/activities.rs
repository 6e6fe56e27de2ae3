//! Communication activities on the registries desk: the form read into a
//! [`CommunicationActivity`] (every typed field's problem at once, then
//! core's own check, shown on the field it names), recorded in the vault
//! offline, and the tab's list: the activities recorded on this device,
//! with where their sending stands, merged by id with those the server
//! lists to managers and the officer.

use super::form::{order, text, EntryField, EntryForm, Problems, Spot};
use super::text::{self as t, L};
use super::view::RegistryRow;
use super::{RegistriesEvent, RegistryKind};
use crate::core::{Inner, Route};
use crate::text::Why;
use crate::view::Action;
use binhan_core::error::Rule;
use binhan_core::model::{Coded, Lang};
use binhan_core::stats::activity::{
    ActivityId, ActivityKind, Campaign, CommunicationActivity, Participants,
};
use binhan_core::stats::registry::ProgrammeRegistries;
use binhan_core::sync::{ActivitySending, RecordedActivity};
use binhan_core::{Error, Refusal};
use chrono::NaiveDate;

/// The activities recorded on this device, or why they cannot be read.
pub(crate) type Local = Result<Vec<RecordedActivity>, Why>;

/// The form's fields that core's check names (`activity.…`).
fn fields_of(core_field: &str) -> &'static [EntryField] {
    match core_field {
        "activity.date" => &[EntryField::Date],
        "activity.commune" => &[EntryField::Commune],
        "activity.village" => &[EntryField::Village],
        "activity.kind" => &[EntryField::ActivityKind],
        "activity.campaign" => &[EntryField::Campaign],
        "activity.topic" => &[EntryField::Title],
        "activity.materials" => &[EntryField::Materials],
        "activity.participants.women" => &[EntryField::Women],
        "activity.participants.men" => &[EntryField::Men],
        "activity.participants.girls" => &[EntryField::Girls],
        "activity.participants.boys" => &[EntryField::Boys],
        "activity.participants.ethnic_minority" => &[EntryField::EthnicMinority],
        // Nobody counted at a meeting: every count may fix it.
        "activity.participants" => &[
            EntryField::Women,
            EntryField::Men,
            EntryField::Girls,
            EntryField::Boys,
        ],
        // A rule of the whole activity: shown on its first field.
        _ => &[EntryField::Date],
    }
}

impl EntryForm {
    /// The form of an activity of the list, to correct it (its id is kept).
    pub(crate) fn activity_of(a: &CommunicationActivity) -> Self {
        let mut form = Self::new(RegistryKind::CommunicationActivities, None);
        let counts = [
            (EntryField::Women, a.participants.women),
            (EntryField::Men, a.participants.men),
            (EntryField::Girls, a.participants.girls),
            (EntryField::Boys, a.participants.boys),
            (EntryField::EthnicMinority, a.participants.ethnic_minority),
        ];
        let texts = [
            (EntryField::Date, a.date.to_string()),
            (EntryField::Commune, super::form::commune_text(&a.commune)),
            (EntryField::Village, a.village.clone()),
            (EntryField::ActivityKind, a.kind.code().to_string()),
            (EntryField::Campaign, a.campaign.code().to_string()),
            (EntryField::Title, a.topic.clone()),
            (EntryField::Materials, a.materials.clone()),
        ];
        form.values.extend(texts);
        form.values
            .extend(counts.map(|(field, n)| (field, n.to_string())));
        form.activity_id = Some(a.id);
        form.editing = true;
        form
    }

    /// The activity to record as of `today`, or every problem: first what
    /// was typed (blank, not a day, not a number, not in the list), then
    /// core's check of the activity, on the field it names. `scope`: this
    /// device's commune (`None`: the officer, any commune).
    pub(crate) fn activity(
        &self,
        scope: Option<&str>,
        today: NaiveDate,
    ) -> Result<CommunicationActivity, Problems> {
        let mut problems = Problems::new();
        let entry = Spot::Entry;
        let date = match crate::screens::intake::check::date(self.get(EntryField::Date)) {
            Ok(Some(day)) => Some(day),
            Ok(None) => {
                problems.push((entry(EntryField::Date), Rule::Empty));
                None
            }
            Err(_) => {
                problems.push((entry(EntryField::Date), Rule::BadFormat));
                None
            }
        };
        let commune = self.commune(false, scope, &mut problems);
        let kind = self.coded::<ActivityKind>(EntryField::ActivityKind, &mut problems);
        let campaign = self.coded::<Campaign>(EntryField::Campaign, &mut problems);
        let topic = text(
            entry(EntryField::Title),
            self.get(EntryField::Title),
            true,
            &mut problems,
        );
        let mut count = |field| self.count(field, &mut problems);
        let participants = Participants {
            women: count(EntryField::Women),
            men: count(EntryField::Men),
            girls: count(EntryField::Girls),
            boys: count(EntryField::Boys),
            ethnic_minority: count(EntryField::EthnicMinority),
        };
        let built = match (date, commune, kind, campaign, topic) {
            (Some(date), Some(commune), Some(kind), Some(campaign), Some(topic))
                if problems.is_empty() =>
            {
                let activity = CommunicationActivity {
                    id: self.activity_id.unwrap_or_else(ActivityId::random),
                    date,
                    commune,
                    village: self.get(EntryField::Village).trim().to_string(),
                    kind,
                    campaign,
                    topic,
                    participants,
                    materials: self.get(EntryField::Materials).trim().to_string(),
                };
                match activity.validate(today) {
                    Ok(()) => Some(activity),
                    Err(Error::Invalid { field, rule }) => {
                        for f in fields_of(&field) {
                            problems.push((entry(*f), rule.clone()));
                        }
                        None
                    }
                    Err(_) => {
                        problems.push((entry(EntryField::Date), Rule::BadFormat));
                        None
                    }
                }
            }
            _ => None,
        };
        problems.sort_by_key(|(spot, _)| order(self.kind, *spot));
        built.ok_or(problems)
    }

    /// A choice's value, by its code.
    fn coded<T: Coded>(&self, field: EntryField, problems: &mut Problems) -> Option<T> {
        let code = self.get(field).trim();
        let value = T::from_code(code);
        if value.is_none() {
            let rule = if code.is_empty() {
                Rule::Empty
            } else {
                Rule::NotInList
            };
            problems.push((Spot::Entry(field), rule));
        }
        value
    }

    /// A count of people (blank: nobody counted).
    fn count(&self, field: EntryField, problems: &mut Problems) -> u32 {
        let typed = self.get(field).trim();
        if typed.is_empty() {
            return 0;
        }
        typed.parse().unwrap_or_else(|_| {
            problems.push((Spot::Entry(field), Rule::BadFormat));
            0
        })
    }
}

/// Where an activity of the list stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Standing {
    /// Recorded on this device.
    Here(ActivitySending),
    /// Listed by the server (recorded on another device).
    OnServer,
}

/// The activities the tab lists, newest day first: this device's, and
/// those the server listed (a manager's: its commune's) that this device
/// does not hold unsent. One the server has wins over this device's sent
/// copy (the officer may have corrected it).
pub(crate) fn merged(
    local: &[RecordedActivity],
    listed: Option<&ProgrammeRegistries>,
    scope: Option<&str>,
) -> Vec<(CommunicationActivity, Standing)> {
    let server: Vec<&CommunicationActivity> = listed
        .map(|l| {
            l.communication_activities
                .iter()
                .filter(|a| scope.is_none_or(|c| a.commune == c))
                .collect()
        })
        .unwrap_or_default();
    let mut all: Vec<(CommunicationActivity, Standing)> = local
        .iter()
        .map(|r| {
            let newer = server
                .iter()
                .find(|a| a.id == r.activity.id)
                .filter(|_| r.sending == ActivitySending::Sent);
            (
                newer.map_or_else(|| r.activity.clone(), |a| (*a).clone()),
                Standing::Here(r.sending.clone()),
            )
        })
        .collect();
    for a in server {
        if !local.iter().any(|r| r.activity.id == a.id) {
            all.push((a.clone(), Standing::OnServer));
        }
    }
    all.sort_by_key(|(a, _)| std::cmp::Reverse(a.date));
    all
}

/// The server's refusals an activity can meet.
fn refusal(code: &str) -> Option<Refusal> {
    [
        Refusal::ActivityOfOtherCommune,
        Refusal::OnlyCommunicationActivities,
    ]
    .into_iter()
    .find(|r| r.code() == code)
}

/// "Chờ đồng bộ", "Đã gửi", "Bị từ chối: …".
fn standing_text(standing: &Standing, lang: Lang) -> String {
    match standing {
        Standing::Here(ActivitySending::Pending) => L::Pending.get(lang),
        Standing::Here(ActivitySending::Sent) => L::Sent.get(lang),
        Standing::Here(ActivitySending::Refused { code }) => {
            let why = refusal(code).map_or_else(
                || t::refused_code(code, lang),
                |r| crate::text::sentence(r.text(lang)),
            );
            t::refused(&why, lang)
        }
        Standing::OnServer => L::OnServer.get(lang),
    }
}

/// The tab's rows and the forms that correct them.
pub(crate) fn rows(
    local: &[RecordedActivity],
    listed: Option<&ProgrammeRegistries>,
    scope: Option<&str>,
    lang: Lang,
) -> Vec<(RegistryRow, EntryForm)> {
    merged(local, listed, scope)
        .into_iter()
        .enumerate()
        .map(|(i, (a, standing))| {
            let place = super::form::commune_text(&a.commune);
            let place = if a.village.trim().is_empty() {
                place
            } else {
                format!("{}, {place}", a.village.trim())
            };
            let row = RegistryRow {
                title: a.topic.clone(),
                subtitle: [
                    crate::format::day(a.date),
                    place,
                    a.kind.label(lang).to_string(),
                    a.campaign.label(lang).to_string(),
                    t::reached(a.participants.total(), lang),
                    standing_text(&standing, lang),
                ]
                .join(" · "),
                attendees: None,
                edit: Action::new(
                    L::Edit.get(lang),
                    crate::event::Event::Registries {
                        event: RegistriesEvent::EditEntry { index: i as u32 },
                    },
                ),
            };
            (row, EntryForm::activity_of(&a))
        })
        .collect()
}

impl Inner {
    /// The activities recorded on this device.
    pub(crate) fn recorded_activities(&self) -> Local {
        let vault = self.vault.as_ref().ok_or(Why::NotAvailableHere)?;
        vault.communication_activities().map_err(|e| {
            tracing::warn!(
                error = crate::flows::kind(&e),
                "the activities could not be read"
            );
            Why::StorageFailed
        })
    }

    /// Records `activity` in the vault (offline; the next sync sends it),
    /// closes the form and shows the activities' tab.
    pub(crate) fn record_activity(&mut self, activity: CommunicationActivity) {
        let Some(vault) = self.vault.clone() else {
            return self.refuse(Why::NotAvailableHere);
        };
        match vault.record_activity(activity) {
            Ok(()) => {
                self.registries.form = None;
                self.registries.tab = RegistryKind::CommunicationActivities;
                if *self.top() == Route::RegistryEntry {
                    self.stack.pop();
                }
                self.inform_text("activity_recorded", L::ActivityRecorded.get(self.lang));
            }
            Err(Error::NotAllowed(refusal)) => self.refuse_core(refusal),
            Err(Error::NotEnrolled) => self.refuse(Why::NotEnrolled),
            // The form's check holds core's: only the vault's bound on
            // activities kept unsent is met here.
            Err(Error::Invalid { rule, .. }) => {
                let reason = super::view::rule_reason(&rule, self.lang);
                self.notice(crate::view::NoticeLevel::Error, reason);
            }
            Err(Error::Erased) => self.forget_everything(),
            Err(e) => {
                tracing::warn!(
                    error = crate::flows::kind(&e),
                    "an activity could not be recorded"
                );
                self.refuse(Why::StorageFailed);
            }
        }
    }
}
