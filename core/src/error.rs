//! The core's error type. Messages name fields, rules and random ids, never
//! case content, so they are safe to log and to show. A broken field rule
//! ([`Rule`]) and a refused action ([`Refusal`]) are coded, with a text in
//! Vietnamese and English, so the apps show them in the user's language.

use crate::model::{Coded, Lang};
use crate::shelters::PlacementStatus;

/// Why a PIN was refused when it was set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PinWeakness {
    /// Fewer than the minimum number of characters.
    TooShort {
        /// The minimum length.
        min: u32,
    },
    /// Every character is the same, such as 000000.
    AllSame,
    /// A run up or down the keypad, such as 123456 or 987654.
    Sequence,
    /// A short block repeated, such as 121212 or 123123.
    Repeated,
    /// Among the PINs people choose most often.
    Common,
    /// The duress PIN may not equal the real PIN.
    SameAsPin,
}

impl PinWeakness {
    /// Vietnamese explanation shown to the person choosing the PIN.
    pub fn reason_vi(&self) -> String {
        match self {
            Self::TooShort { min } => format!("mã PIN phải có ít nhất {min} ký tự"),
            Self::AllSame => "mã PIN không được gồm một chữ số lặp lại".into(),
            Self::Sequence => "mã PIN không được là dãy số liên tiếp".into(),
            Self::Repeated => "mã PIN không được lặp lại một nhóm số".into(),
            Self::Common => "mã PIN này quá phổ biến, dễ bị đoán".into(),
            Self::SameAsPin => "mã PIN khẩn cấp phải khác mã PIN chính".into(),
        }
    }

    /// English explanation.
    pub fn reason_en(&self) -> String {
        match self {
            Self::TooShort { min } => format!("the PIN must have at least {min} characters"),
            Self::AllSame => "the PIN must not be one digit repeated".into(),
            Self::Sequence => "the PIN must not be a straight sequence".into(),
            Self::Repeated => "the PIN must not repeat a short block".into(),
            Self::Common => "the PIN is among the most commonly chosen".into(),
            Self::SameAsPin => "the duress PIN must differ from the PIN".into(),
        }
    }
}

/// The rule a field value broke, with a stable code and a text in both
/// languages. Texts name no field (the error carries its dotted path) and
/// quote no value: they are safe to log and to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rule {
    /// Nothing was given where a value is needed.
    Required,
    /// Given but empty or blank.
    Empty,
    /// Longer than `max` characters.
    TooLong {
        /// The most characters allowed.
        max: u32,
    },
    /// Larger than `max_mib` MiB.
    TooLarge {
        /// The largest size allowed, in MiB.
        max_mib: u32,
    },
    /// Holds control characters.
    ControlCharacters,
    /// A date before `year`.
    BeforeYear {
        /// The first year allowed.
        year: u32,
    },
    /// A date in the future.
    InFuture,
    /// A date in the past.
    InPast,
    /// A date before the incident's date.
    BeforeIncidentDate,
    /// A date before the follow-up's date.
    BeforeFollowUpDate,
    /// A code with characters other than A–Z, digits and `- _ / .`.
    BadCode,
    /// The same value listed twice.
    Duplicate,
    /// Values out of order or repeated.
    NotOrdered,
    /// Not the code of a commune of the province.
    NotACommune,
    /// Closing a case with items of its checklist unconfirmed.
    ChecklistIncomplete {
        /// Codes of the unconfirmed items, e.g. `safety_reviewed`.
        missing: Vec<&'static str>,
    },
    /// More than `max` entries.
    TooMany {
        /// The most entries allowed.
        max: u64,
    },
    /// A number above `max`.
    AtMost {
        /// The largest value allowed.
        max: u64,
    },
    /// A number below `min`.
    AtLeast {
        /// The smallest value allowed.
        min: u64,
    },
    /// A number (or count) outside `min..=max`.
    OutOfRange {
        /// The smallest value allowed.
        min: u64,
        /// The largest value allowed.
        max: u64,
    },
    /// More free places than the shelter has.
    OverCapacity {
        /// The shelter's capacity.
        capacity: u16,
    },
    /// More children than people.
    MoreChildrenThanPeople,
    /// Children and adults that do not fit the group chosen.
    ChildrenDisagreeWithGroup,
    /// An age that does not fit the date of birth.
    DisagreesWithBirthDate,
    /// A school given for someone who is not a student.
    OnlyForStudent,
    /// A referral without the provider it goes to.
    RequiredForReferral,
    /// A value that is not among those allowed.
    NotInList,
    /// Contradicts another field of the same record.
    Contradicts,
    /// A decline reason without a decline, or a decline without a reason.
    OnlyWhenDeclined,
    /// A message of another kind than expected.
    WrongMessage,
    /// The device has too little memory for the PIN's key derivation.
    NotEnoughMemory,
    /// A setting the key derivation does not support.
    Unsupported,
    /// Signed by a device other than the one it names.
    SignerMismatch,
    /// Not a valid Ed25519 key.
    BadKey,
    /// Not `digits` hexadecimal digits.
    NotHex {
        /// How many digits are expected.
        digits: u32,
    },
    /// Not `bytes` long.
    WrongLength {
        /// The expected length in bytes.
        bytes: u32,
    },
    /// A server address that is not http(s).
    NotWebAddress,
    /// A position that is not a latitude and longitude in degrees.
    BadCoordinates {
        /// The index of the road file's feature, when it is one.
        feature: Option<u32>,
    },
    /// A place outside the province.
    OutsideProvince,
    /// A start outside the loaded road network.
    OutsideRoadNetwork,
    /// A start farther than `max_m` metres from any road.
    FarFromRoad {
        /// The greatest distance to a road, in metres.
        max_m: u32,
    },
    /// A road file without roads.
    NoRoads,
    /// Not valid JSON.
    BadJson {
        /// Line of the error (from 1).
        line: u32,
        /// Column of the error (from 1).
        column: u32,
    },
    /// Valid JSON, but not GeoJSON.
    BadGeoJson {
        /// Line of the error (from 1).
        line: u32,
        /// Column of the error (from 1).
        column: u32,
    },
    /// A file of another kind than expected.
    WrongFileKind,
    /// A file cut short or damaged.
    Corrupted,
    /// A file format version this app does not know.
    UnknownVersion {
        /// The version found.
        version: u32,
    },
    /// A version not higher than the one it follows.
    VersionNotHigher,
    /// A list that must name at least one value is empty.
    NoneChosen,
    /// Opening and closing times are the same.
    SameOpenAndClose,
    /// A phone number that is not 3 to 15 digits after an optional leading
    /// `+` (spaces, `-` and `.` may separate the digits).
    BadPhone,
    /// A number to dial that is not 3 to 15 digits after an optional
    /// leading `+`, with nothing between them.
    BadDialNumber,
    /// Not in the expected form (e.g. not a JSON object).
    BadFormat,
    /// A field that is not known.
    UnknownField,
    /// The wrong type, or a code that is not known.
    WrongType,
    /// A field that cannot be changed here.
    NotUpdatable,
}

impl Rule {
    /// The stable snake_case code, e.g. `too_long`.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Required => "required",
            Self::Empty => "empty",
            Self::TooLong { .. } => "too_long",
            Self::TooLarge { .. } => "too_large",
            Self::ControlCharacters => "control_characters",
            Self::BeforeYear { .. } => "before_year",
            Self::InFuture => "in_future",
            Self::InPast => "in_past",
            Self::BeforeIncidentDate => "before_incident_date",
            Self::BeforeFollowUpDate => "before_follow_up_date",
            Self::BadCode => "bad_code",
            Self::Duplicate => "duplicate",
            Self::NotOrdered => "not_ordered",
            Self::NotACommune => "not_a_commune",
            Self::ChecklistIncomplete { .. } => "checklist_incomplete",
            Self::TooMany { .. } => "too_many",
            Self::AtMost { .. } => "at_most",
            Self::AtLeast { .. } => "at_least",
            Self::OutOfRange { .. } => "out_of_range",
            Self::OverCapacity { .. } => "over_capacity",
            Self::MoreChildrenThanPeople => "more_children_than_people",
            Self::ChildrenDisagreeWithGroup => "children_disagree_with_group",
            Self::DisagreesWithBirthDate => "disagrees_with_birth_date",
            Self::OnlyForStudent => "only_for_student",
            Self::RequiredForReferral => "required_for_referral",
            Self::NotInList => "not_in_list",
            Self::Contradicts => "contradicts",
            Self::OnlyWhenDeclined => "only_when_declined",
            Self::WrongMessage => "wrong_message",
            Self::NotEnoughMemory => "not_enough_memory",
            Self::Unsupported => "unsupported",
            Self::SignerMismatch => "signer_mismatch",
            Self::BadKey => "bad_key",
            Self::NotHex { .. } => "not_hex",
            Self::WrongLength { .. } => "wrong_length",
            Self::NotWebAddress => "not_web_address",
            Self::BadCoordinates { .. } => "bad_coordinates",
            Self::OutsideProvince => "outside_province",
            Self::OutsideRoadNetwork => "outside_road_network",
            Self::FarFromRoad { .. } => "far_from_road",
            Self::NoRoads => "no_roads",
            Self::BadJson { .. } => "bad_json",
            Self::BadGeoJson { .. } => "bad_geojson",
            Self::WrongFileKind => "wrong_file_kind",
            Self::Corrupted => "corrupted",
            Self::UnknownVersion { .. } => "unknown_version",
            Self::VersionNotHigher => "version_not_higher",
            Self::NoneChosen => "none_chosen",
            Self::SameOpenAndClose => "same_open_and_close",
            Self::BadPhone => "bad_phone",
            Self::BadDialNumber => "bad_dial_number",
            Self::BadFormat => "bad_format",
            Self::UnknownField => "unknown_field",
            Self::WrongType => "wrong_type",
            Self::NotUpdatable => "not_updatable",
        }
    }

    /// The text in Vietnamese and in English.
    fn texts(&self) -> (String, String) {
        let same = |vi: &str, en: &str| (vi.to_string(), en.to_string());
        match self {
            Self::Required => same("cần điền thông tin này", "is required"),
            Self::Empty => same("không được để trống", "must not be empty"),
            Self::TooLong { max } => (
                format!("dài quá {max} ký tự"),
                format!("must be at most {max} characters"),
            ),
            Self::TooLarge { max_mib } => (
                format!("quá lớn (tối đa {max_mib} MiB)"),
                format!("is too large (at most {max_mib} MiB)"),
            ),
            Self::ControlCharacters => same(
                "có ký tự điều khiển không được phép",
                "must not contain control characters",
            ),
            Self::BeforeYear { year } => (
                format!("không được trước năm {year}"),
                format!("must not be before {year}"),
            ),
            Self::InFuture => same(
                "không được là ngày trong tương lai",
                "must not be in the future",
            ),
            Self::InPast => same("không được là ngày đã qua", "must not be in the past"),
            Self::BeforeIncidentDate => same(
                "không được trước ngày xảy ra sự việc",
                "must not be before the incident date",
            ),
            Self::BeforeFollowUpDate => same(
                "không được trước ngày theo dõi",
                "must not be before the follow-up date",
            ),
            Self::BadCode => same(
                "chỉ được dùng chữ A–Z, chữ số và - _ / .",
                "may contain only letters A–Z, digits and - _ / .",
            ),
            Self::Duplicate => same("có giá trị bị ghi hai lần", "must not list a value twice"),
            Self::NotOrdered => same(
                "phải theo thứ tự, mỗi giá trị một lần",
                "must be in order, each value once",
            ),
            Self::NotACommune => same(
                "phải là mã của một xã thuộc tỉnh Lai Châu",
                "must be the code of a commune of Lai Châu",
            ),
            Self::ChecklistIncomplete { missing } => {
                let n = missing.len();
                (
                    format!("còn {n} mục trong danh sách kiểm tra chưa được xác nhận"),
                    format!("every item of the checklist must be confirmed ({n} missing)"),
                )
            }
            Self::TooMany { max } => (
                format!("nhiều quá, tối đa {max}"),
                format!("must list at most {max}"),
            ),
            Self::AtMost { max } => (
                format!("không được lớn hơn {max}"),
                format!("must be at most {max}"),
            ),
            Self::AtLeast { min } => (
                format!("không được nhỏ hơn {min}"),
                format!("must be at least {min}"),
            ),
            Self::OutOfRange { min, max } => (
                format!("phải từ {min} đến {max}"),
                format!("must be between {min} and {max}"),
            ),
            Self::OverCapacity { capacity } => (
                format!("không được nhiều hơn sức chứa của nơi tạm lánh ({capacity} chỗ)"),
                format!("must not exceed the shelter's capacity ({capacity})"),
            ),
            Self::MoreChildrenThanPeople => same(
                "số trẻ em không được nhiều hơn tổng số người",
                "must not exceed the number of people",
            ),
            Self::ChildrenDisagreeWithGroup => same(
                "số trẻ em và người lớn không khớp với nhóm đã chọn",
                "must agree with the group (children alone: all are children; with \
                 children: at least one child and one adult; women or men: no children)",
            ),
            Self::DisagreesWithBirthDate => same(
                "không khớp với ngày sinh",
                "must agree with the date of birth",
            ),
            Self::OnlyForStudent => same("chỉ điền khi là học sinh", "is only for a student"),
            Self::RequiredForReferral => same(
                "cần ghi nơi nhận khi chuyển gửi",
                "is required for a referral",
            ),
            Self::NotInList => same(
                "không phải là một lựa chọn có trong danh sách",
                "is not one of the values allowed",
            ),
            Self::Contradicts => same(
                "mâu thuẫn với thông tin khác đã ghi",
                "contradicts another field of the record",
            ),
            Self::OnlyWhenDeclined => same(
                "chỉ ghi lý do khi nơi tạm lánh từ chối, và phải ghi khi từ chối",
                "is given exactly when the placement is declined",
            ),
            Self::WrongMessage => same(
                "không phải loại tin nhắn cần nhận ở đây",
                "is not the kind of message expected here",
            ),
            Self::NotEnoughMemory => {
                same("máy không đủ bộ nhớ", "not enough memory on this device")
            }
            Self::Unsupported => same(
                "là thiết lập không được hỗ trợ",
                "is not a supported setting",
            ),
            Self::SignerMismatch => same(
                "không khớp với máy đã ký",
                "does not match the signing device",
            ),
            Self::BadKey => same("không phải là khóa hợp lệ", "is not a valid Ed25519 key"),
            Self::NotHex { digits } => (
                format!("phải gồm {digits} chữ số hệ mười sáu"),
                format!("must be {digits} hexadecimal digits"),
            ),
            Self::WrongLength { bytes } => (
                format!("phải dài đúng {bytes} byte"),
                format!("must be {bytes} bytes"),
            ),
            Self::NotWebAddress => same(
                "phải bắt đầu bằng https:// hoặc http://",
                "must start with https:// or http://",
            ),
            Self::BadCoordinates { feature } => {
                let (vi, en) = match feature {
                    Some(i) => (format!(" (đối tượng số {i})"), format!(" (feature {i})")),
                    None => (String::new(), String::new()),
                };
                (
                    format!("phải có vĩ độ và kinh độ tính bằng độ{vi}"),
                    format!("must have a latitude and longitude in degrees{en}"),
                )
            }
            Self::OutsideProvince => {
                same("nằm ngoài tỉnh Lai Châu", "is outside Lai Châu province")
            }
            Self::OutsideRoadNetwork => same(
                "nằm ngoài bản đồ đường đã tải; hãy tìm theo đường chim bay",
                "is outside the loaded road network; search by straight line instead",
            ),
            Self::FarFromRoad { max_m } => (
                format!(
                    "cách mọi con đường của bản đồ đã tải hơn {max_m} m; hãy tìm theo \
                     đường chim bay"
                ),
                format!(
                    "is more than {max_m} m from any road of the loaded network; search by \
                     straight line instead"
                ),
            ),
            Self::NoRoads => same(
                "không có con đường nào",
                "contains no roads (lines tagged with a highway class)",
            ),
            Self::BadJson { line, column } => (
                format!("không phải JSON hợp lệ (dòng {line}, cột {column})"),
                format!("is not valid JSON (line {line}, column {column})"),
            ),
            Self::BadGeoJson { line, column } => (
                format!("không phải GeoJSON hợp lệ (dòng {line}, cột {column})"),
                format!("is not valid GeoJSON (line {line}, column {column})"),
            ),
            Self::WrongFileKind => same(
                "không đúng loại tệp cần dùng",
                "is not the kind of file expected",
            ),
            Self::Corrupted => same("bị hỏng hoặc không đầy đủ", "is truncated or corrupted"),
            Self::UnknownVersion { version } => (
                format!("có phiên bản định dạng {version} mà ứng dụng chưa biết"),
                format!("has unknown format version {version}"),
            ),
            Self::VersionNotHigher => same(
                "phiên bản phải cao hơn phiên bản trước",
                "must have a higher version than the one before",
            ),
            Self::NoneChosen => same("cần chọn ít nhất một", "must name at least one"),
            Self::SameOpenAndClose => same(
                "giờ mở cửa và giờ đóng cửa phải khác nhau (mở cả ngày thì chọn cả ngày)",
                "opening and closing times must differ (use always for 24 hours)",
            ),
            Self::BadPhone => same(
                "phải có từ 3 đến 15 chữ số, dấu + chỉ ở đầu (có thể ngăn cách bằng dấu cách, - hoặc .)",
                "must have 3 to 15 digits, + only at the start (spaces, - or . may separate them)",
            ),
            Self::BadDialNumber => same(
                "phải gồm từ 3 đến 15 chữ số liền nhau, dấu + chỉ ở đầu",
                "must be 3 to 15 digits with nothing between them, + only at the start",
            ),
            Self::BadFormat => same("không đúng dạng cần có", "is not in the expected form"),
            Self::UnknownField => same("không phải là mục được nhận", "is not a known field"),
            Self::WrongType => same(
                "sai kiểu dữ liệu hoặc mã không có trong danh sách",
                "has the wrong type or an unknown code",
            ),
            Self::NotUpdatable => same("không sửa được ở đây", "cannot be updated here"),
        }
    }

    /// The text in Vietnamese, shown to the person who typed the value.
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

impl std::fmt::Display for Rule {
    /// English, for logs.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text_en())
    }
}

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
    /// A team change that lists members twice, or whose creator is not a member.
    TeamMembersInvalid,
    /// A team change from a device that may not change the team.
    TeamSignerNotPermitted,
    /// Removing a team member without a new key epoch.
    TeamRemovalNeedsNewKey,
    /// A team change with a stale or skipped key epoch.
    TeamEpochWrong,
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
            Self::TeamEpochWrong => "team_epoch_wrong",
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
            Self::TeamMembersInvalid => same(
                "danh sách thành viên nhóm không hợp lệ (mỗi máy một lần, có người lập nhóm)",
                "team members must be listed once each, the creator among them",
            ),
            Self::TeamSignerNotPermitted => same(
                "chỉ người lập nhóm hoặc cán bộ phụ trách (UBND xã) trong nhóm mới thay \
                 đổi được nhóm",
                "only the creator or a commune case manager in the team may change it",
            ),
            Self::TeamRemovalNeedsNewKey => same(
                "bớt thành viên khỏi nhóm cần một khóa mới",
                "removing a team member needs a new key epoch",
            ),
            Self::TeamEpochWrong => same(
                "thay đổi nhóm dùng khóa cũ hoặc bỏ qua một khóa",
                "the team change has a stale or skipped key epoch",
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

/// Everything that can go wrong in the core.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A field value broke a rule; nothing was written.
    #[error("invalid {field}: {rule}")]
    Invalid {
        /// Dotted path of the field, e.g. `survivor.age`.
        field: String,
        /// The rule it broke.
        rule: Rule,
    },
    /// A workflow rule refused the action (e.g. closing without the checklist).
    #[error("not allowed: {0}")]
    NotAllowed(Refusal),
    /// The PIN chosen is too easy to guess.
    #[error("PIN rejected: {}", .0.reason_en())]
    WeakPin(PinWeakness),
    /// The PIN did not unlock the vault.
    #[error("wrong PIN, {remaining} attempts left")]
    WrongPin {
        /// Attempts left before the data is erased.
        remaining: u32,
    },
    /// Too many recent failures; the next attempt is allowed later.
    #[error("too many failed attempts, try again in {retry_after_secs} s")]
    TooSoon {
        /// Seconds until the next attempt is accepted.
        retry_after_secs: u64,
    },
    /// The vault's keys have been erased; its data can never be read again.
    #[error("the vault has been erased")]
    Erased,
    /// The vault is locked; unlock it with the PIN first.
    #[error("the vault is locked")]
    Locked,
    /// There is no vault at the given place.
    #[error("no vault has been created here")]
    NoVault,
    /// A vault already exists at the given place.
    #[error("a vault already exists here")]
    AlreadyExists,
    /// A stored record failed authentication.
    #[error("{record} is tampered or corrupted")]
    Tampered {
        /// Which record, by kind and random id.
        record: String,
    },
    /// The record asked for does not exist.
    #[error("{0} not found")]
    NotFound(String),
    /// The platform key (Keystore/Keychain) failed.
    #[error("platform key: {0}")]
    PlatformKey(String),
    /// The database failed.
    #[error("storage: {0}")]
    Storage(#[from] rusqlite::Error),
    /// A file operation failed.
    #[error("file: {0}")]
    Io(#[from] std::io::Error),
    /// The server could not be reached, or the connection broke.
    #[error("network: {0}")]
    Network(String),
    /// The server refused a request.
    #[error("server refused ({status}): {reason}")]
    Refused {
        /// HTTP status.
        status: u16,
        /// Stable error code from the server, e.g. `not_a_member`.
        code: String,
        /// The server's reason.
        reason: String,
    },
    /// This device was revoked; its vault has been erased as instructed.
    #[error("this device was revoked and its data erased")]
    Revoked,
    /// The device is not enrolled with a server yet.
    #[error("this device is not enrolled with a server")]
    NotEnrolled,
    /// The operation was cancelled; what was done so far is kept.
    #[error("cancelled")]
    Cancelled,
    /// Bytes could not be encoded or decoded.
    #[error("encoding: {0}")]
    Encoding(String),
}

impl Error {
    /// Shorthand for [`Error::Invalid`].
    pub fn invalid(field: impl Into<String>, rule: Rule) -> Self {
        Self::Invalid {
            field: field.into(),
            rule,
        }
    }
}

/// Result with the core's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    /// One of each rule, with sample numbers.
    fn every_rule() -> Vec<Rule> {
        use Rule::*;
        let all = vec![
            Required,
            Empty,
            TooLong { max: 120 },
            TooLarge { max_mib: 2 },
            ControlCharacters,
            BeforeYear { year: 1900 },
            InFuture,
            InPast,
            BeforeIncidentDate,
            BeforeFollowUpDate,
            BadCode,
            Duplicate,
            NotOrdered,
            NotACommune,
            ChecklistIncomplete {
                missing: vec!["safety_reviewed", "supervisor_reviewed"],
            },
            TooMany { max: 20 },
            AtMost { max: 120 },
            AtLeast { min: 1 },
            OutOfRange { min: 1, max: 12 },
            OverCapacity { capacity: 8 },
            MoreChildrenThanPeople,
            ChildrenDisagreeWithGroup,
            DisagreesWithBirthDate,
            OnlyForStudent,
            RequiredForReferral,
            NotInList,
            Contradicts,
            OnlyWhenDeclined,
            WrongMessage,
            NotEnoughMemory,
            Unsupported,
            SignerMismatch,
            BadKey,
            NotHex { digits: 32 },
            WrongLength { bytes: 64 },
            NotWebAddress,
            BadCoordinates { feature: Some(3) },
            OutsideProvince,
            OutsideRoadNetwork,
            FarFromRoad { max_m: 2000 },
            NoRoads,
            BadJson { line: 1, column: 2 },
            BadGeoJson { line: 1, column: 2 },
            WrongFileKind,
            Corrupted,
            UnknownVersion { version: 9 },
            VersionNotHigher,
            NoneChosen,
            SameOpenAndClose,
            BadPhone,
            BadDialNumber,
            BadFormat,
            UnknownField,
            WrongType,
            NotUpdatable,
        ];
        // A new rule fails to compile here until it is listed above.
        for rule in &all {
            match rule {
                Required
                | Empty
                | TooLong { .. }
                | TooLarge { .. }
                | ControlCharacters
                | BeforeYear { .. }
                | InFuture
                | InPast
                | BeforeIncidentDate
                | BeforeFollowUpDate
                | BadCode
                | Duplicate
                | NotOrdered
                | NotACommune
                | ChecklistIncomplete { .. }
                | TooMany { .. }
                | AtMost { .. }
                | AtLeast { .. }
                | OutOfRange { .. }
                | OverCapacity { .. }
                | MoreChildrenThanPeople
                | ChildrenDisagreeWithGroup
                | DisagreesWithBirthDate
                | OnlyForStudent
                | RequiredForReferral
                | NotInList
                | Contradicts
                | OnlyWhenDeclined
                | WrongMessage
                | NotEnoughMemory
                | Unsupported
                | SignerMismatch
                | BadKey
                | NotHex { .. }
                | WrongLength { .. }
                | NotWebAddress
                | BadCoordinates { .. }
                | OutsideProvince
                | OutsideRoadNetwork
                | FarFromRoad { .. }
                | NoRoads
                | BadJson { .. }
                | BadGeoJson { .. }
                | WrongFileKind
                | Corrupted
                | UnknownVersion { .. }
                | VersionNotHigher
                | NoneChosen
                | SameOpenAndClose
                | BadPhone
                | BadDialNumber
                | BadFormat
                | UnknownField
                | WrongType
                | NotUpdatable => {}
            }
        }
        all
    }

    /// One of each refusal, with sample numbers.
    fn every_refusal() -> Vec<Refusal> {
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
            TeamEpochWrong,
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
                | TeamEpochWrong => {}
            }
        }
        all
    }

    /// Codes are distinct snake_case; both texts are there, quote no
    /// placeholder and no field path.
    fn check(kind: &str, items: Vec<(&'static str, String, String)>) {
        let codes: HashSet<_> = items.iter().map(|(code, ..)| *code).collect();
        assert_eq!(codes.len(), items.len(), "{kind} codes are distinct");
        for (code, vi, en) in &items {
            assert!(
                !code.is_empty()
                    && code
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'),
                "{kind} code {code:?} is snake_case"
            );
            for text in [vi, en] {
                assert!(!text.trim().is_empty(), "{kind}.{code} has both texts");
                for placeholder in ["{", "}", "%s", "$", "survivor.", "incident."] {
                    assert!(
                        !text.contains(placeholder),
                        "{kind}.{code}: {text:?} holds {placeholder:?}"
                    );
                }
            }
            assert_ne!(vi, en, "{kind}.{code} is translated");
        }
    }

    #[test]
    fn every_rule_and_refusal_has_a_distinct_code_and_both_texts() {
        let rules = every_rule();
        assert_eq!(rules.len(), 55);
        check(
            "rule",
            rules
                .iter()
                .map(|r| (r.code(), r.text(Lang::Vi), r.text(Lang::En)))
                .collect(),
        );
        let refusals = every_refusal();
        assert_eq!(refusals.len(), 29);
        check(
            "refusal",
            refusals
                .iter()
                .map(|r| (r.code(), r.text(Lang::Vi), r.text(Lang::En)))
                .collect(),
        );
    }

    #[test]
    fn display_stays_english_and_names_the_field() {
        let e = Error::invalid("survivor.age_years", Rule::AtMost { max: 120 });
        assert_eq!(
            e.to_string(),
            "invalid survivor.age_years: must be at most 120"
        );
        let e = Error::NotAllowed(Refusal::CaseClosed);
        assert_eq!(
            e.to_string(),
            "not allowed: the case is closed; reopen it first"
        );
        assert_eq!(
            Refusal::StepNotAllowed {
                from: PlacementStatus::Declined,
                to: PlacementStatus::Arrived
            }
            .text_vi(),
            "yêu cầu đang ở bước «nơi tạm lánh từ chối», không thể chuyển sang «đã đến nơi tạm lánh»"
        );
    }
}
