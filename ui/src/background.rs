//! Enrolment and sync, which talk to the server and so run in the
//! background: `send` queues a [`Job`], [`crate::AppCore`] starts it on its
//! runtime once its lock is released, the job updates [`SyncState`] as it
//! goes and asks the shell to redraw (`Effect::Refresh`). A lock (quick
//! exit, background, idle) cancels what runs and forgets its state; a job
//! that ends after that changes nothing.

use crate::core::{lock, Inner};
use crate::effect::{Effect, Shell};
use crate::text::Why;
use binhan_core::app::{SyncOptions, Vault};
use binhan_core::model::{DeviceId, Role};
use binhan_core::sync::wire::{DeviceRecord, Invitation, INVALID_INVITATION};
use binhan_core::sync::{CancelFlag, Enrolment, SyncProgress};
use binhan_core::Error;
use std::sync::{Arc, Mutex};
use zeroize::Zeroizing;

/// HTTP 429.
const TOO_MANY_REQUESTS: u16 = 429;

/// Work that talks to the server.
#[derive(Debug)]
pub(crate) enum Job {
    /// Enrol with an invitation code.
    Enrol {
        server_url: String,
        code: Zeroizing<String>,
        label: String,
    },
    /// Push this device's changes and pull everyone else's; a road map
    /// update downloads if the network is unmetered or Wi-Fi only is off.
    Sync { unmetered: bool },
    /// Download the road map update waiting, on any network.
    DownloadRoads,
    /// Ask the server for an invitation code.
    Invite {
        role: Role,
        commune: String,
        /// A school counselor's school.
        school: Option<String>,
        hours: u32,
    },
    /// List the commune's devices.
    Devices,
    /// Revoke a device.
    Revoke { device: DeviceId },
    /// Sign and publish the shelter registry's draft (the officer).
    PublishRegistry,
    /// A request of the programme registries desk (run by its own module).
    Registries(crate::screens::registries::Job),
    /// Fetch the annual report of a year.
    Report { year: i32 },
}

/// What a job runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Activity {
    Enrol,
    Sync,
    Invite,
    Devices,
    Revoke,
    DownloadRoads,
    PublishRegistry,
    Report,
}

/// How a job ended well.
enum Done {
    Enrolled,
    Synced,
    Invited(Invitation),
    Devices(Vec<DeviceRecord>),
    Revoked,
    RoadsDownloaded,
    /// The registry's draft published as this version.
    Published(u64),
    /// Core refused to publish (nothing to publish, no key, another key).
    PublishRefused(binhan_core::Refusal),
    /// The upload failed (offline, the server refused): the draft is kept.
    PublishFailed(Why),
    Report(Box<crate::screens::report::Fetched>),
}

/// What is running now.
#[derive(Debug, Clone)]
pub(crate) struct Running {
    /// What runs.
    pub(crate) activity: Activity,
    /// The sync's phase and its progress, once it reported one.
    pub(crate) progress: Option<SyncProgress>,
    pub(crate) cancel: CancelFlag,
}

/// The enrolment form, as typed.
#[derive(Debug, Default)]
pub(crate) struct EnrolForm {
    pub(crate) server_url: String,
    pub(crate) code: Zeroizing<String>,
    pub(crate) label: String,
    /// Submitted at least once: from then on every error is shown.
    pub(crate) submitted: bool,
}

/// Enrolment and sync as the screens show them.
#[derive(Debug, Default)]
pub(crate) struct SyncState {
    pub(crate) form: EnrolForm,
    pub(crate) running: Option<Running>,
    /// The last invitation made (shown until the app locks).
    pub(crate) invitation: Option<Invitation>,
    /// The commune's devices, once listed.
    pub(crate) devices: Option<Vec<DeviceRecord>>,
    /// The device whose revocation waits for confirmation.
    pub(crate) revoke: Option<DeviceId>,
    /// Why the last run failed, if it did.
    pub(crate) last_error: Option<Why>,
    /// Whether the network the shell last reported is unmetered (false
    /// until it says so).
    pub(crate) unmetered: bool,
    /// Changes with every lock: a job started before it finds it changed
    /// and leaves the state alone.
    pub(crate) generation: u64,
}

impl SyncState {
    /// Cancels what runs and forgets everything (the app locked).
    pub(crate) fn forget(&mut self) {
        if let Some(running) = &self.running {
            running.cancel.cancel();
        }
        let generation = self.generation.wrapping_add(1);
        *self = SyncState {
            generation,
            ..SyncState::default()
        };
    }

    /// Starts `job` unless something runs already; false if it does.
    pub(crate) fn begin(&mut self, activity: Activity) -> bool {
        if self.running.is_some() {
            return false;
        }
        self.running = Some(Running {
            activity,
            progress: None,
            cancel: CancelFlag::default(),
        });
        self.last_error = None;
        true
    }
}

/// Why a run failed, as the person reads it: what happened and what to do.
pub(crate) fn why(error: &Error) -> Why {
    match error {
        Error::Network(_) => Why::SyncOffline,
        Error::Refused { code, .. } if code == INVALID_INVITATION => Why::InvitationRefused,
        Error::Refused {
            status: TOO_MANY_REQUESTS,
            ..
        } => Why::ServerBusy,
        Error::Refused { .. } => Why::ServerRefused,
        Error::NotEnrolled => Why::NotEnrolled,
        Error::Cancelled => Why::SyncCancelled,
        Error::Invalid { .. } => Why::BadServerAddress,
        Error::Tampered { .. } => Why::RoadMapRefused,
        _ => Why::StorageFailed,
    }
}

/// What a job needs of the app.
pub(crate) struct Background {
    pub(crate) inner: Arc<Mutex<Inner>>,
    pub(crate) shell: Arc<dyn Shell>,
}

impl Background {
    /// Runs `job` to its end (an enrolment is followed by a first sync),
    /// updating the state and asking for redraws.
    pub(crate) async fn run(self, job: Job) {
        let mut next = Some(job);
        while let Some(job) = next.take() {
            let job = match job {
                Job::Registries(job) => {
                    return crate::screens::registries::flow::run(self, job).await
                }
                job => job,
            };
            let (vault, generation, cancel) = {
                let inner = lock(&self.inner);
                let cancel = inner.sync.running.as_ref().map(|r| r.cancel.clone());
                (inner.vault.clone(), inner.sync.generation, cancel)
            };
            let (Some(vault), Some(cancel)) = (vault, cancel) else {
                return;
            };
            let outcome = match job {
                Job::Enrol {
                    server_url,
                    code,
                    label,
                } => vault
                    .enrol(&server_url, &code, &label)
                    .await
                    .map(|_| Done::Enrolled),
                Job::Invite {
                    role: _, // a school is given only to a counselor
                    commune,
                    school: Some(school),
                    hours,
                } => vault
                    .invite_counselor(&commune, &school, hours)
                    .await
                    .map(Done::Invited),
                Job::Invite {
                    role,
                    commune,
                    school: None,
                    hours,
                } => vault.invite(role, &commune, hours).await.map(Done::Invited),
                Job::Devices => vault.commune_devices().await.map(Done::Devices),
                Job::Revoke { device } => vault.revoke_device(device).await.map(|()| Done::Revoked),
                Job::PublishRegistry => match vault.publish_registry().await {
                    Ok(published) => Ok(Done::Published(published.version)),
                    Err(Error::NotAllowed(refusal)) => Ok(Done::PublishRefused(refusal)),
                    Err(e @ (Error::Revoked | Error::Erased)) => Err(e),
                    Err(e) => {
                        if !matches!(e, Error::Network(_)) {
                            tracing::warn!(error = crate::flows::kind(&e), "publishing failed");
                        }
                        Ok(Done::PublishFailed(why(&e)))
                    }
                },
                Job::Registries(_) => return,
                Job::Report { year } => crate::screens::report::fetch(&vault, year)
                    .await
                    .map(|f| Done::Report(Box::new(f))),
                Job::DownloadRoads => vault
                    .download_road_update()
                    .await
                    .map(|_| Done::RoadsDownloaded),
                Job::Sync { unmetered } => {
                    let inner = Arc::clone(&self.inner);
                    let shell = Arc::clone(&self.shell);
                    let progress = move |p: SyncProgress| {
                        {
                            let mut inner = lock(&inner);
                            if inner.sync.generation != generation {
                                return;
                            }
                            if let Some(running) = inner.sync.running.as_mut() {
                                running.progress = Some(p);
                            }
                        }
                        shell.effect(Effect::Refresh);
                    };
                    let options = SyncOptions { unmetered };
                    vault
                        .sync_with(options, &progress, &cancel)
                        .await
                        .map(|_| Done::Synced)
                }
            };
            {
                let mut inner = lock(&self.inner);
                if inner.sync.generation != generation {
                    return;
                }
                next = inner.finish(outcome);
            }
            self.shell.effect(Effect::Refresh);
        }
    }
}

impl Inner {
    /// Records how a run ended: a success (with the sync's counts), or why
    /// not; returns what runs next. A revoked device's vault is already
    /// erased: the app shows what a new install shows.
    fn finish(&mut self, outcome: Result<Done, Error>) -> Option<Job> {
        let activity = self.sync.running.take().map(|r| r.activity);
        match outcome {
            Ok(Done::Enrolled) => {
                self.sync.form = EnrolForm::default();
                if *self.top() == crate::core::Route::Enrol {
                    self.stack.pop();
                }
                // A new device syncs at once.
                let unmetered = self.sync.unmetered;
                self.sync
                    .begin(Activity::Sync)
                    .then_some(Job::Sync { unmetered })
            }
            Ok(Done::Synced) => {
                // What others sent may change any list, and a new directory
                // the commune's emergency numbers.
                self.listing = None;
                self.commune_numbers = Vault::emergency_contacts_at(&self.dir);
                None
            }
            Ok(Done::Invited(invitation)) => {
                self.sync.invitation = Some(invitation);
                None
            }
            Ok(Done::Devices(devices)) => {
                self.sync.devices = Some(devices);
                None
            }
            Ok(Done::Revoked) => {
                self.sync.revoke = None;
                self.inform("device_revoked", crate::text::T::DeviceRevoked);
                // The list shows it gone.
                self.sync.begin(Activity::Devices).then_some(Job::Devices)
            }
            Ok(Done::RoadsDownloaded) => None,
            Ok(Done::Published(version)) => {
                self.registry_published(version);
                None
            }
            Ok(Done::PublishRefused(refusal)) => {
                self.refuse_core(refusal);
                None
            }
            Ok(Done::PublishFailed(why)) => {
                self.registry.publish_error = Some(why);
                None
            }
            Ok(Done::Report(fetched)) => {
                self.report_fetched(Ok(*fetched));
                None
            }
            Err(Error::Revoked) | Err(Error::Erased) => {
                self.forget_everything();
                None
            }
            Err(e) if activity == Some(Activity::Report) => {
                let why = crate::screens::report::why(&e);
                if why != crate::screens::report::text::ReportWhy::Offline {
                    tracing::warn!(error = crate::flows::kind(&e), "the report failed");
                }
                self.report_fetched(Err(why));
                None
            }
            Err(e) => {
                if !matches!(e, Error::Network(_) | Error::Cancelled) {
                    tracing::warn!(error = crate::flows::kind(&e), "sync failed");
                }
                self.sync.last_error = Some(why(&e));
                None
            }
        }
    }
}

// What the enrolment and sync events do.
impl Inner {
    /// Types into the enrolment form.
    pub(crate) fn enrol_set(&mut self, field: crate::event::Field, value: &str) -> bool {
        use crate::event::Field;
        let form = &mut self.sync.form;
        let value: String = value.chars().take(200).collect();
        match field {
            Field::ServerUrl => form.server_url = value.trim().to_string(),
            Field::InvitationCode => form.code = Zeroizing::new(value.trim().to_string()),
            Field::DeviceLabel => form.label = value,
            _ => return false,
        }
        true
    }

    /// Submits the enrolment form: every error at once, else enrol in the
    /// background.
    pub(crate) fn enrol_submit(&mut self) {
        self.sync.form.submitted = true;
        if !crate::screens::sync::enrol_errors(&self.sync.form).is_empty() {
            return;
        }
        if !self.sync.begin(Activity::Enrol) {
            return self.refuse(Why::SyncRunning);
        }
        let form = &self.sync.form;
        self.jobs.push(Job::Enrol {
            server_url: form.server_url.clone(),
            code: form.code.clone(),
            label: form.label.trim().to_string(),
        });
    }

    fn enrolled(&self) -> bool {
        self.enrolment().is_some()
    }

    /// What this phone is enrolled as, if it is.
    pub(crate) fn enrolment(&self) -> Option<Enrolment> {
        self.vault
            .as_ref()
            .and_then(|v| v.enrolment().ok().flatten())
    }

    /// Asks the server for an invitation code for the role chosen, in this
    /// phone's commune.
    pub(crate) fn invite_submit(&mut self) {
        self.invite.submitted = true;
        let Some(role) = self.invite.role else {
            return;
        };
        let Some(enrolment) = self.enrolment() else {
            return self.refuse(Why::NotEnrolled);
        };
        if !enrolment.role.may_invite(role) {
            return self.refuse(Why::NotAvailableHere);
        }
        let Some(commune) = crate::screens::invite::invite_commune(
            &self.invite,
            enrolment.role,
            &enrolment.commune,
        ) else {
            return;
        };
        let school = crate::screens::invite::invite_school(&self.invite).map(str::to_string);
        if school.as_deref() == Some("") {
            return; // the form shows the school is required
        }
        if !self.sync.begin(Activity::Invite) {
            return self.refuse(Why::SyncRunning);
        }
        self.sync.invitation = None;
        self.jobs.push(Job::Invite {
            role,
            commune,
            school,
            hours: self.invite.hours,
        });
    }

    /// Opens the shell's QR scanner, on the enrolment form of a phone that
    /// has one.
    pub(crate) fn scan_code(&mut self) {
        if !self.scan_codes || *self.top() != crate::core::Route::Enrol {
            return self.refuse(Why::NotAvailableHere);
        }
        if self.sync.running.is_some() {
            return self.refuse(Why::SyncRunning);
        }
        self.effects.push(Effect::ScanCode);
    }

    /// Fills the enrolment form's server and code from a scanned invitation;
    /// anything else scanned changes nothing and says so.
    pub(crate) fn scanned(&mut self, text: &str) {
        if *self.top() != crate::core::Route::Enrol || self.sync.running.is_some() {
            return self.refuse(Why::NotAvailableHere);
        }
        match binhan_core::sync::InvitationLink::parse(text) {
            Ok(link) => {
                let form = &mut self.sync.form;
                form.server_url = link.server_url;
                form.code = Zeroizing::new(link.code);
                self.sync.last_error = None;
                self.notice(
                    crate::view::NoticeLevel::Info,
                    crate::view::Reason {
                        code: "invitation_scanned".into(),
                        text: crate::text::T::InvitationScanned.get(self.lang),
                    },
                );
            }
            Err(_) => self.refuse(Why::NotAnInvitation),
        }
    }

    /// Shares the last code (the phone's share sheet): the code and its
    /// expiry, nothing else.
    pub(crate) fn share_invitation(&mut self) {
        let Some(invitation) = &self.sync.invitation else {
            return self.refuse(Why::NotAvailableHere);
        };
        let expires = crate::format::instant(invitation.expires_at);
        let text = crate::screens::invite::share_text(&invitation.code, &expires, self.lang);
        self.effects.push(Effect::Share { text });
    }

    /// Opens the commune's devices and asks the server for them.
    pub(crate) fn devices_open(&mut self) {
        match self.enrolment() {
            Some(e) if e.role.may_invite(Role::Collaborator) => {}
            Some(_) => return self.refuse(Why::NotAvailableHere),
            None => return self.refuse(Why::NotEnrolled),
        }
        self.sync.revoke = None;
        if *self.top() != crate::core::Route::Devices {
            self.stack.push(crate::core::Route::Devices);
        }
        self.devices_refresh();
    }

    /// Asks the server for the commune's devices again.
    pub(crate) fn devices_refresh(&mut self) {
        if *self.top() != crate::core::Route::Devices {
            return self.refuse(Why::NotAvailableHere);
        }
        if !self.sync.begin(Activity::Devices) {
            return self.refuse(Why::SyncRunning);
        }
        self.jobs.push(Job::Devices);
    }

    /// Asks to confirm revoking a listed device this phone may revoke.
    pub(crate) fn revoke_ask(&mut self, device: &str) {
        let on_devices = *self.top() == crate::core::Route::Devices;
        let role = self.enrolment().map(|e| e.role);
        let listed = device.parse::<DeviceId>().ok().and_then(|id| {
            let devices = self.sync.devices.as_ref()?;
            let record = devices.iter().find(|d| d.public.device_id == id)?;
            Some((id, record.role))
        });
        let me = self.vault.as_ref().and_then(|v| v.device_id().ok());
        match (on_devices, role, listed) {
            (true, Some(role), Some((id, theirs)))
                if Some(id) != me && crate::screens::devices::may_revoke(role, theirs) =>
            {
                self.sync.revoke = Some(id)
            }
            _ => self.refuse(Why::NotAvailableHere),
        }
    }

    /// Revokes the device whose revocation was confirmed.
    pub(crate) fn revoke_confirm(&mut self) {
        let Some(device) = self
            .sync
            .revoke
            .filter(|_| *self.top() == crate::core::Route::Devices)
        else {
            return self.refuse(Why::NotAvailableHere);
        };
        if !self.sync.begin(Activity::Revoke) {
            return self.refuse(Why::SyncRunning);
        }
        self.jobs.push(Job::Revoke { device });
    }

    /// Sync now, from the sync screen or the home screen.
    pub(crate) fn sync_now(&mut self) {
        if !self.unlocked() || self.top().before_unlock() {
            return self.refuse(Why::NotAvailableHere);
        }
        if !self.enrolled() {
            return self.refuse(Why::NotEnrolled);
        }
        if !self.sync.begin(Activity::Sync) {
            return self.refuse(Why::SyncRunning);
        }
        self.jobs.push(Job::Sync {
            unmetered: self.sync.unmetered,
        });
    }

    /// The network came back (unmetered or not): sync quietly if it can.
    pub(crate) fn network_available(&mut self, unmetered: bool) {
        self.sync.unmetered = unmetered;
        if self.unlocked() && self.enrolled() && self.sync.begin(Activity::Sync) {
            self.jobs.push(Job::Sync { unmetered });
        }
    }

    /// The person's Wi-Fi-only choice for road map updates.
    pub(crate) fn set_roads_wifi_only(&mut self, wifi_only: bool) {
        let Some(vault) = self.vault.as_ref().filter(|_| self.unlocked()) else {
            return self.refuse(Why::NotAvailableHere);
        };
        if let Err(e) = vault.set_roads_wifi_only(wifi_only) {
            tracing::warn!(
                error = crate::flows::kind(&e),
                "the Wi-Fi-only choice was not kept"
            );
            self.refuse(Why::StorageFailed);
        }
    }

    /// Download the road map update now, on any network (the person chose
    /// to).
    pub(crate) fn download_roads(&mut self) {
        if !self.unlocked() || self.top().before_unlock() {
            return self.refuse(Why::NotAvailableHere);
        }
        if !self.enrolled() {
            return self.refuse(Why::NotEnrolled);
        }
        if !self.sync.begin(Activity::DownloadRoads) {
            return self.refuse(Why::SyncRunning);
        }
        self.jobs.push(Job::DownloadRoads);
    }
}
