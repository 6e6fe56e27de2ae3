//! The registry's texts, in Vietnamese and English. Terms follow
//! `GLOSSARY.md`: nơi tạm lánh (được chuẩn hóa), số điện thoại khẩn cấp,
//! trụ sở UBND xã, trạm y tế xã, Công an xã.

use super::{NumberField, ShelterField};
use crate::text::{pick, vi_en};
use binhan_core::model::Lang;

/// A text of the registry's screens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum L {
    Title,
    ShelterTitle {
        new: bool,
    },
    NumbersTitle(String),
    PublishTitle,
    Held(Option<u64>),
    Pending(usize),
    NoPending,
    Standardised(u32),
    WithoutShelter(usize),
    AllCovered,
    CoverageHeading,
    SheltersHeading,
    NoShelters,
    Commune,
    Shelters,
    StandardisedColumn,
    Numbers,
    NumbersCount(usize),
    EditNumbers,
    Edit,
    AddShelter,
    Publish,
    Discard,
    Discarded,
    ShelterRow {
        kind: String,
        commune: String,
        capacity: u16,
        met: usize,
        of: usize,
    },
    Inactive,
    Save,
    Saved,
    NumbersSaved,
    AddNumber,
    RemoveNumber,
    NumberRow(usize),
    NoNumbers,
    NumberHelp,
    Version {
        version: u64,
        from: Option<u64>,
    },
    Added,
    Edited,
    NumbersChanged,
    NumbersWithdrawn,
    Nothing,
    Key(String),
    KeyHelp,
    NoKey,
    Generate,
    Seed,
    SeedHelp,
    SaveSeed,
    KeyKept,
    Confirm,
    Publishing,
    Published {
        version: u64,
    },
    NothingToPublish,
    NoSigningKey,
    Always,
    Daily,
    Yes,
    No,
    OrganisationTitle {
        new: bool,
    },
    OrganisationsHeading,
    NoOrganisations,
    AddOrganisation,
    OrganisationSaved,
    NoOrganisationDevice,
    Devices(usize),
    OrganisationsChanged,
}

impl L {
    pub(crate) fn get(&self, lang: Lang) -> String {
        let vi_en = |vi, en| vi_en(lang, vi, en);
        match self {
            L::Title => pick(lang, "Danh bạ nơi tạm lánh", "Shelter registry"),
            L::ShelterTitle { new: true } => pick(lang, "Thêm nơi tạm lánh", "Add a shelter"),
            L::ShelterTitle { new: false } => pick(lang, "Sửa nơi tạm lánh", "Edit a shelter"),
            L::NumbersTitle(commune) => vi_en(
                format!("Số điện thoại khẩn cấp — {commune}"),
                format!("Emergency numbers — {commune}"),
            ),
            L::PublishTitle => pick(lang, "Công bố danh bạ", "Publish the directory"),
            L::Held(Some(v)) => vi_en(
                format!("Danh bạ trên máy: phiên bản {v}"),
                format!("Directory on this device: version {v}"),
            ),
            L::Held(None) => pick(
                lang,
                "Máy này chưa có danh bạ nơi tạm lánh",
                "No shelter directory on this device yet",
            ),
            L::Pending(n) => vi_en(
                format!("Bản nháp: {n} thay đổi chưa công bố"),
                format!("Draft: {n} changes not yet published"),
            ),
            L::NoPending => pick(
                lang,
                "Không có thay đổi chưa công bố",
                "No changes waiting to be published",
            ),
            L::Standardised(n) => vi_en(
                format!("Nơi tạm lánh được chuẩn hóa trong tỉnh: {n} (mục tiêu ít nhất 5)"),
                format!("Standardised shelters in the province: {n} (target at least 5)"),
            ),
            L::WithoutShelter(n) => vi_en(
                format!("{n} xã chưa có nơi tạm lánh đang hoạt động"),
                format!("{n} communes have no active shelter"),
            ),
            L::AllCovered => pick(
                lang,
                "Xã nào cũng có nơi tạm lánh đang hoạt động",
                "Every commune has an active shelter",
            ),
            L::CoverageHeading => pick(lang, "Độ bao phủ theo xã", "Coverage by commune"),
            L::SheltersHeading => pick(lang, "Các nơi tạm lánh", "Shelters"),
            L::NoShelters => pick(lang, "Chưa có nơi tạm lánh nào", "No shelters yet"),
            L::Commune => pick(lang, "Xã", "Commune"),
            L::Shelters => pick(lang, "Nơi tạm lánh đang hoạt động", "Active shelters"),
            L::StandardisedColumn => pick(lang, "Được chuẩn hóa", "Standardised"),
            L::Numbers => pick(lang, "Số điện thoại khẩn cấp", "Emergency numbers"),
            L::NumbersCount(n) => vi_en(format!("{n} số"), format!("{n} numbers")),
            L::EditNumbers => pick(lang, "Sửa số điện thoại", "Edit numbers"),
            L::Edit => pick(lang, "Sửa", "Edit"),
            L::AddShelter => pick(lang, "Thêm nơi tạm lánh", "Add a shelter"),
            L::Publish => pick(lang, "Xem và công bố", "Review and publish"),
            L::Discard => pick(lang, "Bỏ bản nháp", "Discard the draft"),
            L::Discarded => pick(lang, "Đã bỏ bản nháp", "Draft discarded"),
            L::ShelterRow {
                kind,
                commune,
                capacity,
                met,
                of,
            } => vi_en(
                format!("{kind} · {commune} · {capacity} chỗ · chuẩn hóa {met}/{of}"),
                format!("{kind} · {commune} · {capacity} places · standard {met}/{of}"),
            ),
            L::Inactive => pick(lang, "tạm ngừng nhận người", "not taking people in"),
            L::Save => pick(lang, "Lưu vào bản nháp", "Save to the draft"),
            L::Saved => pick(
                lang,
                "Đã lưu nơi tạm lánh vào bản nháp",
                "Shelter saved to the draft",
            ),
            L::NumbersSaved => pick(
                lang,
                "Đã lưu số điện thoại vào bản nháp",
                "Numbers saved to the draft",
            ),
            L::AddNumber => pick(lang, "Thêm số", "Add a number"),
            L::RemoveNumber => pick(lang, "Xóa số này", "Remove this number"),
            L::NumberRow(n) => vi_en(format!("Số thứ {n}"), format!("Number {n}")),
            L::NoNumbers => pick(
                lang,
                "Chưa có số nào: lưu như vậy sẽ rút các số của xã khỏi danh bạ",
                "No numbers: saving like this withdraws the commune's numbers",
            ),
            L::NumberHelp => pick(
                lang,
                "Số gọi được ngay: 3 đến 15 chữ số, có thể có + ở đầu, không có dấu cách",
                "Dialled as written: 3 to 15 digits, an optional leading +, no spaces",
            ),
            L::Version {
                version,
                from: Some(from),
            } => vi_en(
                format!("Phiên bản {version}, bản cập nhật từ phiên bản {from}"),
                format!("Version {version}, an update from version {from}"),
            ),
            L::Version {
                version,
                from: None,
            } => vi_en(
                format!("Phiên bản {version}, toàn bộ danh bạ"),
                format!("Version {version}, the whole directory"),
            ),
            L::Added => pick(lang, "Nơi tạm lánh thêm mới", "Shelters added"),
            L::Edited => pick(lang, "Nơi tạm lánh sửa đổi", "Shelters edited"),
            L::NumbersChanged => pick(
                lang,
                "Xã có số điện thoại mới hoặc thay đổi",
                "Communes with new or changed numbers",
            ),
            L::NumbersWithdrawn => pick(
                lang,
                "Xã bị rút số điện thoại",
                "Communes whose numbers are withdrawn",
            ),
            L::Nothing => pick(lang, "Không có", "None"),
            L::OrganisationTitle { new: true } => pick(
                lang,
                "Thêm cơ quan nhận chuyển gửi",
                "Add a referral organisation",
            ),
            L::OrganisationTitle { new: false } => pick(
                lang,
                "Sửa cơ quan nhận chuyển gửi",
                "Edit a referral organisation",
            ),
            L::OrganisationsHeading => pick(
                lang,
                "Cơ quan nhận chuyển gửi (danh bạ dịch vụ)",
                "Referral organisations (service directory)",
            ),
            L::NoOrganisations => pick(
                lang,
                "Chưa có cơ quan nhận chuyển gửi nào",
                "No referral organisations yet",
            ),
            L::AddOrganisation => pick(lang, "Thêm cơ quan nhận chuyển gửi", "Add an organisation"),
            L::OrganisationSaved => pick(
                lang,
                "Đã lưu cơ quan vào bản nháp",
                "The organisation is saved in the draft",
            ),
            L::NoOrganisationDevice => pick(
                lang,
                "Chưa có máy nào: cơ quan chỉ nhận được hồ sơ chuyển gửi khi có ít nhất một máy",
                "No device listed: the organisation receives referrals only once one is",
            ),
            L::Devices(n) => vi_en(format!("{n} máy"), format!("{n} devices")),
            L::OrganisationsChanged => pick(
                lang,
                "Cơ quan nhận chuyển gửi thêm mới hoặc thay đổi",
                "Referral organisations added or changed",
            ),
            L::Key(fingerprint) => vi_en(
                format!("Khóa ký của tỉnh, dấu vân tay: {fingerprint}"),
                format!("Provincial signing key, fingerprint: {fingerprint}"),
            ),
            L::KeyHelp => pick(
                lang,
                "Khóa được giữ kín trong kho dữ liệu của máy này, không bao giờ rời khỏi máy",
                "The key is kept sealed in this vault and never leaves it",
            ),
            L::NoKey => pick(
                lang,
                "Kho dữ liệu này chưa có khóa ký của tỉnh",
                "This vault holds no provincial signing key yet",
            ),
            L::Generate => pick(lang, "Tạo khóa ký mới", "Generate a signing key"),
            L::Seed => pick(
                lang,
                "Hoặc nhập khóa ký hiện có (64 chữ số hệ mười sáu)",
                "Or enter the existing signing key (64 hexadecimal digits)",
            ),
            L::SeedHelp => pick(
                lang,
                "Chỉ nhập một lần; sau đó khóa nằm kín trong kho dữ liệu",
                "Entered once; from then on the key stays sealed in the vault",
            ),
            L::SaveSeed => pick(lang, "Giữ khóa này", "Keep this key"),
            L::KeyKept => pick(
                lang,
                "Đã giữ khóa ký của tỉnh trong kho dữ liệu",
                "Provincial signing key kept in the vault",
            ),
            L::Confirm => pick(lang, "Ký và công bố", "Sign and publish"),
            L::Publishing => pick(lang, "Đang công bố…", "Publishing…"),
            L::Published { version } => vi_en(
                format!("Đã công bố danh bạ phiên bản {version}"),
                format!("Directory version {version} published"),
            ),
            L::NothingToPublish => pick(
                lang,
                "Không có thay đổi nào để công bố",
                "There is nothing to publish",
            ),
            L::NoSigningKey => pick(
                lang,
                "Cần tạo hoặc nhập khóa ký của tỉnh trước",
                "Generate or enter the provincial signing key first",
            ),
            L::Always => pick(lang, "Cả ngày lẫn đêm", "Day and night"),
            L::Daily => pick(lang, "Trong giờ nhất định mỗi ngày", "Set hours every day"),
            L::Yes => pick(lang, "Có", "Yes"),
            L::No => pick(lang, "Không", "No"),
        }
    }
}

impl ShelterField {
    /// Its label.
    pub(crate) fn label(self, lang: Lang) -> String {
        let (vi, en) = match self {
            ShelterField::Name => (
                "Tên (có thể là tên gọi thay thế)",
                "Name (a code name is allowed)",
            ),
            ShelterField::Kind => ("Loại nơi tạm lánh", "Kind of place"),
            ShelterField::Commune => ("Xã", "Commune"),
            ShelterField::Latitude => ("Vĩ độ (độ Bắc)", "Latitude (degrees north)"),
            ShelterField::Longitude => ("Kinh độ (độ Đông)", "Longitude (degrees east)"),
            ShelterField::Capacity => ("Số chỗ", "Places"),
            ShelterField::Accepts => ("Nhận những ai", "Whom it takes in"),
            ShelterField::Accessibility => {
                ("Hỗ trợ người khuyết tật", "For people with disabilities")
            }
            ShelterField::Languages => ("Ngôn ngữ sử dụng", "Languages spoken"),
            ShelterField::Hours => ("Giờ nhận người", "When it takes people in"),
            ShelterField::OpensAt => ("Giờ mở", "Opens at"),
            ShelterField::ClosesAt => ("Giờ đóng", "Closes at"),
            ShelterField::ContactName => (
                "Người liên hệ (không bắt buộc)",
                "Whom to ask for (optional)",
            ),
            ShelterField::ContactPhone => {
                ("Số điện thoại liên hệ (không bắt buộc)", "Phone (optional)")
            }
            ShelterField::HostDevice => (
                "Mã máy của chủ nơi tạm lánh (không bắt buộc)",
                "Host's device id (optional)",
            ),
            ShelterField::Active => ("Đang nhận người", "Taking people in"),
            ShelterField::Checklist => (
                "Tiêu chí chuẩn hóa đã đạt",
                "Standardisation checklist: items met",
            ),
            ShelterField::ReviewedOn => (
                "Ngày rà soát tiêu chí (không bắt buộc)",
                "Day the checklist was reviewed (optional)",
            ),
        };
        pick(lang, vi, en)
    }

    /// A help line under it, if any.
    pub(crate) fn help(self, lang: Lang) -> Option<String> {
        match self {
            ShelterField::Latitude | ShelterField::Longitude => Some(pick(
                lang,
                "Trong tỉnh Lai Châu, ví dụ 22.39 và 103.46",
                "Inside Lai Châu province, e.g. 22.39 and 103.46",
            )),
            ShelterField::OpensAt | ShelterField::ClosesAt => {
                Some(pick(lang, "Dạng 07:30", "As 07:30"))
            }
            ShelterField::HostDevice => Some(pick(
                lang,
                "Máy này sẽ trả lời yêu cầu xin chỗ; để trống nếu chỉ nhận qua điện thoại",
                "That device answers placement requests; leave empty for phone only",
            )),
            _ => None,
        }
    }
}

impl NumberField {
    /// Its label.
    pub(crate) fn label(self, lang: Lang) -> String {
        match self {
            NumberField::Kind => pick(lang, "Nơi trả lời", "Who answers"),
            NumberField::Name => pick(
                lang,
                "Hỏi gặp (bộ phận hoặc người)",
                "Ask for (desk or person)",
            ),
            NumberField::Phone => pick(lang, "Số điện thoại", "Number"),
        }
    }
}
