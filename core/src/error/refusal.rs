//! Why a workflow rule refused an action ([`Refusal`]): a stable code and
//! a text in Vietnamese and English, quoting no case content.

use crate::model::{Coded, Lang};
use crate::shelters::PlacementStatus;
use crate::sync::wire::MAX_TEAM_MEMBERS;

/// Why a workflow rule refused an action, with a stable code and a text in
/// both languages. Texts quote no case content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// A referral without the survivor's recorded consent.
    ConsentMissing,
    /// The case is closed.
    CaseClosed,
    /// Closing a case that has conflicts.
    ConflictsUnresolved,
    /// Reopening a case that is not closed.
    CaseNotClosed,
    /// The action would change nothing.
    NothingChanged,
    /// Another provincial key is already configured.
    ProvincialKeyDiffers,
    /// No provincial key is configured yet.
    NoProvincialKey,
    /// The shelter directory is not signed by the provincial key.
    NotSignedByProvince,
    /// The shelter directory is older than the one held.
    DirectoryOlder {
        /// The version received.
        got: u64,
        /// The version on this device.
        held: u64,
    },
    /// Another shelter directory with the same version is held.
    DirectorySameVersion {
        /// The version.
        version: u64,
    },
    /// A directory update arrived before any full directory.
    NoDirectory,
    /// A directory update for another version than the one held.
    DirectoryUpdateMismatch {
        /// The version the update applies to.
        from: u64,
        /// The version on this device.
        held: u64,
    },
    /// This device does not host the shelter.
    NotHost,
    /// This device hosts no shelter.
    HostsNoShelter,
    /// A message about a shelter from a device that does not host it.
    SenderNotHost,
    /// The shelter takes nobody in at present.
    ShelterInactive,
    /// The shelter takes placements by phone only.
    PhoneOnly,
    /// The shelter does not take this group.
    GroupNotAccepted,
    /// Too few free places for the people asked for.
    TooFewPlaces {
        /// The people asked for.
        people: u16,
        /// The free places known.
        free: u16,
    },
    /// A placement step that does not follow from where it stands.
    StepNotAllowed {
        /// Where the placement stands.
        from: PlacementStatus,
        /// The step asked for.
        to: PlacementStatus,
    },
    /// Only the device that sent a request may cancel it.
    OnlySenderCancels,
    /// Another request with the same id was received before.
    RequestIdReused,
    /// The placement already stands at this step.
    AlreadyRecorded {
        /// Where it stands.
        status: PlacementStatus,
    },
    /// The case already has a placement under way.
    PlacementUnderWay,
    /// The shelter message is for another device.
    MessageForOtherDevice,
    /// A team change that lists members twice or more members than a team
    /// may have, or whose creator is not a member.
    TeamMembersInvalid,
    /// A team change from a device that may not change the team.
    TeamSignerNotPermitted,
    /// Removing a team member without a new key epoch.
    TeamRemovalNeedsNewKey,
    /// A team change that takes a commune case manager off, signed by a
    /// device that is not a commune case manager's.
    TeamRemovalNeedsManager,
    /// A team change with a stale or skipped key epoch.
    TeamEpochWrong,
    /// Only the provincial officer may do this (the shelter registry).
    OfficersOnly,
    /// This vault holds no provincial signing key yet.
    NoSigningKey,
    /// A report of a period overlapping one already released with another
    /// first month: the two compared could give single months' counts.
    OverlapsReleasedPeriod,
    /// This vault already holds a provincial signing key.
    SigningKeyExists,
    /// A commune case manager records only training sessions in the
    /// programme registries.
    OnlyTrainingSessions,
    /// A commune case manager records only the sessions of their commune.
    SessionOfOtherCommune,
    /// A collaborator or a school counselor records only communication
    /// activities in the programme registries.
    OnlyCommunicationActivities,
    /// Communication activities are recorded only for the device's commune.
    ActivityOfOtherCommune,
    /// Only a commune case manager receives and sorts online reports.
    ManagersOnly,
    /// This online report was already sorted.
    AlreadyTriaged,
    /// Adding to a case's team someone who is neither its creator nor a
    /// case manager of the survivor's commune, without the survivor's
    /// recorded consent to share the case with them.
    TeamMemberNeedsConsent,
    /// A parent's or caregiver's consent for a child while a parent or
    /// caregiver is an alleged perpetrator.
    CaregiverIsPerpetrator,
    /// A parent's or caregiver's consent for an adult survivor.
    AdultDecidesHerself,
    /// Closing a case from a device that is not a commune case manager's
    /// (the manager's signed closing is the closure's approval).
    ClosureNeedsManager,
    /// A referral for a service that takes none (places in a shelter are
    /// asked of its host).
    ServiceTakesNoReferral,
    /// A referral would carry a field its service may not receive.
    FieldNotForService,
    /// The organisation does not give this service in the survivor's
    /// commune.
    OrganisationDoesNotServe,
    /// The organisation has no device enrolled to receive referrals.
    OrganisationHasNoDevice,
    /// A referral message from a device that did not send the referral.
    NotReferralSender,
    /// A referral, or an answer, for an organisation this device does not
    /// speak for.
    NotForThisOrganisation,
    /// Transferring a case to another commune from a device that is not a
    /// commune case manager's.
    TransferNeedsManager,
    /// The survivor's commune changed outside a transfer (a case moves
    /// between communes only by a manager's transfer, with consent).
    CommuneChangeIsTransfer,
    /// A transfer to the commune the case is already in.
    AlreadyInCommune,
    /// A school procedure step on a case whose survivor is not recorded
    /// as a student.
    NotASchoolCase,
    /// A school procedure step before the steps it follows, or again.
    SchoolStepOutOfOrder {
        /// The step.
        step: crate::cases::SchoolStep,
    },
    /// Informing the family while a parent or caregiver is an alleged
    /// perpetrator.
    FamilyPutsChildAtRisk,
    /// A referral step that does not follow from where it stands.
    ReferralStepNotAllowed {
        /// Where the referral stands.
        from: crate::referrals::ReferralStatus,
        /// The step asked for.
        to: crate::referrals::ReferralStatus,
    },
}

impl Refusal {
    /// The stable snake_case code, e.g. `case_closed`.
    pub fn code(&self) -> &'static str {
        match self {
            Self::ConsentMissing => "consent_missing",
            Self::CaseClosed => "case_closed",
            Self::ConflictsUnresolved => "conflicts_unresolved",
            Self::CaseNotClosed => "case_not_closed",
            Self::NothingChanged => "nothing_changed",
            Self::ProvincialKeyDiffers => "provincial_key_differs",
            Self::NoProvincialKey => "no_provincial_key",
            Self::NotSignedByProvince => "not_signed_by_province",
            Self::DirectoryOlder { .. } => "directory_older",
            Self::DirectorySameVersion { .. } => "directory_same_version",
            Self::NoDirectory => "no_directory",
            Self::DirectoryUpdateMismatch { .. } => "directory_update_mismatch",
            Self::NotHost => "not_host",
            Self::HostsNoShelter => "hosts_no_shelter",
            Self::SenderNotHost => "sender_not_host",
            Self::ShelterInactive => "shelter_inactive",
            Self::PhoneOnly => "phone_only",
            Self::GroupNotAccepted => "group_not_accepted",
            Self::TooFewPlaces { .. } => "too_few_places",
            Self::StepNotAllowed { .. } => "step_not_allowed",
            Self::OnlySenderCancels => "only_sender_cancels",
            Self::RequestIdReused => "request_id_reused",
            Self::AlreadyRecorded { .. } => "already_recorded",
            Self::PlacementUnderWay => "placement_under_way",
            Self::MessageForOtherDevice => "message_for_other_device",
            Self::TeamMembersInvalid => "team_members_invalid",
            Self::TeamSignerNotPermitted => "team_signer_not_permitted",
            Self::TeamRemovalNeedsNewKey => "team_removal_needs_new_key",
            Self::TeamRemovalNeedsManager => "team_removal_needs_manager",
            Self::TeamEpochWrong => "team_epoch_wrong",
            Self::OfficersOnly => "officers_only",
            Self::NoSigningKey => "no_signing_key",
            Self::OverlapsReleasedPeriod => "overlaps_released_period",
            Self::SigningKeyExists => "signing_key_exists",
            Self::OnlyTrainingSessions => "only_training_sessions",
            Self::SessionOfOtherCommune => "session_of_other_commune",
            Self::OnlyCommunicationActivities => "only_communication_activities",
            Self::ActivityOfOtherCommune => "activity_of_other_commune",
            Self::ManagersOnly => "managers_only",
            Self::AlreadyTriaged => "already_triaged",
            Self::TeamMemberNeedsConsent => "team_member_needs_consent",
            Self::CaregiverIsPerpetrator => "caregiver_is_perpetrator",
            Self::AdultDecidesHerself => "adult_decides_herself",
            Self::ClosureNeedsManager => "closure_needs_manager",
            Self::ServiceTakesNoReferral => "service_takes_no_referral",
            Self::FieldNotForService => "field_not_for_service",
            Self::OrganisationDoesNotServe => "organisation_does_not_serve",
            Self::OrganisationHasNoDevice => "organisation_has_no_device",
            Self::NotReferralSender => "not_referral_sender",
            Self::NotForThisOrganisation => "not_for_this_organisation",
            Self::TransferNeedsManager => "transfer_needs_manager",
            Self::CommuneChangeIsTransfer => "commune_change_is_transfer",
            Self::AlreadyInCommune => "already_in_commune",
            Self::NotASchoolCase => "not_a_school_case",
            Self::SchoolStepOutOfOrder { .. } => "school_step_out_of_order",
            Self::FamilyPutsChildAtRisk => "family_puts_child_at_risk",
            Self::ReferralStepNotAllowed { .. } => "referral_step_not_allowed",
        }
    }

    /// The text in Vietnamese and in English.
    fn texts(&self) -> (String, String) {
        let same = |vi: &str, en: &str| (vi.to_string(), en.to_string());
        match self {
            Self::ConsentMissing => same(
                "cần ghi nhận sự đồng ý của người bị bạo lực cho dịch vụ và nơi nhận này \
                 trước khi chuyển gửi",
                "a referral needs the survivor's recorded consent for this service and \
                 recipient",
            ),
            Self::CaseClosed => same(
                "hồ sơ đã đóng; hãy mở lại hồ sơ trước",
                "the case is closed; reopen it first",
            ),
            Self::ConflictsUnresolved => same(
                "cần giải quyết các xung đột của hồ sơ trước khi đóng hồ sơ",
                "resolve the case's conflicts before closing it",
            ),
            Self::CaseNotClosed => same("hồ sơ chưa đóng", "the case is not closed"),
            Self::NothingChanged => same("không có gì thay đổi", "nothing changed"),
            Self::ProvincialKeyDiffers => same(
                "máy này đã có một khóa khác của tỉnh",
                "a different provincial key is already configured on this device",
            ),
            Self::NoProvincialKey => same(
                "máy này chưa có khóa của tỉnh; hãy đăng ký máy trước",
                "no provincial key is configured on this device; enrol it first",
            ),
            Self::NotSignedByProvince => same(
                "danh bạ nơi tạm lánh không có chữ ký của tỉnh",
                "the shelter directory is not signed by the provincial key",
            ),
            Self::DirectoryOlder { got, held } => (
                format!(
                    "danh bạ nơi tạm lánh này (phiên bản {got}) cũ hơn danh bạ trên máy \
                     (phiên bản {held})"
                ),
                format!(
                    "the shelter directory is older (version {got}) than the one on this \
                     device (version {held})"
                ),
            ),
            Self::DirectorySameVersion { version } => (
                format!("máy này đã có một danh bạ nơi tạm lánh khác cùng phiên bản {version}"),
                format!(
                    "a different shelter directory with the same version {version} is \
                     already on this device"
                ),
            ),
            Self::NoDirectory => same(
                "máy này chưa có danh bạ nơi tạm lánh; hãy tải bản đầy đủ trước",
                "no shelter directory on this device yet; load the full directory first",
            ),
            Self::DirectoryUpdateMismatch { from, held } => (
                format!(
                    "bản cập nhật dành cho danh bạ phiên bản {from}, máy này có phiên bản \
                     {held}; hãy tải bản đầy đủ"
                ),
                format!(
                    "the shelter directory update applies to version {from}, this device \
                     has version {held}; load the full directory"
                ),
            ),
            Self::NotHost => same(
                "máy này không phải máy của chủ nơi tạm lánh này",
                "this device does not host the shelter",
            ),
            Self::HostsNoShelter => same(
                "máy này không quản lý nơi tạm lánh nào",
                "this device hosts no shelter",
            ),
            Self::SenderNotHost => same(
                "tin nhắn không đến từ máy của chủ nơi tạm lánh",
                "the message does not come from the host of the shelter",
            ),
            Self::ShelterInactive => same(
                "nơi tạm lánh hiện không nhận người",
                "the shelter does not take people in at present",
            ),
            Self::PhoneOnly => same(
                "nơi tạm lánh chỉ nhận qua điện thoại; hãy gọi cho chủ nơi tạm lánh",
                "the shelter takes placements by phone only; call the host",
            ),
            Self::GroupNotAccepted => same(
                "nơi tạm lánh không nhận nhóm người này",
                "the shelter does not take this group",
            ),
            Self::TooFewPlaces { people, free } => (
                format!("nơi tạm lánh không đủ chỗ còn trống cho {people} người (còn {free} chỗ)"),
                format!("the shelter has too few free places for {people} people ({free} free)"),
            ),
            Self::StepNotAllowed { from, to } => (
                format!(
                    "yêu cầu đang ở bước «{}», không thể chuyển sang «{}»",
                    from.label_vi(),
                    to.label_vi()
                ),
                format!(
                    "a placement cannot go from {} to {}",
                    from.label_en(),
                    to.label_en()
                ),
            ),
            Self::OnlySenderCancels => same(
                "chỉ máy đã gửi yêu cầu mới hủy được yêu cầu",
                "only the device that sent a request may cancel it",
            ),
            Self::RequestIdReused => same(
                "đã nhận trước đó một yêu cầu khác có cùng mã",
                "a different request with this id was received before",
            ),
            Self::AlreadyRecorded { status } => (
                format!("yêu cầu đã ở bước «{}»", status.label_vi()),
                format!("the placement is already {}", status.label_en()),
            ),
            Self::PlacementUnderWay => same(
                "hồ sơ đã có một yêu cầu nơi tạm lánh đang thực hiện; hãy hủy yêu cầu đó \
                 hoặc ghi nhận đã rời nơi tạm lánh trước",
                "the case already has a placement under way; cancel it or record the \
                 departure first",
            ),
            Self::MessageForOtherDevice => same(
                "tin nhắn về nơi tạm lánh này dành cho máy khác",
                "the shelter message is for another device",
            ),
            Self::TeamMembersInvalid => (
                format!(
                    "danh sách thành viên nhóm không hợp lệ (mỗi máy một lần, có người lập \
                     nhóm, tối đa {MAX_TEAM_MEMBERS} máy)"
                ),
                format!(
                    "team members must be listed once each, the creator among them, at most \
                     {MAX_TEAM_MEMBERS}"
                ),
            ),
            Self::TeamSignerNotPermitted => same(
                "chỉ người lập nhóm hoặc cán bộ phụ trách (UBND xã) trong nhóm mới thay \
                 đổi được nhóm",
                "only the creator or a commune case manager in the team may change it",
            ),
            Self::TeamRemovalNeedsManager => same(
                "chỉ cán bộ phụ trách (UBND xã) mới đưa cán bộ phụ trách ra khỏi nhóm hỗ trợ của hồ sơ",
                "only a commune case manager takes a case manager off a case's team",
            ),
            Self::TeamRemovalNeedsNewKey => same(
                "bớt thành viên khỏi nhóm cần một khóa mới",
                "removing a team member needs a new key epoch",
            ),
            Self::TeamEpochWrong => same(
                "thay đổi nhóm dùng khóa cũ hoặc bỏ qua một khóa",
                "the team change has a stale or skipped key epoch",
            ),
            Self::OfficersOnly => same(
                "chỉ cán bộ cấp tỉnh (Sở Nội vụ) mới làm được việc này",
                "only the provincial officer (Department of Home Affairs) may do this",
            ),
            Self::NoSigningKey => same(
                "kho dữ liệu này chưa có khóa ký của tỉnh; hãy tạo khóa hoặc nhập khóa trước",
                "this vault holds no provincial signing key; generate or enter it first",
            ),
            Self::OverlapsReleasedPeriod => same(
                "đã lập báo cáo cho một kỳ trùng tháng với kỳ này nhưng bắt đầu từ tháng khác; so sánh hai báo cáo có thể lộ số liệu từng tháng, nên không lập được",
                "a report was already made for a period sharing months with this one but starting in another month; comparing the two could reveal single months' counts, so it is refused",
            ),
            Self::SigningKeyExists => same(
                "kho dữ liệu này đã có khóa ký của tỉnh",
                "this vault already holds a provincial signing key",
            ),
            Self::OnlyTrainingSessions => same(
                "cán bộ phụ trách (UBND xã) chỉ ghi được các buổi tập huấn; trường học và \
                 doanh nghiệp do Sở Nội vụ ghi",
                "a commune case manager records training sessions only; schools and \
                 enterprises are recorded by the provincial office",
            ),
            Self::SessionOfOtherCommune => same(
                "cán bộ phụ trách (UBND xã) chỉ ghi được các buổi tập huấn tổ chức tại xã mình",
                "a commune case manager records only the training sessions held in their \
                 own commune",
            ),
            Self::OnlyCommunicationActivities => same(
                "cộng tác viên và cán bộ tư vấn học đường chỉ ghi được hoạt động truyền thông",
                "collaborators and school counselors record only communication activities",
            ),
            Self::ActivityOfOtherCommune => same(
                "chỉ ghi được hoạt động truyền thông của xã mình",
                "communication activities are recorded only for your own commune",
            ),
            Self::ManagersOnly => same(
                "chỉ cán bộ phụ trách của xã mới nhận và xử lý báo cáo trực tuyến",
                "only the commune's case managers receive and sort online reports",
            ),
            Self::AlreadyTriaged => same(
                "báo cáo trực tuyến này đã được xử lý",
                "this online report was already sorted",
            ),
            Self::TeamMemberNeedsConsent => same(
                "chỉ thêm được người khác ngoài người lập hồ sơ và cán bộ phụ trách (UBND \
                 xã) của xã người bị bạo lực vào nhóm khi người bị bạo lực đã đồng ý chia sẻ \
                 hồ sơ với người đó",
                "anyone but the case's creator and the case managers of the survivor's \
                 commune joins a case's team only with the survivor's recorded consent to \
                 share the case with them",
            ),
            Self::CaregiverIsPerpetrator => same(
                "cha mẹ, người chăm sóc là người bị nghi gây bạo lực nên không thể đồng ý \
                 thay cho trẻ",
                "a parent or caregiver is an alleged perpetrator and cannot consent for the \
                 child",
            ),
            Self::AdultDecidesHerself => same(
                "người bị bạo lực đã thành niên tự đưa ra sự đồng ý",
                "an adult survivor gives consent for themselves",
            ),
            Self::ClosureNeedsManager => same(
                "chỉ cán bộ phụ trách (UBND xã) đóng được hồ sơ: việc đóng hồ sơ do cán bộ \
                 phụ trách ký là sự phê duyệt; hãy đề nghị cán bộ phụ trách xem xét và đóng",
                "only a commune case manager closes a case (their signed closing is the \
                 approval); ask the case manager to review and close it",
            ),
            Self::ServiceTakesNoReferral => same(
                "dịch vụ này không chuyển gửi được; chỗ ở tạm lánh được đề nghị với chủ nơi tạm lánh",
                "this service takes no referral; places in a shelter are asked of its host",
            ),
            Self::FieldNotForService => same(
                "thông tin này không được gửi kèm cho dịch vụ này",
                "this field may not be sent to this service",
            ),
            Self::OrganisationDoesNotServe => same(
                "cơ quan này không cung cấp dịch vụ này tại xã của người bị bạo lực",
                "this organisation does not give this service in the survivor's commune",
            ),
            Self::OrganisationHasNoDevice => same(
                "cơ quan này chưa có máy nhận chuyển gửi; hãy gọi điện cho cơ quan",
                "this organisation has no device to receive referrals yet; call them",
            ),
            Self::NotReferralSender => same(
                "tin nhắn không phải từ máy đã gửi chuyển gửi này",
                "the message is not from the device that sent this referral",
            ),
            Self::NotForThisOrganisation => same(
                "chuyển gửi hoặc trả lời không dành cho cơ quan mà máy này đại diện",
                "the referral or answer is not for an organisation this device speaks for",
            ),
            Self::TransferNeedsManager => same(
                "chỉ cán bộ phụ trách (UBND xã) chuyển hồ sơ sang xã khác, khi người bị bạo lực \
                 đồng ý",
                "only a commune case manager transfers a case to another commune, with the \
                 survivor's consent",
            ),
            Self::CommuneChangeIsTransfer => same(
                "đổi xã nơi ở là chuyển hồ sơ sang xã khác: cán bộ phụ trách thực hiện khi người \
                 bị bạo lực đồng ý",
                "changing the commune of residence is a transfer to another commune: a commune \
                 case manager does it, with the survivor's consent",
            ),
            Self::AlreadyInCommune => same(
                "hồ sơ đã thuộc xã này",
                "the case is already in this commune",
            ),
            Self::NotASchoolCase => same(
                "quy trình tại trường học chỉ dành cho hồ sơ của học sinh",
                "the school procedure is for a student's case only",
            ),
            Self::SchoolStepOutOfOrder { step } => (
                format!(
                    "bước «{}» chưa thực hiện được: cần làm các bước trước, mỗi bước một lần",
                    step.label_vi()
                ),
                format!(
                    "«{}» cannot be recorded now: the steps before it first, each once",
                    step.label_en()
                ),
            ),
            Self::FamilyPutsChildAtRisk => same(
                "không thông báo cho gia đình: cha mẹ, người chăm sóc là người bị nghi gây bạo lực, \
                 việc thông báo có thể gây nguy hiểm cho trẻ",
                "do not inform the family: a parent or caregiver is an alleged perpetrator, and \
                 informing them could put the child at risk",
            ),
            Self::ReferralStepNotAllowed { from, to } => (
                format!(
                    "chuyển gửi đang ở bước «{}», không thể chuyển sang «{}»",
                    from.label_vi(),
                    to.label_vi()
                ),
                format!(
                    "a referral cannot go from {} to {}",
                    from.label_en(),
                    to.label_en()
                ),
            ),
        }
    }

    /// The text in Vietnamese, shown to the person who asked.
    pub fn text_vi(&self) -> String {
        self.texts().0
    }

    /// The text in English.
    pub fn text_en(&self) -> String {
        self.texts().1
    }

    /// The text in `lang`.
    pub fn text(&self, lang: Lang) -> String {
        match lang {
            Lang::Vi => self.text_vi(),
            Lang::En => self.text_en(),
        }
    }
}

impl std::fmt::Display for Refusal {
    /// English, for logs.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text_en())
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    pub(crate) fn every_refusal() -> Vec<Refusal> {
        use Refusal::*;
        let all = vec![
            ConsentMissing,
            CaseClosed,
            ConflictsUnresolved,
            CaseNotClosed,
            NothingChanged,
            ProvincialKeyDiffers,
            NoProvincialKey,
            NotSignedByProvince,
            DirectoryOlder { got: 1, held: 2 },
            DirectorySameVersion { version: 2 },
            NoDirectory,
            DirectoryUpdateMismatch { from: 1, held: 3 },
            NotHost,
            HostsNoShelter,
            SenderNotHost,
            ShelterInactive,
            PhoneOnly,
            GroupNotAccepted,
            TooFewPlaces { people: 3, free: 1 },
            StepNotAllowed {
                from: PlacementStatus::Declined,
                to: PlacementStatus::Arrived,
            },
            OnlySenderCancels,
            RequestIdReused,
            AlreadyRecorded {
                status: PlacementStatus::Accepted,
            },
            PlacementUnderWay,
            MessageForOtherDevice,
            TeamMembersInvalid,
            TeamSignerNotPermitted,
            TeamRemovalNeedsNewKey,
            TeamRemovalNeedsManager,
            TeamEpochWrong,
            OfficersOnly,
            NoSigningKey,
            OverlapsReleasedPeriod,
            SigningKeyExists,
            OnlyTrainingSessions,
            SessionOfOtherCommune,
            OnlyCommunicationActivities,
            ActivityOfOtherCommune,
            ManagersOnly,
            AlreadyTriaged,
            TeamMemberNeedsConsent,
            CaregiverIsPerpetrator,
            AdultDecidesHerself,
            ClosureNeedsManager,
            ServiceTakesNoReferral,
            FieldNotForService,
            OrganisationDoesNotServe,
            OrganisationHasNoDevice,
            NotReferralSender,
            NotForThisOrganisation,
            TransferNeedsManager,
            CommuneChangeIsTransfer,
            AlreadyInCommune,
            NotASchoolCase,
            SchoolStepOutOfOrder {
                step: crate::cases::SchoolStep::FollowedUp,
            },
            FamilyPutsChildAtRisk,
            ReferralStepNotAllowed {
                from: crate::referrals::ReferralStatus::Closed,
                to: crate::referrals::ReferralStatus::Accepted,
            },
        ];
        // A new refusal fails to compile here until it is listed above.
        for refusal in &all {
            match refusal {
                ConsentMissing
                | CaseClosed
                | ConflictsUnresolved
                | CaseNotClosed
                | NothingChanged
                | ProvincialKeyDiffers
                | NoProvincialKey
                | NotSignedByProvince
                | DirectoryOlder { .. }
                | DirectorySameVersion { .. }
                | NoDirectory
                | DirectoryUpdateMismatch { .. }
                | NotHost
                | HostsNoShelter
                | SenderNotHost
                | ShelterInactive
                | PhoneOnly
                | GroupNotAccepted
                | TooFewPlaces { .. }
                | StepNotAllowed { .. }
                | OnlySenderCancels
                | RequestIdReused
                | AlreadyRecorded { .. }
                | PlacementUnderWay
                | MessageForOtherDevice
                | TeamMembersInvalid
                | TeamSignerNotPermitted
                | TeamRemovalNeedsNewKey
                | TeamRemovalNeedsManager
                | TeamEpochWrong
                | OfficersOnly
                | NoSigningKey
                | OverlapsReleasedPeriod
                | SigningKeyExists
                | OnlyTrainingSessions
                | SessionOfOtherCommune
                | OnlyCommunicationActivities
                | ActivityOfOtherCommune
                | ManagersOnly
                | AlreadyTriaged
                | TeamMemberNeedsConsent
                | CaregiverIsPerpetrator
                | AdultDecidesHerself
                | ClosureNeedsManager
                | ServiceTakesNoReferral
                | FieldNotForService
                | OrganisationDoesNotServe
                | OrganisationHasNoDevice
                | NotReferralSender
                | NotForThisOrganisation
                | TransferNeedsManager
                | CommuneChangeIsTransfer
                | AlreadyInCommune
                | NotASchoolCase
                | SchoolStepOutOfOrder { .. }
                | FamilyPutsChildAtRisk
                | ReferralStepNotAllowed { .. } => {}
            }
        }
        all
    }
}
