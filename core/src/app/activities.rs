//! Communication activities on the phone: a commune case manager, a
//! collaborator or a school counselor records them offline; the next sync
//! sends them to the province (`crate::sync` `push_activities`).

use super::Vault;
use crate::stats::activity::CommunicationActivity;
use crate::stats::registry::ProgrammeRegistries;
use crate::sync::{keep_activity, recorded_activities, RecordedActivity};
use crate::{Error, Result};

impl Vault {
    /// Records (or corrects, by its id) a communication activity of this
    /// device's commune, checked as of today; the next sync sends it.
    pub fn record_activity(&self, activity: CommunicationActivity) -> Result<()> {
        let enrolment = self.enrolment()?.ok_or(Error::NotEnrolled)?;
        activity.validate(self.today())?;
        ProgrammeRegistries {
            communication_activities: vec![activity.clone()],
            ..Default::default()
        }
        .check_commune_scope(enrolment.role, &enrolment.commune)
        .map_err(Error::NotAllowed)?;
        self.with_store(|store| keep_activity(store, activity))
    }

    /// The communication activities recorded on this device, newest day
    /// first, each with whether the server has it.
    pub fn communication_activities(&self) -> Result<Vec<RecordedActivity>> {
        self.with_store(recorded_activities)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::tests::{new_app, PIN};
    use crate::error::Refusal;
    use crate::model::Role;
    use crate::stats::activity::tests::meeting;
    use crate::sync::ActivitySending;

    #[test]
    fn recorded_offline_kept_locked_away_and_corrected_by_id() {
        let (dir, app) = new_app();
        let mut activity = meeting();
        assert!(matches!(
            app.record_activity(activity.clone()),
            Err(Error::NotEnrolled)
        ));
        app.enrol_offline(Role::Collaborator, "mu_ca").unwrap();
        activity.date = app.today().min(activity.date);
        activity.campaign = crate::stats::activity::Campaign::Routine;
        app.record_activity(activity.clone()).unwrap();
        activity.topic = "Corrected topic (synthetic)".into();
        app.record_activity(activity.clone()).unwrap();
        app.lock();
        let app = Vault::open(dir.path(), crate::app::tests::test_config()).unwrap();
        app.unlock(PIN).unwrap();
        let kept = app.communication_activities().unwrap();
        assert_eq!(kept.len(), 1);
        assert_eq!(kept[0].activity, activity);
        assert_eq!(kept[0].sending, ActivitySending::Pending);
    }

    #[test]
    fn other_communes_bad_fields_and_hosts_are_refused_and_nothing_is_kept() {
        let (_dir, app) = new_app();
        app.enrol_offline(Role::SchoolCounselor, "pa_u").unwrap();
        let mut activity = meeting();
        activity.date = app.today().min(activity.date);
        activity.campaign = crate::stats::activity::Campaign::Routine;
        assert!(matches!(
            app.record_activity(activity.clone()),
            Err(Error::NotAllowed(Refusal::ActivityOfOtherCommune))
        ));
        activity.commune = "pa_u".into();
        let mut empty = activity.clone();
        empty.topic.clear();
        assert!(matches!(
            app.record_activity(empty),
            Err(Error::Invalid { ref field, .. }) if field == "activity.topic"
        ));
        app.enrol_offline(Role::ShelterHost, "pa_u").unwrap();
        assert!(matches!(
            app.record_activity(activity),
            Err(Error::NotAllowed(Refusal::OnlyCommunicationActivities))
        ));
        assert!(app.communication_activities().unwrap().is_empty());
    }
}
