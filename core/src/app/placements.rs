//! The placement features of [`Vault`]: hosting a shelter (free places,
//! requests, stays), asking a host for places for the people of a case, and
//! the shelter messages these exchange with other devices.

use super::Vault;
use crate::cases::CaseAction;
use crate::error::{Refusal, Rule};
use crate::model::{CaseId, DeviceId};
use crate::shelters::{
    AvailabilityUpdate, CancelRequest, DeclineReason, Freshness, HostStep, HostedShelter,
    MailMessage, OutboxEntry, Outgoing, Placement, PlacementNeeds, PlacementRequest,
    PlacementStatus, Received, Recipient, RequestId, SentPlacement, ShelterId, Stay,
    DEFAULT_MAX_AGE_HOURS,
};
use crate::{Error, Result};
use chrono::{DateTime, Duration, Utc};

impl Vault {
    // ----- the host's side -----

    /// Starts hosting `shelter` on this device with `free_places`. The
    /// directory must name this device as the shelter's host.
    pub fn host_shelter(&self, shelter: ShelterId, free_places: u16) -> Result<HostedShelter> {
        let directory = self.directory_or_error()?;
        let entry = directory
            .shelter(&shelter)
            .ok_or_else(|| Error::NotFound(format!("shelter {shelter}")))?;
        let me = self.device_id()?;
        if entry.host_device != Some(me) {
            return Err(Error::NotAllowed(Refusal::NotHost));
        }
        let now = self.now();
        self.update_desk(|desk| {
            let out = match desk.hosting.as_mut() {
                Some(host) if host.shelter == shelter => host.set_free_places(free_places, now)?,
                _ => {
                    let host = HostedShelter::new(entry, free_places, now)?;
                    let out = vec![host.announcement()];
                    desk.hosting = Some(host);
                    out
                }
            };
            desk.queue(out);
            desk.hosting
                .clone()
                .ok_or_else(|| Error::NotFound("hosted shelter".into()))
        })
    }

    /// The shelter this device hosts, with its requests and stays.
    pub fn hosted_shelter(&self) -> Result<Option<HostedShelter>> {
        Ok(self.desk()?.hosting)
    }

    fn host_action(
        &self,
        f: impl FnOnce(&mut HostedShelter, DateTime<Utc>) -> Result<Vec<Outgoing>>,
    ) -> Result<HostedShelter> {
        let now = self.now();
        self.update_desk(|desk| {
            let host = desk
                .hosting
                .as_mut()
                .ok_or_else(|| Error::NotAllowed(Refusal::HostsNoShelter))?;
            let out = f(host, now)?;
            let snapshot = host.clone();
            desk.queue(out);
            Ok(snapshot)
        })
    }

    /// The host confirms the number of free places.
    pub fn set_free_places(&self, free_places: u16) -> Result<HostedShelter> {
        self.host_action(|host, now| host.set_free_places(free_places, now))
    }

    /// Requests waiting for this host's decision, oldest first.
    pub fn placement_inbox(&self) -> Result<Vec<Stay>> {
        Ok(self
            .desk()?
            .hosting
            .map(|h| h.pending().into_iter().cloned().collect())
            .unwrap_or_default())
    }

    /// The host accepts a request (refused if its places are no longer
    /// free); other waiting requests that no longer fit are declined.
    pub fn accept_placement(&self, request: RequestId) -> Result<HostedShelter> {
        self.host_action(|host, now| host.accept(request, now))
    }

    /// The host declines a request.
    pub fn decline_placement(
        &self,
        request: RequestId,
        reason: DeclineReason,
    ) -> Result<HostedShelter> {
        self.host_action(|host, now| host.decline(request, reason, now))
    }

    /// The people of an accepted request arrived.
    pub fn record_arrival(&self, request: RequestId) -> Result<HostedShelter> {
        self.host_action(|host, now| host.arrive(request, now))
    }

    /// The people left; their places are free again.
    pub fn record_departure(&self, request: RequestId) -> Result<HostedShelter> {
        self.host_action(|host, now| host.depart(request, now))
    }

    /// Nobody came for an accepted request; its places are free again.
    pub fn record_no_show(&self, request: RequestId) -> Result<HostedShelter> {
        self.host_action(|host, now| host.no_show(request, now))
    }

    // ----- the collaborator's side -----

    /// Asks a shelter's host for places for the people of a case, recording
    /// the request on the case. The request carries only `needs`.
    pub fn request_placement(
        &self,
        case: CaseId,
        shelter: ShelterId,
        needs: PlacementNeeds,
    ) -> Result<RequestId> {
        needs.validate()?;
        let directory = self.directory_or_error()?;
        let entry = directory
            .shelter(&shelter)
            .ok_or_else(|| Error::NotFound(format!("shelter {shelter}")))?;
        if !entry.active {
            return Err(Error::NotAllowed(Refusal::ShelterInactive));
        }
        let host = entry
            .host_device
            .ok_or_else(|| Error::NotAllowed(Refusal::PhoneOnly))?;
        if !entry.accepts(needs.group) {
            return Err(Error::NotAllowed(Refusal::GroupNotAccepted));
        }
        // Sharing what a placement needs is for the survivor to agree to,
        // for this service and this shelter; the shells ask, core decides.
        if !self.case(case)?.consented(&entry.consent_scope()) {
            return Err(Error::NotAllowed(Refusal::ConsentMissing));
        }
        let now = self.now();
        let known = self.desk()?.availability.view(
            &shelter,
            now,
            Duration::hours(i64::from(DEFAULT_MAX_AGE_HOURS)),
        );
        if known.freshness == Freshness::Confirmed
            && known.free_places.unwrap_or(0) < u16::from(needs.people)
        {
            return Err(Error::NotAllowed(Refusal::TooFewPlaces {
                people: u16::from(needs.people),
                free: known.free_places.unwrap_or(0),
            }));
        }
        let request = PlacementRequest {
            request: RequestId::random(),
            shelter,
            needs,
            sent_at: now,
        };
        self.act(
            case,
            CaseAction::RecordPlacement(Placement {
                request: request.request,
                shelter,
                shelter_name: entry.name.clone(),
                status: PlacementStatus::Requested,
                people: request.needs.people,
                children: request.needs.children,
                on: self.today(),
                decline_reason: None,
            }),
        )?;
        let id = request.request;
        self.update_desk(|desk| {
            desk.requests.insert(
                id,
                SentPlacement {
                    request: request.clone(),
                    case_id: case,
                    host,
                    shelter_name: entry.name.clone(),
                    status: PlacementStatus::Requested,
                    decline_reason: None,
                    updated_at: now,
                },
            );
            desk.queue(vec![(
                Recipient::Device(host),
                MailMessage::Request(request),
            )]);
            Ok(())
        })?;
        Ok(id)
    }

    /// Placement requests this device sent, newest first.
    pub fn placement_requests(&self) -> Result<Vec<SentPlacement>> {
        let mut all: Vec<SentPlacement> = self.desk()?.requests.into_values().collect();
        all.sort_by_key(|r| std::cmp::Reverse(r.request.sent_at));
        Ok(all)
    }

    fn record_step(
        &self,
        sent: &SentPlacement,
        status: PlacementStatus,
        decline_reason: Option<DeclineReason>,
    ) -> Result<()> {
        let already = self
            .case(sent.case_id)?
            .placement
            .iter()
            .any(|p| p.value.request == sent.request.request && p.value.status == status);
        if already {
            return Ok(());
        }
        self.act(
            sent.case_id,
            CaseAction::RecordPlacement(Placement {
                request: sent.request.request,
                shelter: sent.request.shelter,
                shelter_name: sent.shelter_name.clone(),
                status,
                people: sent.request.needs.people,
                children: sent.request.needs.children,
                on: self.today(),
                decline_reason,
            }),
        )
        .map(|_| ())
    }

    /// Withdraws a request this device sent (the survivor chose otherwise),
    /// recording it on the case and telling the host.
    pub fn cancel_placement(&self, request: RequestId) -> Result<()> {
        let sent = self
            .desk()?
            .requests
            .get(&request)
            .cloned()
            .ok_or_else(|| Error::NotFound(format!("placement request {request}")))?;
        if !PlacementStatus::Cancelled.may_follow(sent.status) {
            return Err(Error::NotAllowed(Refusal::StepNotAllowed {
                from: sent.status,
                to: PlacementStatus::Cancelled,
            }));
        }
        self.record_step(&sent, PlacementStatus::Cancelled, None)?;
        let now = self.now();
        self.update_desk(|desk| {
            desk.set_status(request, PlacementStatus::Cancelled, None, now);
            desk.queue(vec![(
                Recipient::Device(sent.host),
                MailMessage::Cancel(CancelRequest {
                    request,
                    shelter: sent.request.shelter,
                    at: now,
                }),
            )]);
            Ok(())
        })
    }

    // ----- transport -----

    /// Messages waiting to be sent, oldest first. The sync layer sends them
    /// and then calls [`Vault::ack_shelter_outbox`].
    pub fn shelter_outbox(&self) -> Result<Vec<OutboxEntry>> {
        Ok(self.desk()?.outbox)
    }

    /// Forgets the outbox entries up to and including `seq` (sent).
    pub fn ack_shelter_outbox(&self, seq: u64) -> Result<()> {
        self.update_desk(|desk| {
            desk.ack(seq);
            Ok(())
        })
    }

    /// Applies a message that the enrolled device `from` sent (the sync
    /// layer vouches for the sender). Receiving a message twice changes
    /// nothing; answers to requests this device sent are recorded on their
    /// case.
    pub fn receive_mail(&self, from: DeviceId, message: MailMessage) -> Result<Received> {
        let now = self.now();
        match message {
            MailMessage::Request(request) => {
                let directory = self.directory_or_error()?;
                let shelter = directory
                    .shelter(&request.shelter)
                    .ok_or_else(|| Error::NotFound(format!("shelter {}", request.shelter)))?
                    .clone();
                self.update_desk(|desk| {
                    let host = desk
                        .hosting
                        .as_mut()
                        .ok_or_else(|| Error::NotAllowed(Refusal::HostsNoShelter))?;
                    let (received, out) = host.receive_request(from, request, &shelter, now)?;
                    desk.queue(out);
                    Ok(received)
                })
            }
            MailMessage::Cancel(cancel) => self.update_desk(|desk| {
                let host = desk
                    .hosting
                    .as_mut()
                    .filter(|h| h.shelter == cancel.shelter)
                    .ok_or_else(|| Error::NotAllowed(Refusal::NotHost))?;
                let (received, out) = host.receive_cancel(from, &cancel, now)?;
                desk.queue(out);
                Ok(received)
            }),
            MailMessage::Availability(update) => {
                let directory = self.directory_or_error()?;
                let shelter = directory
                    .shelter(&update.shelter)
                    .ok_or_else(|| Error::NotFound(format!("shelter {}", update.shelter)))?;
                if shelter.host_device != Some(from) {
                    return Err(Error::NotAllowed(Refusal::SenderNotHost));
                }
                if update.free_places > shelter.capacity {
                    return Err(Error::invalid(
                        "availability.free_places",
                        Rule::OverCapacity {
                            capacity: shelter.capacity,
                        },
                    ));
                }
                if update.confirmed_at > now + Duration::hours(1) {
                    return Err(Error::invalid("availability.confirmed_at", Rule::InFuture));
                }
                self.update_desk(|desk| {
                    Ok(if desk.availability.get(&update.shelter) == Some(&update) {
                        Received::Duplicate
                    } else if desk.availability.merge(update) {
                        Received::Applied
                    } else {
                        Received::Stale
                    })
                })
            }
            MailMessage::Referral(message) => self.receive_referral_message(from, message),
            MailMessage::Response(_) | MailMessage::Stay(_) => {
                let desk = self.desk()?;
                let step = desk.host_step(from, &message)?;
                let (shelter, free_places, at) = match &message {
                    MailMessage::Response(r) => (r.shelter, r.free_places, r.at),
                    MailMessage::Stay(s) => (s.shelter, s.free_places, s.at),
                    _ => return Err(Error::invalid("message", Rule::WrongMessage)),
                };
                let figure = AvailabilityUpdate {
                    shelter,
                    free_places,
                    confirmed_at: at.min(now),
                };
                let received = match step {
                    HostStep::Skip(received) => received,
                    HostStep::Record {
                        request,
                        status,
                        decline_reason,
                        ..
                    } => {
                        let sent = desk.requests.get(&request).ok_or_else(|| {
                            Error::NotFound(format!("placement request {request}"))
                        })?;
                        self.record_step(sent, status, decline_reason)?;
                        Received::Applied
                    }
                };
                self.update_desk(|desk| {
                    if let HostStep::Record {
                        request,
                        status,
                        decline_reason,
                        ..
                    } = step
                    {
                        desk.set_status(request, status, decline_reason, now);
                    }
                    desk.availability.merge(figure);
                    Ok(received)
                })
            }
        }
    }
}
