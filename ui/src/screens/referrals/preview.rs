//! What a referral will send, as the sender sees it before sending: the
//! organisation, and exactly the case's fields core's preview computes
//! (the same computation as sending), each labelled; everything else of
//! the case stays on the phone.

use super::fact_line;
use super::text::L;
use crate::format;
use crate::view::LabelledValue;
use binhan_core::app::ReferralPreview;
use binhan_core::model::{Coded, Lang};
use serde::Serialize;

/// The preview under the referral form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ReferralPreviewView {
    /// "What Trạm Y tế … will receive".
    pub heading: String,
    /// The organisation's agency, hours and number.
    pub contact: String,
    /// The fields that go, each with its value.
    pub sent: Vec<LabelledValue>,
    /// That nothing else of the case goes.
    pub not_sent: String,
    /// "Answer wanted by 18/11/2026".
    pub due: String,
    /// Whether the survivor's consent is recorded, or that it is needed.
    pub consent: String,
}

/// The view of core's `preview`.
pub(crate) fn view(preview: &ReferralPreview, lang: Lang) -> ReferralPreviewView {
    let organisation = &preview.organisation;
    ReferralPreviewView {
        heading: L::PreviewHeading(organisation.name.clone()).get(lang),
        contact: [
            organisation.sector.label(lang).to_string(),
            organisation.hours.clone(),
            organisation.phone.clone(),
        ]
        .join(" · "),
        sent: preview.facts.iter().map(|f| fact_line(f, lang)).collect(),
        not_sent: L::NotSent.get(lang),
        due: L::Due(format::day(preview.due)).get(lang),
        consent: if preview.consented {
            L::Consented
        } else {
            L::ConsentNeeded
        }
        .get(lang),
    }
}
