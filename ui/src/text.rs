//! Every user-visible string, in Vietnamese and English, in one place (the
//! record-an-incident form's own, beside it in `screens/intake/text.rs`).
//!
//! Terms follow `GLOSSARY.md` (mã PIN, thoát nhanh, xóa toàn bộ dữ liệu,
//! số điện thoại khẩn cấp, …). Screens never write text of their own: they
//! name a [`T`] (a label) or a [`Why`] (a coded reason) and the catalog
//! gives it in the view's language. Labels of coded enumerations (risk
//! level, violence type, …) come from the core's own bilingual catalog.

use crate::view::Reason;
use binhan_core::model::Lang;
use binhan_core::PinWeakness;

/// Vietnamese or English.
pub(crate) fn pick(lang: Lang, vi: &str, en: &str) -> String {
    match lang {
        Lang::Vi => vi.to_string(),
        Lang::En => en.to_string(),
    }
}

/// Vietnamese or English, of texts made with `format!`.
pub(crate) fn vi_en(lang: Lang, vi: String, en: String) -> String {
    match lang {
        Lang::Vi => vi,
        Lang::En => en,
    }
}

/// The core's reason (or a label) as a sentence: its first letter in
/// capitals.
pub(crate) fn sentence(text: String) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => text,
    }
}

/// Seconds as m:ss.
pub(crate) fn minutes_seconds(secs: u64) -> String {
    format!("{}:{:02}", secs / 60, secs % 60)
}

/// A label or sentence of the interface.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum T {
    CalcTitle,
    CalcError,
    QuickExit,
    EmergencyButton,
    SetupTitle,
    SetupIntro,
    FieldPin,
    FieldPinConfirm,
    FieldDuress,
    FieldDuressConfirm,
    DuressHelp,
    SetupCreate,
    PinCreated,
    PinTitle,
    Unlock,
    HomeTitle,
    Overdue,
    DueToday,
    Recent,
    SchoolCases,
    MoreNeedAttention(usize),
    NoCasesYet,
    NothingDue,
    RecordIncident,
    AllCases,
    FindShelter,
    AnswerOrganisation(String),
    Settings,
    FollowUpOn(String),
    FollowUpToday,
    OverdueDays(i64),
    RiskIs(String),
    Child,
    ConflictsToResolve(u32),
    UpdatedAt(String),
    CaseListTitle,
    FilterStatus,
    FilterRisk,
    Any,
    CaseCount(usize),
    ShowMore(u32),
    NoMatch,
    Unreadable(usize),
    SummaryTitle,
    SurvivorCode,
    Status,
    RiskLevel,
    ViolenceType,
    Contexts,
    Commune,
    IncidentDate,
    ReportedOn,
    ChildUnder18,
    NextFollowUp,
    Services,
    Notes,
    Conflicts,
    LastUpdated,
    Yes,
    No,
    NotKnown,
    NoneYet,
    EmergencyTitle,
    EmergencyIntro,
    Police,
    Ambulance,
    ChildHotline,
    Call(String),
    Language,
    ChangePin,
    SetDuressPin,
    FieldDuressRequired,
    DuressPinSet,
    EraseAll,
    FieldCurrentPin,
    FieldNewPin,
    FieldNewPinConfirm,
    Save,
    PinChanged,
    WipeWarning,
    WipeConfirm,
    Cancel,
    SyncTitle,
    SyncNow,
    EnrolTitle,
    EnrolIntro,
    EnrolSubmit,
    FieldServerUrl,
    FieldInvitationCode,
    FieldDeviceLabel,
    InvitationHelp,
    ScanInvitation,
    InvitationScanned,
    NotEnrolled,
    EnrolledServer,
    EnrolledRole,
    EnrolledCommune,
    ConflictResolved,
    ResolveConflicts(u32),
    Invite,
    Devices,
    DeviceRevoked,
    DeviceCode,
    LastSync,
    NeverSynced,
    ItemsHeld(usize),
    MembersWithoutConsent(u64),
    ReferralsOverdue(u64),
    StatisticsWaiting(u64),
    Waiting(u64),
    SyncedCounts(u64, u64),
    Enrolling,
    Authenticating,
    Pushing,
    Pulling,
    Snapshots,
    Progress(u64, u64),
    RoadMap,
    RoadMapInstalled(Option<u64>, u64),
    RoadMapNone,
    RoadUpdateWaitingWifi(u64),
    RoadUpdateNotDone(u64),
    RoadsWifiOnly,
    RoadsDownloadNow(u64),
    DownloadingRoads,
}

impl T {
    /// The text in `lang`.
    pub(crate) fn get(&self, lang: Lang) -> String {
        use T::*;
        let vi_en = |vi, en| vi_en(lang, vi, en);
        match self {
            CalcTitle => pick(lang, "Máy tính", "Calculator"),
            CalcError => pick(lang, "Lỗi", "Error"),
            QuickExit => pick(lang, "Thoát nhanh", "Quick exit"),
            EmergencyButton => pick(lang, "Khẩn cấp", "Emergency"),
            SetupTitle => pick(lang, "Tạo mã PIN", "Create a PIN"),
            SetupIntro => pick(
                lang,
                "Ứng dụng luôn hiện như một máy tính. Để mở: gõ 6 chữ số bất kỳ (không phải mã PIN) rồi bấm = hai lần.",
                "The app always shows itself as a calculator. To open it: type any 6 digits (not your PIN), then press = twice.",
            ),
            FieldPin => pick(lang, "Mã PIN", "PIN"),
            FieldPinConfirm => pick(lang, "Nhập lại mã PIN", "Repeat the PIN"),
            FieldDuress => pick(lang, "Mã PIN khẩn cấp (không bắt buộc)", "Duress PIN (optional)"),
            FieldDuressConfirm => pick(lang, "Nhập lại mã PIN khẩn cấp", "Repeat the duress PIN"),
            DuressHelp => pick(
                lang,
                "Nếu bị ép mở ứng dụng, hãy nhập mã này: dữ liệu bị xóa và ứng dụng hiện như mới cài.",
                "If you are forced to open the app, enter this one: the data is erased and the app looks newly installed.",
            ),
            SetupCreate => pick(lang, "Tạo mã PIN", "Create the PIN"),
            PinCreated => pick(lang, "Đã tạo mã PIN", "PIN created"),
            PinTitle => pick(lang, "Nhập mã PIN", "Enter your PIN"),
            Unlock => pick(lang, "Mở khóa", "Unlock"),
            HomeTitle => pick(lang, "Trang chủ", "Home"),
            Overdue => pick(lang, "Theo dõi quá hạn", "Overdue follow-ups"),
            DueToday => pick(lang, "Theo dõi hôm nay", "Follow-ups due today"),
            Recent => pick(lang, "Hồ sơ gần đây", "Recent cases"),
            MoreNeedAttention(n) => vi_en(
                format!("Còn {n} hồ sơ cần chú ý nữa: xem danh sách hồ sơ"),
                format!("{n} more cases need attention: see the case list"),
            ),
            SchoolCases => pick(
                lang,
                "Học sinh đang được hỗ trợ",
                "Students being supported",
            ),
            NoCasesYet => pick(lang, "Chưa có hồ sơ nào", "No cases yet"),
            NothingDue => pick(lang, "Không có việc theo dõi đến hạn", "No follow-up is due"),
            RecordIncident => pick(lang, "Ghi nhận vụ việc", "Record an incident"),
            AllCases => pick(lang, "Danh sách hồ sơ", "Case list"),
            FindShelter => pick(lang, "Tìm nơi tạm lánh gần nhất", "Find the nearest shelter"),
            AnswerOrganisation(name) => vi_en(
                format!("Bổ sung thông tin cho {name}"),
                format!("Answer {name}'s question"),
            ),
            Settings => pick(lang, "Cài đặt", "Settings"),
            FollowUpOn(day) => vi_en(format!("Theo dõi: {day}"), format!("Follow-up: {day}")),
            FollowUpToday => pick(lang, "Theo dõi: hôm nay", "Follow-up: today"),
            OverdueDays(n) => vi_en(
                format!("Theo dõi quá hạn {n} ngày"),
                format!("Follow-up {n} {} overdue", if *n == 1 { "day" } else { "days" }),
            ),
            RiskIs(level) => vi_en(format!("Nguy cơ {level}"), format!("{level} risk")),
            Child => pick(lang, "trẻ em", "child"),
            ConflictsToResolve(n) => vi_en(
                format!("{n} xung đột cần giải quyết"),
                format!("{n} {} to resolve", if *n == 1 { "conflict" } else { "conflicts" }),
            ),
            UpdatedAt(at) => vi_en(format!("Cập nhật {at}"), format!("Updated {at}")),
            CaseListTitle => pick(lang, "Danh sách hồ sơ", "Cases"),
            FilterStatus => pick(lang, "Trạng thái", "Status"),
            FilterRisk => pick(lang, "Mức độ nguy cơ", "Risk level"),
            Any => pick(lang, "Tất cả", "All"),
            CaseCount(n) => vi_en(
                format!("{n} hồ sơ"),
                format!("{n} {}", if *n == 1 { "case" } else { "cases" }),
            ),
            ShowMore(n) => vi_en(format!("Xem thêm {n} hồ sơ"), format!("Show {n} more")),
            NoMatch => pick(lang, "Không có hồ sơ nào khớp bộ lọc", "No case matches the filter"),
            Unreadable(n) => vi_en(
                format!("{n} hồ sơ không đọc được (dữ liệu bị hỏng)"),
                format!("{n} {} could not be read (damaged data)", if *n == 1 { "case" } else { "cases" }),
            ),
            SummaryTitle => pick(lang, "Tóm tắt hồ sơ", "Case summary"),
            SurvivorCode => pick(lang, "Mã người bị bạo lực", "Survivor code"),
            Status => pick(lang, "Trạng thái", "Status"),
            RiskLevel => pick(lang, "Mức độ nguy cơ", "Risk level"),
            ViolenceType => pick(lang, "Loại bạo lực", "Violence type"),
            Contexts => pick(lang, "Bối cảnh", "Contexts"),
            Commune => pick(lang, "Xã, phường", "Commune or ward"),
            IncidentDate => pick(lang, "Ngày xảy ra", "Date of the incident"),
            ReportedOn => pick(lang, "Ngày tiếp nhận", "Reported on"),
            ChildUnder18 => pick(lang, "Trẻ em (dưới 18 tuổi)", "Child (under 18)"),
            NextFollowUp => pick(lang, "Theo dõi tiếp theo", "Next follow-up"),
            Services => pick(lang, "Dịch vụ hỗ trợ", "Support services"),
            Notes => pick(lang, "Ghi chú", "Notes"),
            Conflicts => pick(lang, "Xung đột cần giải quyết", "Conflicts to resolve"),
            LastUpdated => pick(lang, "Cập nhật lần cuối", "Last updated"),
            Yes => pick(lang, "có", "yes"),
            No => pick(lang, "không", "no"),
            NotKnown => pick(lang, "không rõ", "not known"),
            NoneYet => pick(lang, "chưa có", "none yet"),
            EmergencyTitle => pick(lang, "Số điện thoại khẩn cấp", "Emergency numbers"),
            EmergencyIntro => pick(
                lang,
                "Gọi miễn phí, cả khi không có tiền trong tài khoản.",
                "Free to call, even with no credit.",
            ),
            Police => pick(lang, "Công an", "Police"),
            Ambulance => pick(lang, "Cấp cứu y tế", "Ambulance"),
            ChildHotline => pick(
                lang,
                "Tổng đài quốc gia bảo vệ trẻ em",
                "National child protection hotline",
            ),
            Call(number) => vi_en(format!("Gọi {number}"), format!("Call {number}")),
            Language => pick(lang, "Ngôn ngữ", "Language"),
            ChangePin => pick(lang, "Đổi mã PIN", "Change the PIN"),
            SetDuressPin => pick(lang, "Đặt mã PIN khẩn cấp", "Set a duress PIN"),
            FieldDuressRequired => pick(lang, "Mã PIN khẩn cấp", "Duress PIN"),
            DuressPinSet => pick(lang, "Đã đặt mã PIN khẩn cấp", "Duress PIN set"),
            EraseAll => pick(lang, "Xóa toàn bộ dữ liệu", "Erase all data"),
            FieldCurrentPin => pick(lang, "Mã PIN hiện tại", "Current PIN"),
            FieldNewPin => pick(lang, "Mã PIN mới", "New PIN"),
            FieldNewPinConfirm => pick(lang, "Nhập lại mã PIN mới", "Repeat the new PIN"),
            Save => pick(lang, "Lưu", "Save"),
            PinChanged => pick(lang, "Đã đổi mã PIN", "PIN changed"),
            WipeWarning => pick(
                lang,
                "Mọi dữ liệu trong ứng dụng trên máy này sẽ bị xóa vĩnh viễn, không thể khôi phục.",
                "Everything this app holds on this phone is erased for good and cannot be recovered.",
            ),
            WipeConfirm => pick(lang, "Xóa ngay", "Erase now"),
            Cancel => pick(lang, "Hủy", "Cancel"),
            SyncTitle => pick(lang, "Đồng bộ dữ liệu", "Sync"),
            SyncNow => pick(lang, "Đồng bộ ngay", "Sync now"),
            EnrolTitle => pick(lang, "Đăng ký máy", "Enrol this phone"),
            EnrolIntro => pick(
                lang,
                "Nhập mã mời do cán bộ phụ trách xã cấp. Dữ liệu được mã hóa trên máy trước khi gửi; máy chủ không đọc được hồ sơ.",
                "Enter the invitation code from your commune case manager. Data is encrypted on this phone before it is sent; the server cannot read a case.",
            ),
            EnrolSubmit => pick(lang, "Đăng ký", "Enrol"),
            FieldServerUrl => pick(lang, "Địa chỉ máy chủ", "Server address"),
            FieldInvitationCode => pick(lang, "Mã mời", "Invitation code"),
            FieldDeviceLabel => pick(lang, "Tên gọi của máy (không cần thông tin cá nhân)", "A name for this phone (no personal data needed)"),
            InvitationHelp => pick(lang, "Mã chỉ dùng được một lần", "The code works once"),
            ScanInvitation => pick(lang, "Quét mã QR của lời mời", "Scan the invitation's QR code"),
            InvitationScanned => pick(
                lang,
                "Đã đọc mã mời: kiểm tra địa chỉ máy chủ, đặt tên cho máy rồi bấm Đăng ký.",
                "Invitation read: check the server address, name this phone, then Enrol.",
            ),
            NotEnrolled => pick(
                lang,
                "Máy này chưa đăng ký: hồ sơ chỉ lưu trên máy.",
                "This phone is not enrolled: cases stay on this phone only.",
            ),
            EnrolledServer => pick(lang, "Máy chủ", "Server"),
            EnrolledRole => pick(lang, "Vai trò", "Role"),
            EnrolledCommune => pick(lang, "Xã, phường", "Commune or ward"),
            ConflictResolved => pick(lang, "Đã giải quyết xung đột", "Conflict resolved"),
            ResolveConflicts(n) => vi_en(
                format!("Giải quyết {n} xung đột"),
                format!("Resolve {n} {}", if *n == 1 { "conflict" } else { "conflicts" }),
            ),
            Invite => pick(lang, "Mời thiết bị", "Invite a device"),
            Devices => pick(lang, "Các máy trong xã", "Devices of the commune"),
            DeviceRevoked => pick(
                lang,
                "Đã thu hồi máy: máy đó sẽ tự xóa dữ liệu khi kết nối lần tới",
                "Device revoked: it erases its data at its next contact",
            ),
            DeviceCode => pick(lang, "Mã máy", "Device code"),
            LastSync => pick(lang, "Đồng bộ thành công gần nhất", "Last successful sync"),
            NeverSynced => pick(lang, "chưa đồng bộ lần nào", "never synced"),
            ItemsHeld(n) => vi_en(
                format!("{n} mục nhận về không mở được hoặc chữ ký không hợp lệ: đã để riêng, phần còn lại đã nhận đủ. Báo cho cán bộ phụ trách."),
                format!("{n} items received did not open or were not properly signed: held apart, everything else was received. Tell the case manager."),
            ),
            MembersWithoutConsent(n) => vi_en(
                format!("{n} người trong nhóm hồ sơ chưa được người bị bạo lực đồng ý chia sẻ: máy của cán bộ phụ trách hoặc người lập hồ sơ đã đổi khóa, họ không nhận được gì thêm. Báo cho cán bộ phụ trách."),
                format!("{n} case team members lack the survivor's consent to share: the case manager's or the creator's phone replaced the key, they receive nothing more. Tell the case manager."),
            ),
            ReferralsOverdue(n) => vi_en(
                format!("{n} chuyển gửi quá hạn phản hồi (tính đến lần đồng bộ gần nhất): hãy gọi cho đơn vị nhận."),
                format!("{n} referrals are overdue for an answer (as of the last sync): call the organisation."),
            ),
            StatisticsWaiting(n) => vi_en(
                format!("{n} bản thống kê (không định danh) đang giữ trên máy: chưa nhận được khóa của Sở Nội vụ nên chưa gửi. Sẽ gửi ở lần đồng bộ sau khi Sở công bố khóa."),
                format!("{n} de-identified statistics kept on this phone: the provincial office's key has not arrived, so they were not sent. They go at a sync after the office publishes its key."),
            ),
            Waiting(n) => vi_en(
                format!("{n} thay đổi chờ gửi"),
                format!("{n} {} waiting to be sent", if *n == 1 { "change" } else { "changes" }),
            ),
            SyncedCounts(sent, received) => vi_en(
                format!("đã gửi {sent}, đã nhận {received} thay đổi"),
                format!("{sent} sent, {received} received"),
            ),
            Enrolling => pick(lang, "Đang đăng ký…", "Enrolling…"),
            Authenticating => pick(lang, "Đang kết nối…", "Connecting…"),
            Pushing => pick(lang, "Đang gửi thay đổi…", "Sending changes…"),
            Pulling => pick(lang, "Đang nhận thay đổi…", "Receiving changes…"),
            Snapshots => pick(lang, "Đang cập nhật hồ sơ…", "Updating cases…"),
            Progress(done, total) => format!("{done}/{total}"),
            RoadMap => pick(lang, "Bản đồ đường", "Road map"),
            RoadMapInstalled(Some(version), bytes) => vi_en(
                format!("phiên bản {version}, {}", megabytes(*bytes, lang)),
                format!("version {version}, {}", megabytes(*bytes, lang)),
            ),
            RoadMapInstalled(None, bytes) => vi_en(
                format!("nhập từ tệp, {}", megabytes(*bytes, lang)),
                format!("imported from a file, {}", megabytes(*bytes, lang)),
            ),
            RoadMapNone => pick(
                lang,
                "chưa có: nơi tạm lánh được xếp theo đường chim bay",
                "none yet: shelters are ranked by straight-line distance",
            ),
            RoadUpdateWaitingWifi(bytes) => vi_en(
                format!("Bản cập nhật {} đang chờ Wi-Fi", megabytes(*bytes, lang)),
                format!("An update of {} is waiting for Wi-Fi", megabytes(*bytes, lang)),
            ),
            RoadUpdateNotDone(bytes) => vi_en(
                format!("Bản cập nhật {} chưa tải xong", megabytes(*bytes, lang)),
                format!("An update of {} is not downloaded yet", megabytes(*bytes, lang)),
            ),
            RoadsWifiOnly => pick(lang, "Chỉ tải bản đồ qua Wi-Fi", "Download maps on Wi-Fi only"),
            RoadsDownloadNow(bytes) => vi_en(
                format!("Tải ngay ({})", megabytes(*bytes, lang)),
                format!("Download now ({})", megabytes(*bytes, lang)),
            ),
            DownloadingRoads => pick(lang, "Đang tải bản đồ đường…", "Downloading the road map…"),
        }
    }
}

/// A coded reason: why an action is disabled, an event refused or a field
/// wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Why {
    WaitToRetry { secs: u64 },
    PinRequired,
    PinMismatch,
    PinWeak(PinWeakness),
    WrongPin { remaining: u32 },
    NewPinSameAsCurrent,
    NotAvailableHere,
    CaseNotFound,
    CaseUnreadable,
    StorageFailed,
    UnknownNumber,
    NothingToGoBackTo,
    ListFull,
    FormHasErrors,
    DraftUnreadable,
    IntakeRejected,
    SyncOffline,
    InvitationRefused,
    ServerBusy,
    ServerRefused,
    NotEnrolled,
    SyncCancelled,
    BadServerAddress,
    SyncRunning,
    FieldRequired,
    CaseClosed,
    ActionRefused,
    RoadMapRefused,
    NotAnInvitation,
}

impl Why {
    /// The stable code.
    pub(crate) fn code(&self) -> &'static str {
        match self {
            Why::WaitToRetry { .. } => "wait_to_retry",
            Why::PinRequired => "pin_required",
            Why::PinMismatch => "pin_mismatch",
            Why::PinWeak(w) => match w {
                PinWeakness::TooShort { .. } => "pin_too_short",
                PinWeakness::AllSame => "pin_all_same",
                PinWeakness::Sequence => "pin_sequence",
                PinWeakness::Repeated => "pin_repeated",
                PinWeakness::Common => "pin_common",
                PinWeakness::SameAsPin => "duress_same_as_pin",
            },
            Why::WrongPin { .. } => "wrong_pin",
            Why::NewPinSameAsCurrent => "new_pin_same_as_current",
            Why::NotAvailableHere => "not_available_here",
            Why::CaseNotFound => "case_not_found",
            Why::CaseUnreadable => "case_unreadable",
            Why::StorageFailed => "storage_failed",
            Why::UnknownNumber => "unknown_number",
            Why::NothingToGoBackTo => "nothing_to_go_back_to",
            Why::ListFull => "list_full",
            Why::FormHasErrors => "form_has_errors",
            Why::DraftUnreadable => "draft_unreadable",
            Why::IntakeRejected => "intake_rejected",
            Why::SyncOffline => "sync_offline",
            Why::InvitationRefused => "invitation_refused",
            Why::ServerBusy => "server_busy",
            Why::ServerRefused => "server_refused",
            Why::NotEnrolled => "not_enrolled",
            Why::NotAnInvitation => "not_an_invitation",
            Why::SyncCancelled => "sync_cancelled",
            Why::BadServerAddress => "bad_server_address",
            Why::SyncRunning => "sync_running",
            Why::FieldRequired => "required",
            Why::CaseClosed => "case_closed",
            Why::ActionRefused => "action_refused",
            Why::RoadMapRefused => "road_map_refused",
        }
    }

    /// The text in `lang`.
    pub(crate) fn text(&self, lang: Lang) -> String {
        let vi_en = |vi, en| vi_en(lang, vi, en);
        match self {
            Why::WaitToRetry { secs } => vi_en(
                format!("Chờ {} rồi thử lại", minutes_seconds(*secs)),
                format!("Try again in {}", minutes_seconds(*secs)),
            ),
            Why::PinRequired => pick(lang, "Hãy nhập mã PIN", "Enter the PIN"),
            Why::PinMismatch => pick(lang, "Hai mã PIN không khớp nhau", "The two PINs differ"),
            Why::PinWeak(w) => sentence(match lang {
                Lang::Vi => w.reason_vi(),
                Lang::En => w.reason_en(),
            }),
            Why::WrongPin { remaining } => vi_en(
                format!("Sai mã PIN, còn {remaining} lần thử"),
                format!(
                    "Wrong PIN, {remaining} {} left",
                    if *remaining == 1 { "attempt" } else { "attempts" }
                ),
            ),
            Why::NewPinSameAsCurrent => pick(
                lang,
                "Mã PIN mới phải khác mã PIN hiện tại",
                "The new PIN must differ from the current one",
            ),
            Why::NotAvailableHere => pick(
                lang,
                "Không làm được việc này ở màn hình này",
                "This cannot be done on this screen",
            ),
            Why::CaseNotFound => pick(lang, "Không tìm thấy hồ sơ", "Case not found"),
            Why::CaseUnreadable => pick(
                lang,
                "Hồ sơ này không đọc được (dữ liệu bị hỏng)",
                "This case cannot be read (damaged data)",
            ),
            Why::StorageFailed => pick(
                lang,
                "Không đọc hoặc ghi được dữ liệu trên máy. Hãy thử lại; nếu vẫn lỗi, báo cán bộ phụ trách.",
                "The data on this phone could not be read or written. Try again; if it keeps failing, tell your case manager.",
            ),
            Why::UnknownNumber => pick(
                lang,
                "Số này không có trong danh sách khẩn cấp",
                "This number is not in the emergency list",
            ),
            Why::NothingToGoBackTo => pick(lang, "Không có màn hình trước", "There is no previous screen"),
            Why::ListFull => pick(lang, "Đã đủ số dòng tối đa", "The list is full"),
            Why::FormHasErrors => pick(
                lang,
                "Còn mục cần sửa: xem danh sách bên dưới",
                "Some answers need correcting: see the list below",
            ),
            Why::DraftUnreadable => pick(
                lang,
                "Bản nháp trước không đọc được nên đã bị bỏ; hãy ghi lại từ đầu",
                "The earlier draft could not be read and was discarded; please start again",
            ),
            Why::SyncOffline => pick(
                lang,
                "Không kết nối được máy chủ. Hồ sơ vẫn an toàn trên máy; hãy thử lại khi có mạng.",
                "The server could not be reached. Cases are safe on this phone; try again when there is a network.",
            ),
            Why::InvitationRefused => pick(
                lang,
                "Mã mời không đúng, đã dùng hoặc đã hết hạn: xin cán bộ phụ trách xã một mã mới.",
                "The invitation code is wrong, used or expired: ask your commune case manager for a new one.",
            ),
            Why::ServerBusy => pick(
                lang,
                "Máy chủ đang bận: hãy thử lại sau vài phút.",
                "The server is busy: try again in a few minutes.",
            ),
            Why::ServerRefused => pick(
                lang,
                "Máy chủ từ chối yêu cầu. Hãy thử lại; nếu vẫn lỗi, báo cán bộ phụ trách.",
                "The server refused the request. Try again; if it keeps failing, tell your case manager.",
            ),
            Why::NotAnInvitation => pick(
                lang,
                "Mã vừa quét không phải mã mời Bình An. Hãy quét mã QR trên màn hình mời của cán bộ phụ trách, hoặc nhập mã.",
                "What was scanned is not a Bình An invitation. Scan the QR code on your case manager's invitation screen, or type the code.",
            ),
            Why::NotEnrolled => pick(
                lang,
                "Máy chưa đăng ký: hãy đăng ký bằng mã mời trước.",
                "This phone is not enrolled: enrol it with an invitation code first.",
            ),
            Why::SyncCancelled => pick(
                lang,
                "Đồng bộ đã dừng; phần đã gửi được giữ lại, lần sau sẽ tiếp tục.",
                "Sync stopped; what was sent is kept and the next sync carries on.",
            ),
            Why::BadServerAddress => pick(
                lang,
                "Địa chỉ máy chủ không hợp lệ: kiểm tra lại với cán bộ phụ trách.",
                "The server address is not valid: check it with your case manager.",
            ),
            Why::SyncRunning => pick(lang, "Đang đồng bộ", "A sync is running"),
            Why::FieldRequired => pick(lang, "Cần điền mục này", "This is required"),
            Why::CaseClosed => pick(
                lang,
                "Hồ sơ đã đóng: mở lại hồ sơ để ghi tiếp",
                "The case is closed: reopen it to record more",
            ),
            Why::ActionRefused => pick(
                lang,
                "Chưa lưu được: hồ sơ vừa thay đổi (có thể đã được đóng trên máy khác). Xem lại hồ sơ rồi thử lại.",
                "Not saved: the case has just changed (it may have been closed on another phone). Check the case and try again.",
            ),
            Why::RoadMapRefused => pick(
                lang,
                "Bản đồ đường tải về bị hỏng hoặc không có chữ ký của tỉnh: đã giữ bản đồ cũ. Hãy thử lại sau.",
                "The road map downloaded was damaged or not signed by the province: the old map was kept. Try again later.",
            ),
            Why::IntakeRejected => pick(
                lang,
                "Hồ sơ chưa lưu được: hãy kiểm tra lại các mục rồi lưu lại",
                "The case was not saved: check the answers and save again",
            ),
        }
    }

    /// The reason as the view carries it.
    pub(crate) fn reason(&self, lang: Lang) -> Reason {
        Reason::new(self.code(), self.text(lang))
    }
}

/// A size in megabytes with one decimal, as people read it: "2,4 MB" in
/// Vietnamese, "2.4 MB" in English; never "0,0 MB" for something.
fn megabytes(bytes: u64, lang: Lang) -> String {
    let tenths = (bytes + 50_000) / 100_000;
    let tenths = if bytes > 0 { tenths.max(1) } else { 0 };
    let separator = match lang {
        Lang::Vi => ",",
        Lang::En => ".",
    };
    format!("{}{separator}{} MB", tenths / 10, tenths % 10)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glossary_terms_are_used() {
        assert_eq!(T::QuickExit.get(Lang::Vi), "Thoát nhanh");
        assert_eq!(T::EraseAll.get(Lang::Vi), "Xóa toàn bộ dữ liệu");
        assert_eq!(
            Why::WrongPin { remaining: 3 }.text(Lang::Vi),
            "Sai mã PIN, còn 3 lần thử"
        );
        assert_eq!(T::EmergencyTitle.get(Lang::Vi), "Số điện thoại khẩn cấp");
    }

    #[test]
    fn countdown_is_minutes_and_seconds() {
        assert_eq!(minutes_seconds(0), "0:00");
        assert_eq!(minutes_seconds(59), "0:59");
        assert_eq!(minutes_seconds(900), "15:00");
        assert_eq!(
            Why::WaitToRetry { secs: 75 }.text(Lang::En),
            "Try again in 1:15"
        );
    }

    #[test]
    fn every_weakness_has_a_distinct_code_and_both_texts() {
        let all = [
            PinWeakness::TooShort { min: 6 },
            PinWeakness::AllSame,
            PinWeakness::Sequence,
            PinWeakness::Repeated,
            PinWeakness::Common,
            PinWeakness::SameAsPin,
        ];
        let codes: std::collections::HashSet<_> =
            all.iter().map(|w| Why::PinWeak(*w).code()).collect();
        assert_eq!(codes.len(), all.len());
        for w in all {
            assert_ne!(
                Why::PinWeak(w).text(Lang::Vi),
                Why::PinWeak(w).text(Lang::En)
            );
        }
    }

    #[test]
    fn sizes_read_in_megabytes_with_the_language_s_decimal_mark() {
        assert_eq!(megabytes(2_400_000, Lang::Vi), "2,4 MB");
        assert_eq!(megabytes(1_149_999, Lang::En), "1.1 MB");
        assert_eq!(megabytes(3_000, Lang::Vi), "0,1 MB");
        assert_eq!(megabytes(0, Lang::En), "0.0 MB");
    }
}
