//! The online reports' texts, in Vietnamese and English (terms from
//! `GLOSSARY.md`: tiếp nhận trực tuyến, bạo lực thể chất, mua bán người,
//! xâm hại trẻ em, hồ sơ).

use crate::text::{pick, vi_en};
use binhan_core::model::Lang;
use binhan_core::online_report::{ContactWay, DangerNow, Harm, Writer};

/// A fixed text of the online reports' screens.
#[derive(Debug, Clone, Copy)]
pub(crate) enum L {
    Title,
    DetailTitle,
    Intro,
    Empty,
    Danger,
    Waiting,
    CaseOpened,
    Linked,
    OpenCase,
    Link,
    Dismiss,
    LinkIntro,
    NoCases,
    DismissIntro,
    ReasonLabel,
    ConfirmDismiss,
    Cancel,
    Open,
    ReasonRequired,
    AlreadySorted,
    UnreadableOnlyDismiss,
    DraftWaiting,
    CaseOpenedDone,
    LinkedDone,
    DismissedDone,
    LabelWhat,
    LabelAccount,
    LabelCommune,
    LabelVillage,
    LabelDanger,
    LabelContact,
    LabelNumber,
    LabelWhen,
    LabelWriter,
    LabelWritten,
    NoContact,
}

impl L {
    pub(crate) fn get(self, lang: Lang) -> String {
        let (vi, en) = match self {
            L::Title => ("Báo cáo trực tuyến", "Online reports"),
            L::DetailTitle => ("Một báo cáo trực tuyến", "An online report"),
            L::Intro => (
                "Báo cáo người dân gửi qua trang tiếp nhận trực tuyến, mới nhất trước. Xem từng báo cáo, rồi mở hồ sơ mới, gắn vào hồ sơ đã có, hoặc bỏ qua với lý do.",
                "Reports people sent through the online intake page, newest first. Read each one, then open a new case, add it to an existing case, or dismiss it with a reason.",
            ),
            L::Empty => ("Chưa có báo cáo trực tuyến nào.", "No online report yet."),
            L::Danger => ("Có người đang gặp nguy hiểm", "Someone is in danger now"),
            L::Waiting => ("Chờ xử lý", "Waiting"),
            L::CaseOpened => ("Đã mở hồ sơ", "Case opened"),
            L::Linked => ("Đã gắn vào hồ sơ", "Added to a case"),
            L::OpenCase => ("Mở hồ sơ mới", "Open a new case"),
            L::Link => ("Gắn vào hồ sơ", "Add to a case"),
            L::Dismiss => ("Bỏ qua", "Dismiss"),
            L::LinkIntro => (
                "Chọn hồ sơ của xã để gắn báo cáo này vào. Hồ sơ sẽ có thêm một ghi chú với toàn bộ nội dung báo cáo.",
                "Choose the commune's case to add this report to. The case gets a note with everything the report says.",
            ),
            L::NoCases => ("Xã chưa có hồ sơ nào.", "The commune has no case yet."),
            L::DismissIntro => (
                "Bỏ qua báo cáo này (ví dụ: trùng với báo cáo khác, không thuộc xã, không phải báo cáo). Cần ghi lý do.",
                "Dismiss this report (for example: a duplicate, not in this commune, not a report). A reason is needed.",
            ),
            L::ReasonLabel => ("Lý do bỏ qua", "Reason for dismissing"),
            L::ConfirmDismiss => ("Bỏ qua báo cáo này", "Dismiss this report"),
            L::Cancel => ("Quay lại", "Go back"),
            L::Open => ("Xem", "Open"),
            L::ReasonRequired => ("Cần ghi lý do bỏ qua", "A reason is needed"),
            L::AlreadySorted => ("Báo cáo này đã được xử lý", "This report was already sorted"),
            L::UnreadableOnlyDismiss => (
                "Không mở được báo cáo này: chỉ có thể bỏ qua",
                "This report could not be opened: it can only be dismissed",
            ),
            L::DraftWaiting => (
                "Đang có một hồ sơ nhập dở: lưu hoặc bỏ bản nháp đó trước",
                "An incident being recorded is waiting: save or discard that draft first",
            ),
            L::CaseOpenedDone => (
                "Đã mở hồ sơ mới từ báo cáo trực tuyến",
                "A new case was opened from the online report",
            ),
            L::LinkedDone => (
                "Đã gắn báo cáo vào hồ sơ",
                "The report was added to the case",
            ),
            L::DismissedDone => ("Đã bỏ qua báo cáo", "The report was dismissed"),
            L::LabelWhat => ("Việc xảy ra", "What happened"),
            L::LabelAccount => ("Lời kể", "In the writer's words"),
            L::LabelCommune => ("Xã", "Commune"),
            L::LabelVillage => ("Thôn, bản", "Village"),
            L::LabelDanger => ("Có người đang gặp nguy hiểm", "Someone in danger now"),
            L::LabelContact => ("Cách liên hệ", "How to contact"),
            L::LabelNumber => ("Số điện thoại", "Phone number"),
            L::LabelWhen => ("Liên hệ lúc", "When to contact"),
            L::LabelWriter => ("Người viết", "Written by"),
            L::LabelWritten => ("Viết lúc", "Written at"),
            L::NoContact => ("Không liên hệ", "Do not contact"),
        };
        pick(lang, vi, en)
    }
}

/// "3 chờ xử lý".
pub(crate) fn waiting_count(n: usize, lang: Lang) -> String {
    vi_en(lang, format!("{n} chờ xử lý"), format!("{n} waiting"))
}

/// The home action: "Báo cáo trực tuyến (3 chờ xử lý)".
pub(crate) fn home_label(waiting: usize, lang: Lang) -> String {
    let title = L::Title.get(lang);
    if waiting == 0 {
        title
    } else {
        format!("{title} ({})", waiting_count(waiting, lang))
    }
}

/// "Nhận lúc 10:05 15/11/2026".
pub(crate) fn received_at(at: String, lang: Lang) -> String {
    vi_en(lang, format!("Nhận lúc {at}"), format!("Received {at}"))
}

/// "Người viết: hàng xóm".
pub(crate) fn written_by(writer: Writer, lang: Lang) -> String {
    format!(
        "{}: {}",
        L::LabelWriter.get(lang),
        self::writer(writer, lang)
    )
}

/// "Đã bỏ qua: <lý do>".
pub(crate) fn dismissed(reason: &str, lang: Lang) -> String {
    vi_en(
        lang,
        format!("Đã bỏ qua: {reason}"),
        format!("Dismissed: {reason}"),
    )
}

/// "Không mở được (tampered)".
pub(crate) fn unreadable(code: &str, lang: Lang) -> String {
    vi_en(
        lang,
        format!("Không mở được ({code})"),
        format!("Could not be opened ({code})"),
    )
}

/// "SYN-01 · Đang mở": a case to add a report to.
pub(crate) fn case_choice(code: &str, status: &str) -> String {
    format!("{code} · {status}")
}

pub(crate) fn harm(h: Harm, lang: Lang) -> String {
    let (vi, en) = match h {
        Harm::Physical => ("bạo lực thể chất", "physical violence"),
        Harm::Sexual => ("bạo lực tình dục", "sexual violence"),
        Harm::Psychological => ("bạo lực tinh thần", "psychological violence"),
        Harm::Economic => ("bạo lực kinh tế", "economic violence"),
        Harm::Neglect => ("bỏ mặc", "neglect"),
        Harm::Trafficking => ("mua bán người", "trafficking"),
        Harm::ChildAbuse => ("xâm hại trẻ em", "child abuse"),
        Harm::Other => ("khác", "other"),
    };
    pick(lang, vi, en)
}

pub(crate) fn writer(w: Writer, lang: Lang) -> String {
    let (vi, en) = match w {
        Writer::Survivor => ("chính người bị bạo lực", "the survivor"),
        Writer::Relative => ("người thân", "a relative"),
        Writer::Neighbour => ("hàng xóm", "a neighbour"),
        Writer::Teacher => ("giáo viên", "a teacher"),
        Writer::Other => ("người khác", "someone else"),
    };
    pick(lang, vi, en)
}

pub(crate) fn danger(d: DangerNow, lang: Lang) -> String {
    let (vi, en) = match d {
        DangerNow::Yes => ("Có", "Yes"),
        DangerNow::No => ("Không", "No"),
        DangerNow::Unsure => ("Không rõ", "Not sure"),
    };
    pick(lang, vi, en)
}

pub(crate) fn contact_way(c: ContactWay, lang: Lang) -> String {
    let (vi, en) = match c {
        ContactWay::Call => ("Gọi điện", "A phone call"),
        ContactWay::Sms => ("Nhắn tin", "A text message"),
        ContactWay::InPerson => ("Gặp trực tiếp", "In person"),
        ContactWay::None => return L::NoContact.get(lang),
    };
    pick(lang, vi, en)
}
