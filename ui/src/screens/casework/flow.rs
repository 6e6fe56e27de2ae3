//! What the case-work events do: open a form from a case's summary, change
//! a field, save (every action the form builds, in order), leave.

use super::{CaseFacts, WorkField, WorkForm, WorkKind};
use crate::core::{Inner, Route};
use crate::flows::kind;
use crate::format;
use crate::text::Why;
use binhan_core::app::Vault;
use binhan_core::cases::CaseDetail;
use binhan_core::model::{CaseId, CaseStatus};
use binhan_core::referrals::{ReferralId, ReferralStatus};
use binhan_core::{Error, Refusal};

/// What `form` needs to know of `case`: for a referral, also the
/// organisations of the signed directory that serve the survivor's
/// commune (read offline); for a supplement, the fields the referral may
/// still carry.
pub(crate) fn facts(vault: &Vault, form: &WorkForm, case: &CaseDetail) -> CaseFacts {
    let mut facts = CaseFacts::of(case);
    match form.kind {
        WorkKind::Referral => {
            let commune = Some(case.survivor.commune.clone());
            facts.with_organisations(
                vault
                    .service_organisations(commune, None)
                    .unwrap_or_default(),
            )
        }
        WorkKind::Supplement => {
            let sent = vault.sent_referrals().unwrap_or_default();
            if let Some(sent) = sent.iter().find(|r| Some(r.referral.id) == form.referral) {
                let carried: Vec<_> = sent.referral.facts.iter().map(|f| f.field()).collect();
                facts.may_add = binhan_core::referrals::optional_fields(sent.referral.service)
                    .into_iter()
                    .filter(|f| !carried.contains(f))
                    .collect();
            }
            facts
        }
        _ => facts,
    }
}

impl Inner {
    /// Opens the form `kind` for the case `id`, from that case's summary.
    pub(crate) fn work_open(&mut self, id: &str, kind: WorkKind) {
        let Ok(id) = id.parse::<CaseId>() else {
            return self.refuse(Why::CaseNotFound);
        };
        if *self.top() != (Route::CaseSummary { id }) {
            return self.refuse(Why::NotAvailableHere);
        }
        let Some(vault) = &self.vault else {
            return self.refuse(Why::NotAvailableHere);
        };
        let status = match vault.case(id) {
            Ok(case) => case.status,
            Err(Error::NotFound(_)) => return self.refuse(Why::CaseNotFound),
            Err(_) => return self.refuse(Why::CaseUnreadable),
        };
        match (status, kind) {
            (CaseStatus::Closed, k) if k.needs_open() => return self.refuse(Why::CaseClosed),
            (CaseStatus::Open, WorkKind::Reopen) => return self.refuse(Why::NotAvailableHere),
            _ => {}
        }
        let today = format::today(self.last_interaction_ms);
        self.work = Some(WorkForm::new(id, kind, today));
        self.stack.push(Route::CaseWork);
    }

    /// Opens the supplement form for a referral this phone sent and whose
    /// organisation asked for more, from its case's summary.
    pub(crate) fn supplement_open(&mut self, referral: &str) {
        let Some(vault) = &self.vault else {
            return self.refuse(Why::NotAvailableHere);
        };
        let sent = referral.parse::<ReferralId>().ok().and_then(|id| {
            let all = vault.sent_referrals().ok()?;
            all.into_iter().find(|r| r.referral.id == id)
        });
        let Some(sent) = sent else {
            return self.refuse_core(Refusal::NotReferralSender);
        };
        if *self.top() != (Route::CaseSummary { id: sent.case_id }) {
            return self.refuse(Why::NotAvailableHere);
        }
        if sent.status != ReferralStatus::MoreAsked {
            return self.refuse_core(Refusal::ReferralStepNotAllowed {
                from: sent.status,
                to: ReferralStatus::Sent,
            });
        }
        let today = format::today(self.last_interaction_ms);
        let mut form = WorkForm::new(sent.case_id, WorkKind::Supplement, today);
        form.referral = Some(sent.referral.id);
        self.work = Some(form);
        self.stack.push(Route::CaseWork);
    }

    fn work_change(&mut self, change: impl FnOnce(&mut WorkForm) -> bool) {
        let on_form = *self.top() == Route::CaseWork;
        let changed = match self.work.as_mut() {
            Some(form) if on_form => change(form),
            _ => false,
        };
        if !changed {
            self.refuse(Why::NotAvailableHere);
        }
    }

    pub(crate) fn work_set(&mut self, field: WorkField, value: &str) {
        self.work_change(|form| form.set(field, value));
    }

    pub(crate) fn work_toggle(&mut self, field: WorkField, code: &str) {
        self.work_change(|form| form.toggle(field, code));
    }

    /// Saves the form: every action it builds, in order. On success the
    /// form is forgotten and the case's summary shows again.
    pub(crate) fn work_save(&mut self, now: u64) {
        let (Some(vault), Some(form)) = (self.vault.clone(), self.work.clone()) else {
            return self.refuse(Why::NotAvailableHere);
        };
        let case = match vault.case(form.case) {
            Ok(case) => case,
            Err(Error::NotFound(_)) => return self.refuse(Why::CaseNotFound),
            Err(_) => return self.refuse(Why::CaseUnreadable),
        };
        let facts = facts(&vault, &form, &case);
        let Ok(actions) = form.check(&facts, format::today(now)) else {
            return self.refuse(Why::FormHasErrors);
        };
        let draft = form.referral_draft(&facts);
        let supplement = form
            .referral
            .filter(|_| form.kind == WorkKind::Supplement)
            .map(|id| {
                (
                    id,
                    form.shared(),
                    form.get(WorkField::Note).trim().to_string(),
                )
            });
        let results = actions
            .into_iter()
            .map(|action| vault.act(form.case, action).map(|_| ()))
            // Lazily: the referral is sent only once the consent it needs
            // is recorded.
            .chain(
                draft
                    .into_iter()
                    .map(|draft| vault.send_referral(form.case, draft).map(|_| ())),
            )
            .chain(
                supplement
                    .into_iter()
                    .map(|(id, chosen, note)| vault.supplement_referral(id, chosen, note)),
            );
        for result in results {
            if let Err(e) = result {
                return match e {
                    // The case changed under the form (closed on another
                    // phone, say): nothing of this action was written.
                    Error::NotAllowed(refusal) => self.refuse_core(refusal),
                    Error::Invalid { .. } => self.refuse(Why::ActionRefused),
                    e => {
                        tracing::warn!(error = kind(&e), "saving case work failed");
                        self.refuse(Why::StorageFailed)
                    }
                };
            }
        }
        self.work = None;
        if *self.top() == Route::CaseWork {
            self.stack.pop();
        }
        let (code, text) = form.kind.saved(self.lang);
        self.inform_text(code, text);
    }
}
