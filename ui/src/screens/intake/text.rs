//! The record-an-incident form's texts, in Vietnamese and English: step
//! titles, field labels and help, buttons, and the coded problems of a
//! field. Terms follow `GLOSSARY.md`; enumeration labels come from core.

use super::spec::{IntakeField, IntakeStep};
use crate::text::{pick, vi_en};
use crate::view::Reason;
use binhan_core::model::Lang;

impl IntakeStep {
    /// Its title.
    pub(crate) fn title(self, lang: Lang) -> String {
        match self {
            IntakeStep::Survivor => pick(lang, "Người bị bạo lực", "Survivor"),
            IntakeStep::Incident => pick(lang, "Vụ việc", "Incident"),
            IntakeStep::Perpetrators => pick(lang, "Người gây bạo lực", "Perpetrators"),
            IntakeStep::Risk => pick(lang, "Nguy cơ và kế hoạch an toàn", "Risk and safety plan"),
            IntakeStep::Consent => pick(lang, "Sự đồng ý", "Consent"),
            IntakeStep::Review => pick(lang, "Xem lại và lưu", "Review and save"),
        }
    }
}

impl IntakeField {
    /// Its label.
    pub(crate) fn label(self, lang: Lang) -> String {
        use IntakeField::*;
        let (vi, en) = match self {
            SurvivorCode => ("Mã người bị bạo lực", "Survivor code"),
            SurvivorName => ("Họ tên (không bắt buộc)", "Name (optional)"),
            Sex => ("Giới tính", "Sex"),
            DateOfBirth => ("Ngày sinh", "Date of birth"),
            AgeYears => (
                "Tuổi (nếu không rõ ngày sinh)",
                "Age (if the date of birth is not known)",
            ),
            AgeEstimated => (
                "Ngày sinh hoặc tuổi là ước tính",
                "The date of birth or age is an estimate",
            ),
            EthnicGroup => ("Dân tộc", "Ethnic group"),
            Disability => ("Người khuyết tật", "Lives with a disability"),
            MigrantWorker => ("Lao động di cư", "Migrant worker"),
            Student => ("Học sinh, sinh viên", "Student"),
            School => ("Trường", "School"),
            MaritalStatus => ("Tình trạng hôn nhân", "Marital status"),
            Commune => ("Xã, phường nơi ở", "Commune or ward of residence"),
            Village => ("Thôn, bản", "Village"),
            ContactMethod => ("Cách liên hệ an toàn", "Safe way to make contact"),
            ContactTime => ("Thời gian liên hệ an toàn", "Safe time to make contact"),
            ContactDetails => ("Thông tin liên hệ an toàn", "Safe contact details"),
            IncidentDate => ("Ngày xảy ra", "Date of the incident"),
            TimeOfDay => ("Thời điểm trong ngày", "Time of day"),
            PlaceType => ("Nơi xảy ra", "Type of place"),
            IncidentCommune => ("Xã, phường nơi xảy ra", "Commune or ward where it happened"),
            Account => (
                "Diễn biến, theo lời người bị bạo lực",
                "What happened, in the survivor's words",
            ),
            ViolenceType => ("Loại bạo lực", "Violence type"),
            Contexts => ("Hình thức bạo lực", "Contexts"),
            ReportedElsewhere => (
                "Đã báo cho nơi khác (công an, y tế, …)",
                "Already reported elsewhere (police, health, …)",
            ),
            PreviousIncidents => ("Đã từng xảy ra trước đây", "There were previous incidents"),
            ReportedOn => ("Ngày tiếp nhận", "Reported on"),
            PerpetratorSex => ("Giới tính", "Sex"),
            PerpetratorAgeGroup => ("Nhóm tuổi", "Age group"),
            PerpetratorRelationship => (
                "Quan hệ với người bị bạo lực",
                "Relationship to the survivor",
            ),
            RiskLevel => ("Mức độ nguy cơ", "Risk level"),
            RiskFactors => ("Yếu tố nguy cơ", "Risk factors"),
            SafePlace => (
                "Nơi an toàn để đến khi khẩn cấp",
                "Safe place to go in an emergency",
            ),
            TrustedPerson => (
                "Người tin cậy để gọi hoặc đến",
                "Trusted person to call or go to",
            ),
            WarningSignal => ("Tín hiệu báo nguy đã thống nhất", "Agreed warning signal"),
            SafetySteps => (
                "Các bước an toàn (mỗi dòng một bước)",
                "Safety steps (one per line)",
            ),
            StatisticsConsent => (
                "Đồng ý được thống kê (không nêu danh tính)",
                "Agrees to be counted in statistics (without identification)",
            ),
            ConsentGivenBy => ("Người đưa ra sự đồng ý", "Consent given by"),
            ConsentService => ("Dịch vụ", "Service"),
            ConsentRecipient => ("Đơn vị nhận thông tin", "Receiving agency"),
            ConsentGranted => ("Đồng ý chia sẻ", "Agrees to share"),
            NextFollowUp => ("Ngày theo dõi tiếp theo", "Next follow-up"),
        };
        pick(lang, vi, en)
    }

    /// A help line under it, if any.
    pub(crate) fn help(self, lang: Lang) -> Option<String> {
        use IntakeField::*;
        let (vi, en) = match self {
            SurvivorCode => (
                "Dùng mã thay cho tên: chữ cái không dấu, chữ số và - _ / .",
                "Use a code instead of a name: letters A–Z, digits and - _ / .",
            ),
            DateOfBirth | IncidentDate | ReportedOn | NextFollowUp => (
                "Ngày/tháng/năm, ví dụ 20/11/2026",
                "Day/month/year, e.g. 20/11/2026",
            ),
            Account => (
                "Chỉ ghi những gì cần để hỗ trợ; nội dung được mã hóa trên máy.",
                "Write only what is needed to help; it is encrypted on the phone.",
            ),
            ConsentRecipient => (
                "Ví dụ: Trạm y tế xã, Trung tâm trợ giúp pháp lý",
                "E.g. the commune health station, the legal aid centre",
            ),
            _ => return None,
        };
        Some(pick(lang, vi, en))
    }
}

/// A label of the form's screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum L {
    Title,
    StepOf { step: usize, of: usize },
    Next,
    SaveCase,
    AddPerpetrator,
    AddConsent,
    Remove,
    Edit,
    DiscardDraft,
    Yes,
    No,
    PerpetratorN(u32),
    ConsentN(u32),
    NoPerpetratorKnown,
    ProblemsIn,
    DraftResumed,
    DraftDiscarded,
    CaseSaved,
}

impl L {
    pub(crate) fn get(self, lang: Lang) -> String {
        match self {
            L::Title => pick(lang, "Ghi nhận vụ việc", "Record an incident"),
            L::StepOf { step, of } => match lang {
                Lang::Vi => format!("Bước {step}/{of}"),
                Lang::En => format!("Step {step} of {of}"),
            },
            L::Next => pick(lang, "Tiếp", "Next"),
            L::SaveCase => pick(lang, "Lưu hồ sơ", "Save the case"),
            L::AddPerpetrator => pick(lang, "Thêm người gây bạo lực", "Add a perpetrator"),
            L::AddConsent => pick(
                lang,
                "Thêm dịch vụ và đơn vị nhận",
                "Add a service and recipient",
            ),
            L::Remove => pick(lang, "Xóa dòng này", "Remove this row"),
            L::Edit => pick(lang, "Sửa", "Edit"),
            L::DiscardDraft => pick(lang, "Bỏ bản nháp", "Discard the draft"),
            L::Yes => pick(lang, "Có", "Yes"),
            L::No => pick(lang, "Không", "No"),
            L::PerpetratorN(n) => match lang {
                Lang::Vi => format!("Người gây bạo lực {n}"),
                Lang::En => format!("Perpetrator {n}"),
            },
            L::ConsentN(n) => match lang {
                Lang::Vi => format!("Dịch vụ {n}"),
                Lang::En => format!("Service {n}"),
            },
            L::NoPerpetratorKnown => pick(
                lang,
                "Không rõ người gây bạo lực: xóa hết các dòng.",
                "Perpetrator not known: remove every row.",
            ),
            L::ProblemsIn => pick(lang, "Cần sửa trước khi lưu", "To correct before saving"),
            L::DraftResumed => pick(
                lang,
                "Đang tiếp tục bản nháp chưa lưu",
                "Continuing the unsaved draft",
            ),
            L::DraftDiscarded => pick(lang, "Đã bỏ bản nháp", "Draft discarded"),
            L::CaseSaved => pick(lang, "Đã lưu hồ sơ trên máy", "Case saved on this phone"),
        }
    }
}

/// What is wrong with a field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Problem {
    Required,
    TooLong { max: usize },
    BadCode,
    BadDate,
    InFuture,
    BeforeIncident,
    BadNumber,
    AgeTooHigh,
    AgeDisagrees,
    UnknownChoice,
    RiskLevelNeeded,
    TooManySteps { max: usize },
    AdultConsentsHerself,
    CaregiverIsPerpetrator,
    DuplicateConsent,
    FollowUpInPast,
    BeforeFollowUp,
    ChecklistIncomplete { missing: usize },
    ReferralNeedsConsent,
    DueInPast,
    NotGivenHere,
    TransferNeedsConsent,
}

impl Problem {
    /// The stable code.
    pub(crate) fn code(self) -> &'static str {
        match self {
            Problem::Required => "required",
            Problem::TooLong { .. } => "too_long",
            Problem::BadCode => "bad_code",
            Problem::BadDate => "bad_date",
            Problem::InFuture => "in_future",
            Problem::BeforeIncident => "before_incident",
            Problem::BadNumber => "bad_number",
            Problem::AgeTooHigh => "age_too_high",
            Problem::AgeDisagrees => "age_disagrees_with_birth",
            Problem::UnknownChoice => "unknown_choice",
            Problem::RiskLevelNeeded => "risk_level_needed",
            Problem::TooManySteps { .. } => "too_many_steps",
            Problem::AdultConsentsHerself => "adult_consents_herself",
            Problem::CaregiverIsPerpetrator => "caregiver_is_perpetrator",
            Problem::DuplicateConsent => "duplicate_consent",
            Problem::FollowUpInPast => "follow_up_in_past",
            Problem::BeforeFollowUp => "before_follow_up",
            Problem::ChecklistIncomplete { .. } => "checklist_incomplete",
            Problem::ReferralNeedsConsent => "referral_needs_consent",
            Problem::DueInPast => "due_in_past",
            Problem::NotGivenHere => "not_given_here",
            Problem::TransferNeedsConsent => "transfer_needs_consent",
        }
    }

    /// The text in `lang`.
    pub(crate) fn text(self, lang: Lang) -> String {
        let vi_en = |vi, en| vi_en(lang, vi, en);
        match self {
            Problem::Required => pick(lang, "Cần điền mục này", "This is required"),
            Problem::TooLong { max } => vi_en(
                format!("Dài quá, tối đa {max} ký tự"),
                format!("Too long: at most {max} characters"),
            ),
            Problem::BadCode => pick(
                lang,
                "Chỉ dùng chữ cái không dấu, chữ số và - _ / .",
                "Use only letters A–Z, digits and - _ / .",
            ),
            Problem::BadDate => pick(
                lang,
                "Ngày không hợp lệ: ghi ngày/tháng/năm, ví dụ 20/11/2026",
                "Not a valid date: write day/month/year, e.g. 20/11/2026",
            ),
            Problem::InFuture => pick(lang, "Không được là ngày trong tương lai", "Must not be in the future"),
            Problem::BeforeIncident => pick(
                lang,
                "Không được trước ngày xảy ra vụ việc",
                "Must not be before the incident",
            ),
            Problem::BadNumber => pick(lang, "Ghi một số, ví dụ 16", "Write a number, e.g. 16"),
            Problem::AgeTooHigh => pick(lang, "Tuổi tối đa là 120", "At most 120"),
            Problem::AgeDisagrees => pick(
                lang,
                "Tuổi không khớp với ngày sinh",
                "Does not agree with the date of birth",
            ),
            Problem::UnknownChoice => pick(lang, "Hãy chọn trong danh sách", "Choose from the list"),
            Problem::RiskLevelNeeded => pick(
                lang,
                "Đã chọn yếu tố nguy cơ: hãy chọn mức độ nguy cơ",
                "Risk factors were chosen: choose a risk level",
            ),
            Problem::TooManySteps { max } => vi_en(
                format!("Tối đa {max} bước"),
                format!("At most {max} steps"),
            ),
            Problem::AdultConsentsHerself => pick(
                lang,
                "Người đã thành niên tự đưa ra sự đồng ý",
                "An adult gives consent for themselves",
            ),
            Problem::CaregiverIsPerpetrator => pick(
                lang,
                "Cha mẹ, người chăm sóc là người gây bạo lực nên không thể đồng ý thay cho trẻ",
                "The parent or caregiver is an alleged perpetrator and cannot consent for the child",
            ),
            Problem::DuplicateConsent => pick(
                lang,
                "Dịch vụ và đơn vị nhận này đã có ở dòng trên",
                "This service and recipient are already listed",
            ),
            Problem::FollowUpInPast => pick(lang, "Không được là ngày đã qua", "Must not be in the past"),
            Problem::BeforeFollowUp => pick(
                lang,
                "Không được trước ngày theo dõi này",
                "Must not be before this follow-up",
            ),
            Problem::ChecklistIncomplete { missing } => vi_en(
                format!("Còn {missing} mục chưa xác nhận: cần xác nhận tất cả"),
                format!("{missing} items not confirmed: every item is needed"),
            ),
            Problem::ReferralNeedsConsent => pick(
                lang,
                "Chỉ chuyển gửi khi người bị bạo lực đồng ý. Nếu không đồng ý, ghi kết quả là đã tư vấn hoặc từ chối.",
                "Refer only with the survivor's consent. Without it, record the outcome as offered or declined.",
            ),
            Problem::DueInPast => pick(lang, "Hạn trả lời không được là ngày đã qua", "The answer cannot be due in the past"),
            Problem::TransferNeedsConsent => pick(
                lang,
                "Chỉ chuyển hồ sơ sang xã khác khi người bị bạo lực đồng ý.",
                "Transfer the case only with the survivor's consent.",
            ),
            Problem::NotGivenHere => pick(
                lang,
                "Đơn vị này không cung cấp dịch vụ này cho xã của người bị bạo lực",
                "This organisation does not give this service in the survivor's commune",
            ),
        }
    }

    /// The problem as the view carries it.
    pub(crate) fn reason(self, lang: Lang) -> Reason {
        Reason::new(self.code(), self.text(lang))
    }
}
