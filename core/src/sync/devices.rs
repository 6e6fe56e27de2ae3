//! Other devices' directory records (role, commune, keys, standing), from
//! the device's cache or the server. A record counts only once its
//! certificate checks back to the province's root
//! ([`super::certificate`]): its role and commune are then the
//! certificate's, whatever the server says, and a record the server cannot
//! back with a certificate is left out, as if the device did not exist. A
//! record's revocation counts only once it checks the same way (signed by
//! a revoker certified under the root and allowed to revoke it,
//! [`super::revocation`]); one that does not is dropped. A device's keys
//! are pinned the first time they are seen.

use super::certificate::{check_chain, DeviceCertificate, MAX_CHAIN};
use super::engine::SyncContext;
use super::identity::DevicePublic;
use super::wire::{DeviceList, DeviceQuery, DeviceRecord};
use crate::model::{DeviceId, Role};
use crate::store::Store;
use crate::{Error, Result};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeSet, HashMap};

impl SyncContext<'_> {
    /// Certified directory records of `ids`, from the cache or the server.
    /// A key that changed for a known device is refused (keys are pinned).
    pub(crate) async fn devices(
        &self,
        ids: impl IntoIterator<Item = DeviceId>,
    ) -> Result<HashMap<DeviceId, DeviceRecord>> {
        let mut found = HashMap::new();
        let mut missing = Vec::new();
        for id in ids.into_iter().collect::<BTreeSet<_>>() {
            match cached(self.store, id)? {
                Some(record) if record.active => {
                    found.insert(id, record);
                }
                _ => missing.push(id),
            }
        }
        if !missing.is_empty() {
            found.extend(self.devices_fresh(&missing).await?);
        }
        Ok(found)
    }

    /// Certified directory records straight from the server (for
    /// revocation status).
    pub(super) async fn devices_fresh(
        &self,
        ids: &[DeviceId],
    ) -> Result<HashMap<DeviceId, DeviceRecord>> {
        let list = self.query_devices(ids.to_vec()).await?;
        Ok(self
            .certified(list.devices, list.chain)
            .await?
            .into_iter()
            .map(|r| (r.public.device_id, r))
            .collect())
    }

    /// The active devices of `commune` (with `role`, if given) that are
    /// certified as such; their keys are pinned as any other device's.
    pub(crate) async fn commune_devices(
        &self,
        commune: &str,
        role: Option<Role>,
    ) -> Result<Vec<DeviceRecord>> {
        let list: DeviceList = self
            .call(
                "/v1/devices/query",
                &DeviceQuery {
                    ids: vec![],
                    commune: Some(commune.to_string()),
                    role,
                },
            )
            .await?;
        Ok(self
            .certified(list.devices, list.chain)
            .await?
            .into_iter()
            .filter(|d| d.active && d.commune == commune && role.is_none_or(|r| d.role == r))
            .collect())
    }

    async fn query_devices(&self, ids: Vec<DeviceId>) -> Result<DeviceList> {
        let query = DeviceQuery {
            ids,
            ..DeviceQuery::default()
        };
        self.call("/v1/devices/query", &query).await
    }

    /// The records of `records` whose certificate checks back to the root,
    /// with the role and commune it certifies, each remembered; the rest
    /// are left out. The issuers' certificates come from the cache (checked
    /// when they were cached), else from those the server `offered` with
    /// the records, else from another question (checked here, as links of
    /// the chain).
    async fn certified(
        &self,
        records: Vec<DeviceRecord>,
        offered: Vec<DeviceCertificate>,
    ) -> Result<Vec<DeviceRecord>> {
        let root = super::auth::root(self.store)?;
        let mut offered: HashMap<DeviceId, DeviceCertificate> = offered
            .into_iter()
            .map(|c| (c.device.device_id, c))
            .collect();
        let mut issuers: HashMap<DeviceId, DeviceCertificate> = HashMap::new();
        // Issuers, and revokers with their issuers.
        let mut wanted: BTreeSet<DeviceId> = issuers_of(&records);
        wanted.extend(
            records
                .iter()
                .filter_map(|r| Some(r.revocation.as_ref()?.revoked_by)),
        );
        for _ in 0..MAX_CHAIN {
            let mut ask = Vec::new();
            for id in std::mem::take(&mut wanted) {
                if issuers.contains_key(&id) {
                    continue;
                }
                match cached(self.store, id)? {
                    Some(DeviceRecord {
                        certificate: Some(cert),
                        ..
                    }) => {
                        wanted.extend(cert.issuer());
                        issuers.insert(id, cert);
                    }
                    _ => match offered.remove(&id) {
                        Some(cert) => {
                            wanted.extend(cert.issuer());
                            issuers.insert(id, cert);
                        }
                        None => ask.push(id),
                    },
                }
            }
            if !ask.is_empty() {
                let fetched = self.query_devices(ask).await?;
                wanted.extend(issuers_of(&fetched.devices));
                offered.extend(fetched.chain.into_iter().map(|c| (c.device.device_id, c)));
                for record in fetched.devices {
                    if let Some(cert) = record.certificate {
                        issuers.insert(record.public.device_id, cert);
                    }
                }
            }
            if wanted.is_empty() {
                break;
            }
        }
        let chain: Vec<DeviceCertificate> = issuers.into_values().collect();
        let mut certified = Vec::new();
        for mut record in records {
            let Some(cert) = &record.certificate else {
                continue;
            };
            if cert.device != record.public || check_chain(cert, &chain, &root).is_err() {
                tracing::warn!(device = %record.public.device_id, "device without a valid certificate ignored");
                continue;
            }
            record.role = cert.role();
            record.commune = cert.commune().to_string();
            check_revocation(&mut record, &chain, &root);
            check_school(&mut record, &chain);
            self.remember_device(&mut record)?;
            certified.push(record);
        }
        Ok(certified)
    }

    /// Caches `record`. A revocation this device checked before stays,
    /// even if the server no longer shows it: a server cannot bring a
    /// revoked device back.
    fn remember_device(&self, record: &mut DeviceRecord) -> Result<()> {
        let id = record.public.device_id;
        if let Some(known) = cached(self.store, id)? {
            if known.public != record.public {
                return Err(Error::Tampered {
                    record: format!("keys of device {id} changed"),
                });
            }
            if record.revocation.is_none() && known.revocation.is_some() {
                tracing::warn!(device = %id, "the server no longer shows a revocation this device checked");
                record.active = false;
                record.revocation = known.revocation;
            }
        }
        self.store.put_device(id, record)
    }
}

/// Whether this device has checked a revocation of `id` (see
/// [`SyncContext::certified`]; it stays once checked).
pub(super) fn known_revoked(store: &Store, id: DeviceId) -> Result<bool> {
    Ok(cached(store, id)?.is_some_and(|r| r.revocation.is_some()))
}

/// Keeps a counselor's school only if it checks: signed by the issuer of
/// its certificate (in `chain`, checked) for the grant it was bound with.
fn check_school(record: &mut DeviceRecord, chain: &[DeviceCertificate]) {
    let Some(school) = record.school.take() else {
        return;
    };
    let checks = record.certificate.as_ref().is_some_and(|cert| {
        chain
            .iter()
            .find(|c| Some(c.device.device_id) == cert.issuer())
            .is_some_and(|issuer| school.check(cert, &issuer.device).is_ok())
    });
    if checks {
        record.school = Some(school);
    } else {
        tracing::warn!(device = %record.public.device_id, "a school that does not check was ignored");
    }
}

/// Keeps `record`'s revocation only if it checks: for this device, signed
/// by a revoker whose certificate (in `chain`) checks back to `root`, and
/// who may revoke the role and commune `record`'s certificate grants. A
/// record with one that checks is revoked, whatever the server says; one
/// the server lists as inactive without one stays so (no key is wrapped
/// to it: being cautious costs only availability).
fn check_revocation(record: &mut DeviceRecord, chain: &[DeviceCertificate], root: &[u8; 32]) {
    let Some(revocation) = record.revocation.take() else {
        return;
    };
    let revoker = chain
        .iter()
        .find(|c| c.device.device_id == revocation.revoked_by);
    let checks = revocation.device == record.public.device_id
        && revoker.is_some_and(|revoker| {
            revocation
                .check(record.role, &record.commune, revoker, chain, root)
                .is_ok()
        });
    if checks {
        record.active = false;
        record.revocation = Some(revocation);
    } else {
        tracing::warn!(device = %record.public.device_id, "a revocation that does not check was ignored");
    }
}

/// A directory record as devices cached it before revocations were
/// signed (no `revocation`).
#[derive(Serialize, Deserialize)]
struct RecordBeforeRevocations {
    public: DevicePublic,
    role: Role,
    commune: String,
    label: String,
    active: bool,
    certificate: Option<DeviceCertificate>,
}

/// The cached record of `id`, in either form: a record cached before
/// revocations were signed reads as one without a revocation (so its keys
/// stay pinned).
fn cached(store: &Store, id: DeviceId) -> Result<Option<DeviceRecord>> {
    match store.device::<DeviceRecord>(id) {
        Err(Error::Tampered { .. }) => {
            Ok(store
                .device::<RecordBeforeRevocations>(id)?
                .map(|r| DeviceRecord {
                    public: r.public,
                    role: r.role,
                    commune: r.commune,
                    label: r.label,
                    active: r.active,
                    certificate: r.certificate,
                    revocation: None,
                    school: None,
                }))
        }
        other => other,
    }
}

/// The issuers named by the certificates of `records`.
fn issuers_of(records: &[DeviceRecord]) -> BTreeSet<DeviceId> {
    records
        .iter()
        .filter_map(|r| r.certificate.as_ref()?.issuer())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::SecretKey;
    use crate::sync::{DeviceIdentity, Grant, InvitationSecret, Revocation};

    fn invite(
        issuer: &DeviceIdentity,
        root: [u8; 32],
        role: Role,
        commune: &str,
    ) -> (DeviceIdentity, DeviceCertificate) {
        let secret = InvitationSecret::from_code(&InvitationSecret::new_code());
        let grant = Grant::issue(issuer, root, &secret, role, commune, 1 << 50);
        let device = DeviceIdentity::generate(DeviceId::random());
        let binding = secret.bind(&device.public());
        let cert = DeviceCertificate::invited(device.public(), grant, binding);
        (device, cert)
    }

    /// In the directory, a device is revoked by a revocation that checks,
    /// whatever the server says; one that does not is dropped, and the
    /// record stays as active as the server lists it.
    #[test]
    fn a_record_is_revoked_only_by_a_revocation_that_checks() {
        let root = DeviceIdentity::generate(DeviceId::random());
        let key = root.public().sign_key;
        let (manager, manager_cert) = invite(&root, key, Role::CommuneCaseManager, "mu_ca");
        let (other, other_cert) = invite(&root, key, Role::CommuneCaseManager, "ban_bo");
        let (phone, phone_cert) = invite(&manager, key, Role::Collaborator, "mu_ca");
        let chain = [DeviceCertificate::root(&root), manager_cert, other_cert];
        let record = |revocation: Option<Revocation>, active: bool| DeviceRecord {
            public: phone.public(),
            role: Role::Collaborator,
            commune: "mu_ca".into(),
            label: "synthetic".into(),
            active,
            certificate: Some(phone_cert.clone()),
            revocation,
            school: None,
        };
        let id = phone.device_id();
        // The manager's, even if the server still lists it as active.
        let by_manager = Revocation::sign(&manager, id, 1);
        let mut revoked = record(Some(by_manager.clone()), true);
        check_revocation(&mut revoked, &chain, &key);
        assert_eq!(
            (revoked.active, revoked.revocation),
            (false, Some(by_manager))
        );
        // Another commune's manager's, or one naming another device.
        for forged in [
            Revocation::sign(&other, id, 1),
            Revocation::sign(&manager, DeviceId::random(), 1),
        ] {
            for active in [true, false] {
                let mut shown = record(Some(forged.clone()), active);
                check_revocation(&mut shown, &chain, &key);
                assert_eq!((shown.active, shown.revocation), (active, None));
            }
        }
    }

    /// A record cached before revocations were signed still reads, with its
    /// keys (pinned); a spoiled one is still refused.
    #[test]
    fn records_cached_before_revocations_still_read() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("store.db"), SecretKey::random()).unwrap();
        let public = DeviceIdentity::generate(DeviceId::random()).public();
        let old = RecordBeforeRevocations {
            public,
            role: Role::Collaborator,
            commune: "mu_ca".into(),
            label: "synthetic".into(),
            active: true,
            certificate: None,
        };
        store.put_device(public.device_id, &old).unwrap();
        let read = cached(&store, public.device_id).unwrap().unwrap();
        assert_eq!(
            (read.public, read.active, read.revocation),
            (public, true, None)
        );
        store.put_device(public.device_id, &7u8).unwrap();
        assert!(cached(&store, public.device_id).is_err());
        assert_eq!(cached(&store, DeviceId::random()).unwrap(), None);
    }
}
