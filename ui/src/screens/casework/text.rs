//! The texts of case work and of the case's detail sections, in Vietnamese
//! and English (terms from `GLOSSARY.md`: dịch vụ hỗ trợ, chuyển gửi, sự
//! đồng ý, theo dõi, đóng hồ sơ / mở lại hồ sơ).

use super::{WorkField, WorkKind};
use crate::text::{pick, vi_en};
use binhan_core::model::Lang;

impl WorkKind {
    /// The form's title (also the label of the action that opens it).
    pub(crate) fn title(self, lang: Lang) -> String {
        match self {
            WorkKind::Service => pick(
                lang,
                "Ghi nhận dịch vụ hoặc chuyển gửi",
                "Record a service or referral",
            ),
            WorkKind::Referral => pick(
                lang,
                "Chuyển gửi đến đơn vị cung cấp dịch vụ",
                "Refer to a service provider",
            ),
            WorkKind::FollowUp => pick(lang, "Ghi nhận lần theo dõi", "Record a follow-up"),
            WorkKind::Note => pick(lang, "Thêm ghi chú", "Add a note"),
            WorkKind::Supplement => pick(
                lang,
                "Bổ sung thông tin cho đơn vị",
                "Answer the organisation's question",
            ),
            WorkKind::Transfer => pick(
                lang,
                "Chuyển hồ sơ sang xã khác",
                "Transfer to another commune",
            ),
            WorkKind::SchoolStep => pick(
                lang,
                "Ghi nhận bước của quy trình tại trường học",
                "Record a step of the school procedure",
            ),
            WorkKind::Close => pick(lang, "Đóng hồ sơ", "Close the case"),
            WorkKind::Reopen => pick(lang, "Mở lại hồ sơ", "Reopen the case"),
        }
    }

    /// The save button.
    pub(crate) fn save(self, lang: Lang) -> String {
        match self {
            WorkKind::Close => pick(lang, "Đóng hồ sơ", "Close the case"),
            WorkKind::Reopen => pick(lang, "Mở lại hồ sơ", "Reopen the case"),
            WorkKind::Referral => pick(lang, "Gửi chuyển gửi", "Send the referral"),
            WorkKind::Supplement => pick(lang, "Gửi bổ sung", "Send the answer"),
            WorkKind::Transfer => pick(lang, "Chuyển hồ sơ", "Transfer the case"),
            _ => pick(lang, "Lưu", "Save"),
        }
    }

    /// What is said once it is saved, with its code.
    pub(crate) fn saved(self, lang: Lang) -> (&'static str, String) {
        match self {
            WorkKind::Service => (
                "service_saved",
                pick(lang, "Đã ghi nhận dịch vụ", "Service recorded"),
            ),
            WorkKind::Referral => (
                "referral_sent",
                pick(
                    lang,
                    "Đã ghi nhận chuyển gửi; được gửi đến đơn vị ở lần đồng bộ tới",
                    "Referral recorded; it goes to the organisation with the next sync",
                ),
            ),
            WorkKind::FollowUp => (
                "follow_up_saved",
                pick(lang, "Đã ghi nhận lần theo dõi", "Follow-up recorded"),
            ),
            WorkKind::Note => ("note_saved", pick(lang, "Đã thêm ghi chú", "Note added")),
            WorkKind::SchoolStep => (
                "school_step_saved",
                pick(lang, "Đã ghi nhận bước của quy trình", "Procedure step recorded"),
            ),
            WorkKind::Transfer => (
                "case_transferred",
                pick(
                    lang,
                    "Đã chuyển hồ sơ; cán bộ phụ trách xã mới nhận hồ sơ ở lần đồng bộ tới",
                    "Case transferred; the new commune's case managers receive it with the next sync",
                ),
            ),
            WorkKind::Supplement => (
                "supplement_sent",
                pick(
                    lang,
                    "Đã ghi nhận phần bổ sung; được gửi đến đơn vị ở lần đồng bộ tới",
                    "Answer recorded; it goes to the organisation with the next sync",
                ),
            ),
            WorkKind::Close => ("case_closed", pick(lang, "Đã đóng hồ sơ", "Case closed")),
            WorkKind::Reopen => (
                "case_reopened",
                pick(lang, "Đã mở lại hồ sơ", "Case reopened"),
            ),
        }
    }
}

impl WorkField {
    /// Its label on a form of `kind`.
    pub(crate) fn label(self, kind: WorkKind, lang: Lang) -> String {
        let (vi, en) = match self {
            WorkField::Service => ("Dịch vụ hỗ trợ", "Support service"),
            WorkField::Outcome => ("Kết quả", "Outcome"),
            WorkField::Date => match kind {
                WorkKind::FollowUp => ("Ngày theo dõi", "Day of the follow-up"),
                _ => ("Ngày", "Day"),
            },
            WorkField::Provider => (
                "Đơn vị cung cấp dịch vụ hoặc nơi chuyển gửi",
                "Service provider, or where it is referred",
            ),
            WorkField::Consent if kind == WorkKind::Transfer => (
                "Người bị bạo lực đồng ý chuyển hồ sơ sang xã này",
                "The survivor agrees to the case moving to this commune",
            ),
            WorkField::Consent => (
                "Người bị bạo lực đồng ý chuyển gửi đến đơn vị này cho dịch vụ này",
                "The survivor agrees to this referral, for this service and provider",
            ),
            WorkField::ConsentGivenBy => ("Người đưa ra sự đồng ý", "Consent given by"),
            WorkField::NextDate => ("Ngày theo dõi tiếp theo", "Day of the next follow-up"),
            WorkField::Note => match kind {
                WorkKind::Note => ("Ghi chú", "Note"),
                WorkKind::Supplement => ("Trả lời đơn vị", "Answer to the organisation"),
                _ => ("Ghi chú (không bắt buộc)", "Note (optional)"),
            },
            WorkField::ClosureReason => ("Lý do đóng hồ sơ", "Why the case is closed"),
            WorkField::Checklist => ("Trước khi đóng hồ sơ, xác nhận", "Before closing, confirm"),
            WorkField::Reason => ("Lý do mở lại", "Why it is reopened"),
            WorkField::Organisation => ("Đơn vị nhận chuyển gửi", "Organisation referred to"),
            WorkField::Commune => (
                "Xã, phường nơi người bị bạo lực chuyển đến",
                "Commune the survivor moved to",
            ),
            WorkField::Step => ("Bước đã thực hiện", "Step taken"),
            WorkField::Urgency => ("Mức độ khẩn cấp", "How soon"),
            WorkField::Ask => ("Đề nghị đơn vị hỗ trợ gì", "What is asked of them"),
            WorkField::Due => (
                "Hạn trả lời (không bắt buộc)",
                "Answer wanted by (optional)",
            ),
            WorkField::Shared => (
                "Người bị bạo lực đồng ý gửi thêm",
                "The survivor chose to add",
            ),
        };
        pick(lang, vi, en)
    }

    /// A help line on a form of `kind`, if any.
    pub(crate) fn help(self, kind: WorkKind, lang: Lang) -> Option<String> {
        let (vi, en) = match self {
            WorkField::Consent if kind == WorkKind::Transfer => (
                "Chưa có sự đồng ý nào được ghi nhận cho việc chuyển hồ sơ sang xã này. Hỏi người bị bạo lực trước; câu trả lời được ghi vào hồ sơ.",
                "No consent is recorded for moving the case to this commune. Ask the survivor first; the answer is recorded on the case.",
            ),
            WorkField::Step => (
                "Chỉ các bước làm được lúc này: phát hiện, báo cáo hiệu trưởng, thông báo gia đình (trừ khi gây nguy hiểm cho trẻ; khi đó ghi lý do), chuyển gửi, theo dõi",
                "Only the steps possible now: detection, report to the principal, informing the family (unless it puts the child at risk; then write why), referral, follow-up",
            ),
            WorkField::Commune => (
                "Cán bộ phụ trách của xã mới nhận hồ sơ ở lần đồng bộ tới; cán bộ của xã này thôi theo dõi hồ sơ.",
                "The new commune's case managers receive the case with the next sync; this commune's stop following it.",
            ),
            WorkField::Provider => (
                "Ví dụ: Trạm y tế xã, Trung tâm trợ giúp pháp lý",
                "For example: the commune health station, the legal aid centre",
            ),
            WorkField::Consent => (
                "Chưa có sự đồng ý nào được ghi nhận cho dịch vụ và đơn vị này. Hỏi người bị bạo lực trước khi chuyển gửi; câu trả lời được ghi vào hồ sơ.",
                "No consent is recorded for this service and provider. Ask the survivor before referring; the answer is recorded on the case.",
            ),
            WorkField::Note => (
                "Chỉ ghi điều cần cho việc hỗ trợ",
                "Write only what the support needs",
            ),
            WorkField::Organisation => (
                "Các đơn vị trong danh bạ dịch vụ của tỉnh phục vụ xã của người bị bạo lực. Danh bạ được cập nhật khi đồng bộ.",
                "Organisations of the province's service directory that serve the survivor's commune. The directory comes with sync.",
            ),
            WorkField::Ask => (
                "Không ghi họ tên hay chi tiết nhận dạng: những gì được gửi có ở phần xem trước bên dưới",
                "No names or identifying details: what is sent is previewed below",
            ),
            WorkField::Due => (
                "Để trống: theo mức độ khẩn cấp (trong ngày, 3 ngày, 2 tuần)",
                "Empty: as the urgency says (the same day, three days, two weeks)",
            ),
            WorkField::Shared => (
                "Chỉ chọn những gì người bị bạo lực đồng ý chia sẻ với đơn vị này",
                "Choose only what the survivor agreed to share with this organisation",
            ),
            _ => return None,
        };
        Some(pick(lang, vi, en))
    }
}

/// The label of a closure checklist item.
pub(crate) fn checklist_item(code: &str, lang: Lang) -> String {
    let (vi, en) = match code {
        "needs_met_or_declined" => (
            "Các nhu cầu đã được đáp ứng, hoặc người bị bạo lực đã từ chối",
            "Needs are met, or the survivor declined them",
        ),
        "safety_reviewed" => ("Đã rà soát sự an toàn", "Safety has been reviewed"),
        "survivor_informed_can_return" => (
            "Người bị bạo lực biết có thể quay lại bất cứ lúc nào",
            "The survivor knows they can come back at any time",
        ),
        "service_outcomes_recorded" => (
            "Đã ghi nhận kết quả của mọi dịch vụ",
            "Every service's outcome is recorded",
        ),
        "supervisor_reviewed" => (
            "Cán bộ phụ trách đã xem xét",
            "The case manager has reviewed it",
        ),
        _ => (code, code),
    };
    pick(lang, vi, en)
}

/// Labels of the case's detail sections and their entries.
#[derive(Debug, Clone)]
pub(crate) enum D {
    Services,
    NoServices,
    FollowUps,
    NoFollowUps,
    Notes,
    NoNotes,
    Placement,
    Timeline,
    EarlierEntries(usize),
    NextOn(String),
    ToCorrect(usize),
    Recorded,
    SurvivorChanged,
    IncidentChanged,
    RiskAssessed(String),
    SafetyPlanSet,
    SafetyPlanCleared,
    NextFollowUpSet(String),
    NextFollowUpCleared,
    ConsentAgreed(String),
    ConsentRefused(String),
    Service(String),
    FollowUpOn(String),
    NoteAdded,
    Closed(String),
    Reopened(String),
    Placed(String),
    Referred(String),
    Transferred(String),
    School,
    NoSchoolSteps,
    SchoolStepDone(String),
    Referrals,
    NoReferrals,
    ReferralSent(String),
    AnswerBy(String),
    AnswerOverdue(String),
}

impl D {
    pub(crate) fn get(&self, lang: Lang) -> String {
        match self {
            D::Services => pick(lang, "Dịch vụ và chuyển gửi", "Services and referrals"),
            D::NoServices => pick(lang, "Chưa ghi nhận dịch vụ nào", "No service recorded yet"),
            D::FollowUps => pick(lang, "Theo dõi", "Follow-ups"),
            D::NoFollowUps => pick(lang, "Chưa có lần theo dõi nào", "No follow-up yet"),
            D::Notes => pick(lang, "Ghi chú", "Notes"),
            D::NoNotes => pick(lang, "Chưa có ghi chú", "No note yet"),
            D::Placement => pick(lang, "Nơi tạm lánh", "Safe shelter"),
            D::Referrals => pick(
                lang,
                "Chuyển gửi đến đơn vị cung cấp dịch vụ",
                "Referrals to service providers",
            ),
            D::NoReferrals => pick(
                lang,
                "Chưa chuyển gửi đến đơn vị nào",
                "Not referred to any organisation yet",
            ),
            D::School => pick(lang, "Quy trình tại trường học", "School procedure"),
            D::NoSchoolSteps => pick(lang, "Chưa ghi nhận bước nào", "No step recorded yet"),
            D::SchoolStepDone(step) => vi_en(
                lang,
                format!("Quy trình tại trường: {step}"),
                format!("School procedure: {step}"),
            ),
            D::Transferred(commune) => vi_en(
                lang,
                format!("Chuyển hồ sơ đến {commune}"),
                format!("Transferred to {commune}"),
            ),
            D::ReferralSent(day) => {
                vi_en(lang, format!("Gửi ngày {day}"), format!("Sent on {day}"))
            }
            D::AnswerBy(day) => vi_en(
                lang,
                format!("Cần trả lời trước {day}"),
                format!("Answer wanted by {day}"),
            ),
            D::AnswerOverdue(day) => vi_en(
                lang,
                format!("Quá hạn phản hồi (hạn {day})"),
                format!("Overdue for an answer (due {day})"),
            ),
            D::Timeline => pick(lang, "Diễn biến hồ sơ", "Case history"),
            D::EarlierEntries(n) => vi_en(
                lang,
                format!("và {n} mục trước đó"),
                format!("and {n} earlier entries"),
            ),
            D::NextOn(day) => vi_en(
                lang,
                format!("Theo dõi tiếp: {day}"),
                format!("Next follow-up: {day}"),
            ),
            D::ToCorrect(n) => vi_en(
                lang,
                format!("Còn {n} mục cần sửa"),
                format!("{n} answers to correct"),
            ),
            D::Recorded => pick(lang, "Ghi nhận vụ việc", "Incident recorded"),
            D::SurvivorChanged => pick(
                lang,
                "Sửa thông tin người bị bạo lực",
                "Survivor details changed",
            ),
            D::IncidentChanged => pick(lang, "Sửa thông tin vụ việc", "Incident details changed"),
            D::RiskAssessed(level) => vi_en(
                lang,
                format!("Đánh giá nguy cơ: {level}"),
                format!("Risk assessed: {level}"),
            ),
            D::SafetyPlanSet => pick(lang, "Cập nhật kế hoạch an toàn", "Safety plan updated"),
            D::SafetyPlanCleared => pick(lang, "Bỏ kế hoạch an toàn", "Safety plan removed"),
            D::NextFollowUpSet(day) => vi_en(
                lang,
                format!("Hẹn theo dõi ngày {day}"),
                format!("Follow-up planned for {day}"),
            ),
            D::NextFollowUpCleared => pick(lang, "Bỏ lịch theo dõi", "Follow-up unplanned"),
            D::ConsentAgreed(scope) => vi_en(
                lang,
                format!("Đồng ý: {scope}"),
                format!("Consent given: {scope}"),
            ),
            D::ConsentRefused(scope) => vi_en(
                lang,
                format!("Không đồng ý: {scope}"),
                format!("Consent refused: {scope}"),
            ),
            D::Service(what) => vi_en(lang, format!("Dịch vụ: {what}"), format!("Service: {what}")),
            D::FollowUpOn(day) => vi_en(
                lang,
                format!("Theo dõi ngày {day}"),
                format!("Follow-up on {day}"),
            ),
            D::NoteAdded => pick(lang, "Thêm ghi chú", "Note added"),
            D::Closed(reason) => vi_en(
                lang,
                format!("Đóng hồ sơ: {reason}"),
                format!("Case closed: {reason}"),
            ),
            D::Reopened(reason) => vi_en(
                lang,
                format!("Mở lại hồ sơ: {reason}"),
                format!("Case reopened: {reason}"),
            ),
            D::Placed(what) => vi_en(
                lang,
                format!("Nơi tạm lánh: {what}"),
                format!("Safe shelter: {what}"),
            ),
            D::Referred(what) => vi_en(
                lang,
                format!("Chuyển gửi: {what}"),
                format!("Referral: {what}"),
            ),
        }
    }
}
