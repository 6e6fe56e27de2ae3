//! Referrals as the apps call them: a thin wrapper of the referral methods
//! of `binhan_core::app::Vault` (`core/src/app/referrals.rs`). Every type is
//! core's own (uniffi derived in core behind its `uniffi` feature). The
//! messages travel with `Vault.sync`, in the sealed mailbox.

use crate::error::Result;
use crate::vault::Vault;
use binhan_core::app::{OverdueReferral, ReferralDraft, ReferralPreview};
use binhan_core::model::{CaseId, ServiceType};
use binhan_core::referrals::{
    ProviderStep, ReceivedReferral, ReferralField, ReferralId, SentReferral, ServiceOrganisation,
};

#[uniffi::export]
impl Vault {
    /// The service directory's organisations, offline; only those serving
    /// `commune` and giving `service` when given.
    pub fn service_organisations(
        &self,
        commune: Option<String>,
        service: Option<ServiceType>,
    ) -> Result<Vec<ServiceOrganisation>> {
        Ok(self.app().service_organisations(commune, service)?)
    }

    /// Exactly what sending `draft` for the case would send.
    pub fn referral_preview(
        &self,
        case_id: CaseId,
        draft: ReferralDraft,
    ) -> Result<ReferralPreview> {
        Ok(self.app().referral_preview(case_id, &draft)?)
    }

    /// Sends a referral (refused without the survivor's consent for that
    /// organisation and service).
    pub fn send_referral(&self, case_id: CaseId, draft: ReferralDraft) -> Result<ReferralId> {
        Ok(self.app().send_referral(case_id, draft)?)
    }

    /// Referrals this phone sent, newest first.
    pub fn sent_referrals(&self) -> Result<Vec<SentReferral>> {
        Ok(self.app().sent_referrals()?)
    }

    /// Answers the provider's question with fields the survivor chose to
    /// share and a note.
    pub fn supplement_referral(
        &self,
        referral: ReferralId,
        chosen: Vec<ReferralField>,
        note: String,
    ) -> Result<()> {
        Ok(self.app().supplement_referral(referral, chosen, note)?)
    }

    /// Referrals past their due date without an answer, on the cases this
    /// phone holds.
    pub fn overdue_referrals(&self) -> Result<Vec<OverdueReferral>> {
        Ok(self.app().overdue_referrals()?)
    }

    /// A service provider's inbox on this phone.
    pub fn referral_inbox(&self) -> Result<Vec<ReceivedReferral>> {
        Ok(self.app().referral_inbox()?)
    }

    /// The provider answers a referral in its inbox.
    pub fn answer_referral(&self, referral: ReferralId, step: ProviderStep) -> Result<()> {
        Ok(self.app().answer_referral(referral, step)?)
    }
}
