//! The annual report desk's texts, in Vietnamese and English (terms from
//! `GLOSSARY.md`: báo cáo định kỳ hằng năm, cán bộ Sở Nội vụ, người bị bạo
//! lực trên cơ sở giới), and its coded errors with what to do.

use crate::text::{pick, vi_en};
use crate::view::Reason;
use binhan_core::model::Lang;
use binhan_core::stats::report::SUPPRESSED;

/// A label or sentence of the report desk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum L {
    Title,
    Intro,
    Year,
    Running(i32),
    Reload,
    Heading {
        year: i32,
        from: String,
        to: String,
        generated_on: String,
    },
    Suppression {
        threshold: u32,
        suppressed: usize,
        shown: usize,
    },
    ChartTitle,
    ChartSummary {
        met: usize,
        of: usize,
    },
    Scale {
        max: String,
    },
    Target(String),
    Previous(String),
    Met,
    NotMet,
    CannotAssess,
    NoData,
    OtherFigures,
    Tables,
    ChooseTable,
    Workbook,
    WorkbookNote,
    MoreRows(usize),
    Download {
        kind: &'static str,
        size: String,
    },
    FileReady(String),
    Suppressed,
    Province,
    RowHeading,
    Yes,
    NotYet,
}

impl L {
    pub(crate) fn get(&self, lang: Lang) -> String {
        match self {
            L::Title => pick(lang, "Báo cáo định kỳ hằng năm", "Annual report"),
            L::Intro => pick(
                lang,
                "Kết quả thực hiện Kế hoạch so với chỉ tiêu đến năm 2030, lập từ số liệu thống kê không định danh trên máy chủ. Báo cáo gửi Ủy ban nhân dân tỉnh trước ngày 01/12 hằng năm.",
                "Progress on the plan against its 2030 targets, made from the de-identified statistics on the server. The report goes to the Provincial People's Committee before 1 December each year.",
            ),
            L::Year => pick(lang, "Năm báo cáo", "Report year"),
            L::Running(year) => vi_en(
                lang,
                format!("Đang lập báo cáo năm {year}…"),
                format!("Making the {year} report…"),
            ),
            L::Reload => pick(lang, "Lập lại báo cáo", "Make the report again"),
            L::Heading {
                year,
                from,
                to,
                generated_on,
            } => vi_en(
                lang,
                format!("Báo cáo năm {year} (từ {from} đến {to}), lập ngày {generated_on}"),
                format!("Report for {year} ({from} to {to}), made on {generated_on}"),
            ),
            L::Suppression {
                threshold,
                suppressed,
                shown,
            } => vi_en(
                lang,
                format!(
                    "Để bảo vệ người bị bạo lực, mọi ô có từ 1 đến {} người được ẩn, cùng một số ô khác để không suy ra được: {suppressed} trên {shown} ô số liệu năm nay bị ẩn. Ô bị ẩn ghi “ẩn” ở đây và “{SUPPRESSED}” trong tệp Excel, CSV; không phải số 0.",
                    threshold.saturating_sub(1)
                ),
                format!(
                    "To protect survivors, every cell of 1 to {} people is suppressed, with other cells so that none can be worked out: {suppressed} of this year's {shown} cells are suppressed. A suppressed cell reads “suppressed” here and “{SUPPRESSED}” in the Excel and CSV files; it is not a zero.",
                    threshold.saturating_sub(1)
                ),
            ),
            L::ChartTitle => pick(
                lang,
                "Chỉ tiêu của Kế hoạch so với mục tiêu năm 2030 (toàn tỉnh)",
                "The plan's indicators against their 2030 targets (province)",
            ),
            L::ChartSummary { met, of } => vi_en(
                lang,
                format!("Đạt {met} trên {of} chỉ tiêu có mục tiêu đến năm 2030."),
                format!("{met} of the {of} targets for 2030 met."),
            ),
            L::Scale { max } => vi_en(lang, format!("thang 0–{max}"), format!("scale 0–{max}")),
            L::Target(t) => vi_en(lang, format!("mục tiêu 2030: {t}"), format!("2030 target: {t}")),
            L::Previous(p) => vi_en(lang, format!("năm trước: {p}"), format!("previous year: {p}")),
            L::Met => pick(lang, "đạt", "met"),
            L::NotMet => pick(lang, "chưa đạt", "not met"),
            L::CannotAssess => pick(
                lang,
                "chưa đánh giá được vì số liệu bị ẩn",
                "cannot be assessed: the figure is suppressed",
            ),
            L::NoData => pick(lang, "chưa có số liệu", "no data yet"),
            L::OtherFigures => pick(lang, "Số liệu khác", "Other figures"),
            L::Tables => pick(lang, "Bảng theo xã, phường", "Tables by commune"),
            L::ChooseTable => pick(lang, "Chọn bảng", "Choose a table"),
            L::Workbook => pick(lang, "Xem trước tệp Excel", "Workbook preview"),
            L::WorkbookNote => pick(
                lang,
                "Các trang tính của tệp XLSX sẽ tải về, mỗi trang vài dòng đầu, đọc từ chính tệp đó.",
                "The sheets of the XLSX file to download, the first rows of each, read from that very file.",
            ),
            L::MoreRows(n) => vi_en(lang, format!("… và {n} dòng nữa"), format!("… and {n} more rows")),
            L::Download { kind, size } => vi_en(
                lang,
                format!("Tải về {kind} ({size})"),
                format!("Download {kind} ({size})"),
            ),
            L::FileReady(name) => vi_en(
                lang,
                format!("Đã xuất tệp {name}"),
                format!("{name} is ready"),
            ),
            L::Suppressed => pick(lang, "ẩn", "suppressed"),
            L::Province => pick(lang, "Toàn tỉnh", "Province"),
            L::RowHeading => pick(lang, "Xã, phường", "Commune or ward"),
            L::Yes => pick(lang, "Có", "Yes"),
            L::NotYet => pick(lang, "Chưa có", "Not yet"),
        }
    }
}

/// Why the report could not be shown, with what to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ReportWhy {
    NotEnrolled,
    NotOfficer,
    NoOfficeKey,
    Offline,
    ServerBusy,
    ServerRefused,
    Unreadable,
    Running,
    NotLoaded,
}

impl ReportWhy {
    pub(crate) fn code(self) -> &'static str {
        match self {
            ReportWhy::NotEnrolled => "not_enrolled",
            ReportWhy::NotOfficer => "not_provincial_officer",
            ReportWhy::NoOfficeKey => "no_signing_key",
            ReportWhy::Offline => "report_offline",
            ReportWhy::ServerBusy => "server_busy",
            ReportWhy::ServerRefused => "report_refused",
            ReportWhy::Unreadable => "report_unreadable",
            ReportWhy::Running => "report_running",
            ReportWhy::NotLoaded => "report_not_loaded",
        }
    }

    pub(crate) fn text(self, lang: Lang) -> String {
        match self {
            ReportWhy::NotEnrolled => pick(
                lang,
                "Máy này chưa đăng ký với máy chủ nên chưa lập được báo cáo. Hãy đăng ký bằng mã mời (mục Đồng bộ), rồi mở lại báo cáo.",
                "This device is not enrolled with the server, so it cannot make the report. Enrol it with an invitation code (under Sync), then open the report again.",
            ),
            ReportWhy::NotOfficer => pick(
                lang,
                "Chỉ cán bộ Sở Nội vụ xem và tải được báo cáo năm. Hãy dùng máy đã đăng ký với vai trò cán bộ Sở Nội vụ.",
                "Only the provincial officer (Department of Home Affairs) can see and download the annual report. Use a device enrolled as the provincial officer.",
            ),
            ReportWhy::NoOfficeKey => pick(
                lang,
                "Máy này chưa giữ khóa ký của tỉnh nên không mở được số liệu thống kê: chỉ khóa của Sở mở được. Hãy tạo hoặc nhập khóa ở mục Danh bạ nơi tạm lánh, đồng bộ, rồi lập lại báo cáo.",
                "This device does not hold the provincial signing key, so it cannot open the statistics: only the office's key opens them. Make or enter the key in the shelter registry, sync, then make the report again.",
            ),
            ReportWhy::Offline => pick(
                lang,
                "Không kết nối được máy chủ nên chưa lập được báo cáo. Kiểm tra mạng rồi bấm “Lập lại báo cáo”.",
                "The server could not be reached, so the report was not made. Check the network, then press “Make the report again”.",
            ),
            ReportWhy::ServerBusy => pick(
                lang,
                "Máy chủ đang bận: vài phút nữa hãy bấm “Lập lại báo cáo”.",
                "The server is busy: press “Make the report again” in a few minutes.",
            ),
            ReportWhy::ServerRefused => pick(
                lang,
                "Máy chủ từ chối lập báo cáo. Hãy thử lại; nếu vẫn lỗi, báo người quản trị máy chủ.",
                "The server refused to make the report. Try again; if it keeps failing, tell the server's administrator.",
            ),
            ReportWhy::Unreadable => pick(
                lang,
                "Báo cáo nhận về không đọc được. Hãy thử lại; nếu vẫn lỗi, báo người quản trị máy chủ.",
                "The report received could not be read. Try again; if it keeps failing, tell the server's administrator.",
            ),
            ReportWhy::Running => pick(
                lang,
                "Đang lập báo cáo hoặc đồng bộ: chờ xong rồi thử lại.",
                "A report or a sync is running: wait for it to end, then try again.",
            ),
            ReportWhy::NotLoaded => pick(
                lang,
                "Báo cáo chưa lập xong: chờ xong rồi tải về.",
                "The report is not made yet: wait for it, then download.",
            ),
        }
    }

    pub(crate) fn reason(self, lang: Lang) -> Reason {
        Reason::new(self.code(), self.text(lang))
    }
}

/// A number as people read it: "62,5" in Vietnamese, "62.5" in English
/// (one decimal, none for whole numbers).
pub(crate) fn decimal(x: f64, lang: Lang) -> String {
    let tenths = (x * 10.0).round();
    let text = if tenths % 10.0 == 0.0 {
        format!("{:.0}", tenths / 10.0)
    } else {
        format!("{:.1}", tenths / 10.0)
    };
    match lang {
        Lang::Vi => text.replace('.', ","),
        Lang::En => text,
    }
}

/// A file size in kilobytes, at least 1: "24 KB".
pub(crate) fn kilobytes(bytes: usize) -> String {
    format!("{} KB", bytes.div_ceil(1024).max(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_with_the_language_s_decimal_mark() {
        assert_eq!(decimal(62.5, Lang::Vi), "62,5");
        assert_eq!(decimal(62.5, Lang::En), "62.5");
        assert_eq!(decimal(100.0, Lang::Vi), "100");
        assert_eq!(decimal(66.666, Lang::En), "66.7");
        assert_eq!(kilobytes(0), "1 KB");
        assert_eq!(kilobytes(24_577), "25 KB");
    }

    #[test]
    fn every_reason_has_a_distinct_code_and_both_texts() {
        let all = [
            ReportWhy::NotEnrolled,
            ReportWhy::NotOfficer,
            ReportWhy::Offline,
            ReportWhy::ServerBusy,
            ReportWhy::ServerRefused,
            ReportWhy::Unreadable,
            ReportWhy::Running,
            ReportWhy::NotLoaded,
        ];
        let codes: std::collections::HashSet<_> = all.iter().map(|w| w.code()).collect();
        assert_eq!(codes.len(), all.len());
        for why in all {
            assert_ne!(why.text(Lang::Vi), why.text(Lang::En));
        }
    }
}
