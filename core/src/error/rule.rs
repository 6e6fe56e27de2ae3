//! The rule a field value broke ([`Rule`]): a stable code and a text in
//! Vietnamese and English, safe to log and to show.

use crate::model::Lang;

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
    /// A school given to an invitation for any role but a school counselor.
    OnlyForSchoolCounselor,
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
    /// Plain `http://` to a server other than this machine: TLS is needed.
    PlainHttp,
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
    /// A commune other than this device's own.
    OtherCommune,
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
            Self::OnlyForSchoolCounselor => "only_for_school_counselor",
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
            Self::PlainHttp => "plain_http",
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
            Self::OtherCommune => "other_commune",
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
            Self::OnlyForSchoolCounselor => same(
                "chỉ điền khi mời cán bộ tư vấn học đường",
                "is only for a school counselor",
            ),
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
            Self::PlainHttp => same(
                "phải dùng https:// (http:// chỉ dùng được với chính máy này)",
                "must use https:// (http:// only reaches this machine)",
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
            Self::OtherCommune => same(
                "không phải xã của máy này",
                "is not this device's commune",
            ),
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

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    /// One of each rule, with sample numbers.
    pub(crate) fn every_rule() -> Vec<Rule> {
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
            OnlyForSchoolCounselor,
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
            PlainHttp,
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
            OtherCommune,
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
                | OnlyForSchoolCounselor
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
                | PlainHttp
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
                | NotUpdatable
                | OtherCommune => {}
            }
        }
        all
    }
}
