//! The registries desk's texts, in Vietnamese and English (terms from
//! `GLOSSARY.md`: tập huấn, cộng tác viên, cán bộ phụ trách, Sở Nội vụ).

use super::form::{AttendeeField, EntryField};
use super::RegistryKind;
use crate::text::{pick, vi_en};
use binhan_core::model::Lang;
use binhan_core::stats::import::{ImportKind, MAX_IMPORT_MIB};

/// A fixed text of the desk.
#[derive(Debug, Clone, Copy)]
pub(crate) enum L {
    /// The home action and the lists' title (officer).
    Title,
    /// The home action and the list's title (manager).
    CommuneTitle,
    IntroOfficer,
    IntroManager,
    /// A collaborator's or a counselor's desk.
    IntroActivities,
    /// The home action of a collaborator or a counselor.
    ActivitiesTitle,
    EditActivityHelp,
    /// Where an activity's sending stands.
    Pending,
    Sent,
    OnServer,
    ActivityRecorded,
    Reload,
    Import,
    ImportTitle,
    Loading,
    Recording,
    Empty,
    AddAttendee,
    RemoveAttendee,
    Save,
    EditHelp,
    ChooseFile,
    ReadFile,
    FileHelp,
    NoFile,
    RecordAll,
    ImportRefused,
    Attendees,
    NoAttendees,
    Edit,
    Collaborator,
    Official,
    SinceNever,
    /// A school whose counselors recorded no step of the procedure.
    NoUseRecorded,
}

impl L {
    pub(crate) fn get(self, lang: Lang) -> String {
        let (vi, en) = match self {
            L::Title => (
                "Tập huấn, trường học, doanh nghiệp",
                "Training, schools, enterprises",
            ),
            L::CommuneTitle => ("Tập huấn của xã", "The commune's training"),
            L::IntroOfficer => (
                "Sổ theo dõi của chương trình: các buổi tập huấn và người tham dự, trường học \
                 có quy trình phòng ngừa và ứng phó bạo lực trên cơ sở giới, doanh nghiệp có \
                 nội quy chống quấy rối tại nơi làm việc. Không ghi thông tin của người bị bạo lực.",
                "The programme's registries: training sessions and who attended, schools \
                 running the GBV procedure, enterprises with workplace anti-harassment rules. \
                 Nothing about survivors is recorded here.",
            ),
            L::IntroActivities => (
                "Các buổi họp thôn, bản, buổi truyền thông ở trường học, phát loa, bài đăng, tờ \
                 rơi về phòng ngừa bạo lực trên cơ sở giới của xã: ghi trên máy này, kể cả khi \
                 không có mạng, và gửi lên tỉnh khi đồng bộ. Chỉ ghi số người được tiếp cận, \
                 không ghi tên ai.",
                "The commune's village meetings, school sessions, broadcasts, posts and \
                 leaflets preventing gender-based violence: recorded on this device, even \
                 offline, and sent to the province on sync. Only how many people were reached \
                 is recorded, never a name.",
            ),
            L::ActivitiesTitle => ("Hoạt động truyền thông", "Communication activities"),
            L::EditActivityHelp => (
                "Sửa rồi lưu: hoạt động này được ghi lại và gửi lại khi đồng bộ.",
                "Correct it and save: this activity is recorded again and sent on the next sync.",
            ),
            L::Pending => ("chờ đồng bộ", "waiting for sync"),
            L::Sent => ("đã gửi", "sent"),
            L::OnServer => ("ghi trên máy khác", "recorded on another device"),
            L::ActivityRecorded => (
                "Đã lưu hoạt động trên máy này; sẽ gửi khi đồng bộ",
                "Activity saved on this device; it is sent on the next sync",
            ),
            L::IntroManager => (
                "Các buổi tập huấn tổ chức tại xã và người tham dự, các hoạt động truyền \
                 thông của xã. Sở Nội vụ xem và sửa được tất cả.",
                "The training sessions held in the commune and who attended, the commune's \
                 communication activities. The provincial office sees and corrects all of them.",
            ),
            L::Reload => ("Tải lại", "Reload"),
            L::Import => ("Nhập từ tệp CSV/XLSX", "Import from a CSV/XLSX file"),
            L::ImportTitle => ("Nhập từ tệp", "Import from a file"),
            L::Loading => ("Đang tải danh sách…", "Loading the lists…"),
            L::Recording => ("Đang ghi…", "Recording…"),
            L::Empty => ("Chưa có mục nào.", "Nothing recorded yet."),
            L::AddAttendee => ("Thêm người tham dự", "Add an attendee"),
            L::RemoveAttendee => ("Bỏ dòng này", "Remove this row"),
            L::Save => ("Lưu", "Save"),
            L::EditHelp => (
                "Sửa ngày, nơi tổ chức hoặc tên thì sẽ ghi thành một mục mới; mục cũ vẫn còn.",
                "Changing the day, the place or the name records a new entry; the old one stays.",
            ),
            L::ReadFile => ("Đọc tệp", "Read the file"),
            L::ChooseFile => ("Chọn tệp CSV hoặc XLSX", "Choose a CSV or XLSX file"),
            L::FileHelp => (
                "Dòng đầu là tiêu đề cột. Tập huấn: Ngày, Xã, Chủ đề, Mã học viên, Xã học \
                 viên, Vai trò (mỗi người tham dự một dòng). Trường học: Tên trường, Xã, Áp \
                 dụng quy trình từ. Doanh nghiệp: Tên doanh nghiệp, Xã, Có nội quy từ. Ngày \
                 viết 10/05/2026 hoặc 2026-05-10. Tệp có lỗi thì không ghi dòng nào.",
                "The first row names the columns. Training: Date, Commune, Title, Person, \
                 Person commune, Role (one row per attendee). Schools: School, Commune, \
                 Procedure since. Enterprises: Enterprise, Commune, Rules since. Days as \
                 10/05/2026 or 2026-05-10. A file with any problem records nothing.",
            ),
            L::NoFile => ("Chưa chọn tệp", "No file chosen"),
            L::RecordAll => ("Ghi tất cả", "Record all"),
            L::ImportRefused => (
                "Tệp có lỗi nên không ghi dòng nào. Hãy sửa các dòng dưới đây rồi chọn lại tệp.",
                "The file has problems, so nothing is recorded. Correct the rows below and \
                 choose the file again.",
            ),
            L::Attendees => ("Người tham dự", "Attendees"),
            L::NoAttendees => (
                "Chưa có người tham dự. Thêm từng người một (mã, xã, vai trò).",
                "No attendees yet. Add them one by one (id, commune, role).",
            ),
            L::Edit => ("Sửa", "Correct"),
            L::Collaborator => ("Cộng tác viên", "Collaborator"),
            L::Official => ("Cán bộ, công chức, viên chức", "Official"),
            L::SinceNever => ("chưa có", "not yet"),
            L::NoUseRecorded => (
                "cán bộ tư vấn chưa ghi nhận bước nào của quy trình",
                "its counselors have recorded no step of the procedure",
            ),
        };
        pick(lang, vi, en)
    }
}

impl RegistryKind {
    /// The tab's and the list's name.
    pub(crate) fn label(self, lang: Lang) -> String {
        match self {
            RegistryKind::TrainingSessions => pick(lang, "Tập huấn", "Training sessions"),
            RegistryKind::Schools => pick(lang, "Trường học", "Schools"),
            RegistryKind::Enterprises => pick(lang, "Doanh nghiệp", "Enterprises"),
            RegistryKind::CommunicationActivities => pick(lang, "Truyền thông", "Communication"),
        }
    }

    /// The add button, also the form's title.
    pub(crate) fn add(self, lang: Lang) -> String {
        match self {
            RegistryKind::TrainingSessions => {
                pick(lang, "Thêm buổi tập huấn", "Add a training session")
            }
            RegistryKind::Schools => pick(lang, "Thêm trường học", "Add a school"),
            RegistryKind::Enterprises => pick(lang, "Thêm doanh nghiệp", "Add an enterprise"),
            RegistryKind::CommunicationActivities => pick(
                lang,
                "Thêm hoạt động truyền thông",
                "Add a communication activity",
            ),
        }
    }

    /// The form's title when correcting.
    pub(crate) fn edit(self, lang: Lang) -> String {
        match self {
            RegistryKind::TrainingSessions => {
                pick(lang, "Sửa buổi tập huấn", "Correct a training session")
            }
            RegistryKind::Schools => pick(lang, "Sửa trường học", "Correct a school"),
            RegistryKind::Enterprises => pick(lang, "Sửa doanh nghiệp", "Correct an enterprise"),
            RegistryKind::CommunicationActivities => pick(
                lang,
                "Sửa hoạt động truyền thông",
                "Correct a communication activity",
            ),
        }
    }
}

impl EntryField {
    pub(crate) fn label(self, kind: RegistryKind, lang: Lang) -> String {
        let (vi, en) = match (self, kind) {
            (EntryField::Date, RegistryKind::CommunicationActivities) => (
                "Ngày tổ chức (hoặc phát, đăng)",
                "Day held (or broadcast, posted)",
            ),
            (EntryField::Date, _) => ("Ngày tổ chức", "Day held"),
            (EntryField::Commune, RegistryKind::CommunicationActivities) => ("Xã", "Commune"),
            (EntryField::Commune, RegistryKind::TrainingSessions) => {
                ("Nơi tổ chức (xã, hoặc Tỉnh)", "Where (commune, or Tỉnh)")
            }
            (EntryField::Commune, _) => ("Xã, phường", "Commune"),
            (EntryField::Title, _) => ("Chủ đề", "Title"),
            (EntryField::Name, RegistryKind::Schools) => ("Tên trường", "School name"),
            (EntryField::Name, _) => ("Tên doanh nghiệp", "Enterprise name"),
            (EntryField::Since, RegistryKind::Schools) => (
                "Áp dụng quy trình phòng ngừa, ứng phó từ ngày",
                "Runs the prevention and response procedure since",
            ),
            (EntryField::Since, _) => (
                "Có nội quy chống quấy rối tình dục từ ngày",
                "Has anti-harassment rules since",
            ),
            (EntryField::Village, _) => ("Thôn, bản", "Village"),
            (EntryField::ActivityKind, _) => ("Hình thức", "Kind"),
            (EntryField::Campaign, _) => ("Đợt truyền thông", "Campaign"),
            (EntryField::Women, _) => ("Số phụ nữ", "Women"),
            (EntryField::Men, _) => ("Số nam giới", "Men"),
            (EntryField::Girls, _) => ("Số trẻ em gái (dưới 16 tuổi)", "Girls (under 16)"),
            (EntryField::Boys, _) => ("Số trẻ em trai (dưới 16 tuổi)", "Boys (under 16)"),
            (EntryField::EthnicMinority, _) => (
                "Trong đó, người dân tộc thiểu số",
                "Of them, people of an ethnic minority",
            ),
            (EntryField::Materials, _) => ("Tài liệu sử dụng", "Materials used"),
        };
        pick(lang, vi, en)
    }

    pub(crate) fn help(self, manager: bool, lang: Lang) -> Option<String> {
        match self {
            EntryField::Date | EntryField::Since => {
                Some(pick(lang, "Ví dụ 10/05/2026", "For example 10/05/2026"))
            }
            EntryField::Commune if manager => Some(pick(
                lang,
                "Chỉ xã của máy này",
                "This device's commune only",
            )),
            EntryField::Commune => Some(pick(
                lang,
                "Tên xã (Xã Mù Cả) hoặc mã (mu_ca)",
                "The commune's name (Xã Mù Cả) or code (mu_ca)",
            )),
            EntryField::Village => Some(pick(
                lang,
                "Để trống nếu không tổ chức ở một thôn, bản",
                "Leave empty if it was not held in a village",
            )),
            EntryField::Women | EntryField::Men | EntryField::Girls | EntryField::Boys => Some(
                pick(lang, "Để trống nếu không đếm", "Leave empty if not counted"),
            ),
            EntryField::Materials => Some(pick(
                lang,
                "Ví dụ: tờ rơi, video, bài phát thanh",
                "For example: leaflets, a video, a broadcast script",
            )),
            EntryField::Title
            | EntryField::Name
            | EntryField::ActivityKind
            | EntryField::Campaign
            | EntryField::EthnicMinority => None,
        }
    }
}

impl AttendeeField {
    pub(crate) fn label(self, lang: Lang) -> String {
        match self {
            AttendeeField::Person => pick(lang, "Mã học viên", "Person id"),
            AttendeeField::Commune => pick(lang, "Xã công tác", "Commune"),
            AttendeeField::Role => pick(lang, "Vai trò", "Role"),
        }
    }

    pub(crate) fn help(self, lang: Lang) -> Option<String> {
        match self {
            AttendeeField::Person => Some(pick(
                lang,
                "Mã trong sổ của tỉnh, không ghi họ tên",
                "The id in the province's register, not a name",
            )),
            AttendeeField::Commune => Some(pick(
                lang,
                "Để trống nếu là xã tổ chức",
                "Leave empty for the commune of the session",
            )),
            AttendeeField::Role => None,
        }
    }
}

/// "Người tham dự 2".
pub(crate) fn attendee_title(row: u32, lang: Lang) -> String {
    vi_en(
        lang,
        format!("Người tham dự {}", row + 1),
        format!("Attendee {}", row + 1),
    )
}

/// "Quy trình được ghi nhận thực hiện gần nhất: 11/2026".
pub(crate) fn in_use_since(month: u32, year: i32, lang: Lang) -> String {
    vi_en(
        lang,
        format!("quy trình được ghi nhận thực hiện gần nhất: {month:02}/{year}"),
        format!("procedure last recorded in use: {month:02}/{year}"),
    )
}

/// "3 người tham dự".
pub(crate) fn attendee_count(n: usize, lang: Lang) -> String {
    vi_en(
        lang,
        format!("{n} người tham dự"),
        format!("{n} attendee{}", if n == 1 { "" } else { "s" }),
    )
}

/// "37 người được tiếp cận".
pub(crate) fn reached(n: u64, lang: Lang) -> String {
    vi_en(
        lang,
        format!("{n} người được tiếp cận"),
        format!("{n} {} reached", if n == 1 { "person" } else { "people" }),
    )
}

/// "bị từ chối: …".
pub(crate) fn refused(why: &str, lang: Lang) -> String {
    vi_en(
        lang,
        format!("bị từ chối: {why} — sửa rồi lưu để gửi lại"),
        format!("refused: {why} — correct it and save to send it again"),
    )
}

/// A refusal the app has no text for, by the server's code.
pub(crate) fn refused_code(code: &str, lang: Lang) -> String {
    // Only what a stable code holds, bounded: the server's text is not
    // shown.
    let code: String = code
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
        .take(60)
        .collect();
    vi_en(
        lang,
        format!("máy chủ không nhận (mã {code})"),
        format!("the server did not take it (code {code})"),
    )
}

/// What a clean file would record.
pub(crate) fn import_summary(
    kind: Option<ImportKind>,
    rows: u32,
    sessions: usize,
    attendees: usize,
    institutions: usize,
    lang: Lang,
) -> String {
    let what = match kind {
        Some(ImportKind::TrainingSessions) => vi_en(
            lang,
            format!("{sessions} buổi tập huấn, {attendees} lượt người tham dự"),
            format!("{sessions} training sessions, {attendees} attendances"),
        ),
        Some(ImportKind::Schools) => vi_en(
            lang,
            format!("{institutions} trường học"),
            format!("{institutions} schools"),
        ),
        Some(ImportKind::Enterprises) => vi_en(
            lang,
            format!("{institutions} doanh nghiệp"),
            format!("{institutions} enterprises"),
        ),
        None => pick(lang, "không rõ loại sổ", "an unknown kind of sheet"),
    };
    vi_en(
        lang,
        format!("{rows} dòng: {what}"),
        format!("{rows} rows: {what}"),
    )
}

/// What a refused file held: its rows and how many problems.
pub(crate) fn refused_summary(rows: u32, problems: usize, lang: Lang) -> String {
    vi_en(
        lang,
        format!("{rows} dòng, {problems} lỗi"),
        format!(
            "{rows} rows, {problems} problem{}",
            if problems == 1 { "" } else { "s" }
        ),
    )
}

/// "Dòng 4, cột «Xã»: …", or "Tệp: …" for the file as a whole.
pub(crate) fn problem_text(line: u32, column: Option<&str>, rule: &str, lang: Lang) -> String {
    let at = match (line, column) {
        (0, _) => pick(lang, "Tệp", "The file"),
        (line, None) => vi_en(lang, format!("Dòng {line}"), format!("Line {line}")),
        (line, Some(c)) => vi_en(
            lang,
            format!("Dòng {line}, cột «{c}»"),
            format!("Line {line}, column “{c}”"),
        ),
    };
    format!("{at}: {rule}")
}

/// "Đã ghi 2 buổi tập huấn, 7 người tham dự, 0 trường học, 0 doanh
/// nghiệp".
pub(crate) fn recorded(
    counts: &binhan_core::stats::registry::RegistryCounts,
    lang: Lang,
) -> String {
    vi_en(
        lang,
        format!(
            "Đã ghi {} buổi tập huấn, {} người tham dự, {} trường học, {} doanh nghiệp",
            counts.training_sessions, counts.attendees, counts.schools, counts.enterprises
        ),
        format!(
            "Recorded {} training sessions, {} attendees, {} schools, {} enterprises",
            counts.training_sessions, counts.attendees, counts.schools, counts.enterprises
        ),
    )
}

/// The largest file, for the file input's help.
pub(crate) fn max_size(lang: Lang) -> String {
    vi_en(
        lang,
        format!("Tối đa {MAX_IMPORT_MIB} MB"),
        format!("At most {MAX_IMPORT_MIB} MB"),
    )
}
