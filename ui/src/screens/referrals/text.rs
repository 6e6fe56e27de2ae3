//! The referral inbox's texts, in Vietnamese and English. Terms follow
//! `GLOSSARY.md` (chuyển gửi, đơn vị cung cấp dịch vụ, quá hạn phản hồi).

use crate::text::{pick, vi_en};
use binhan_core::model::Lang;

/// A label of the referral inbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum L {
    Title,
    Empty,
    Emergency(String, String),
    Due(String),
    Overdue(String),
    Received(String),
    Asked(String),
    Added(String),
    Withdrawn,
    Accept,
    Decline(String),
    Delivered,
    Close,
    DeliveredWhat(String),
    Answered,
    ReferralUnknown,
    OverdueTitle,
    OverdueHome(u64),
    OverdueFor(i64, String, String),
    OpenCase,
    NoneOverdue,
    AskFor(String),
    AskedFor(String),
    PreviewHeading(String),
    NotSent,
    Consented,
    ConsentNeeded,
}

impl L {
    pub(crate) fn get(&self, lang: Lang) -> String {
        let vi_en = |vi, en| vi_en(lang, vi, en);
        match self {
            L::Title => pick(lang, "Chuyển gửi đến đơn vị", "Referrals received"),
            L::Empty => pick(
                lang,
                "Chưa có chuyển gửi nào. Chuyển gửi đến sau mỗi lần đồng bộ.",
                "No referrals yet. Referrals arrive with each sync.",
            ),
            L::Emergency(number, who) => vi_en(format!("{number} · {who}"), format!("{number} · {who}")),
            L::Due(day) => vi_en(format!("Cần trả lời trước {day}"), format!("Answer by {day}")),
            L::Overdue(day) => vi_en(
                format!("Quá hạn phản hồi (hạn {day})"),
                format!("Overdue (due {day})"),
            ),
            L::Received(at) => vi_en(format!("Nhận lúc {at}"), format!("Received {at}")),
            L::Asked(ask) => vi_en(format!("Đề nghị: {ask}"), format!("Asked: {ask}")),
            L::Added(note) => vi_en(format!("Bổ sung: {note}"), format!("Added: {note}")),
            L::Withdrawn => pick(
                lang,
                "Người bị bạo lực đã rút lại sự đồng ý: nội dung chuyển gửi đã được xóa khỏi máy này.",
                "The survivor withdrew consent: the referral's content was erased from this phone.",
            ),
            L::Accept => pick(lang, "Tiếp nhận", "Accept"),
            L::Decline(reason) => vi_en(format!("Từ chối: {reason}"), format!("Decline: {reason}")),
            L::Delivered => pick(lang, "Đã cung cấp dịch vụ hôm nay", "Service delivered today"),
            L::Close => pick(lang, "Kết thúc", "Close"),
            L::DeliveredWhat(service) => vi_en(
                format!("Đã cung cấp: {service}"),
                format!("Delivered: {service}"),
            ),
            L::Answered => pick(
                lang,
                "Đã ghi nhận; câu trả lời được gửi ở lần đồng bộ tới",
                "Recorded; the answer goes with the next sync",
            ),
            L::OverdueTitle => pick(
                lang,
                "Chuyển gửi quá hạn phản hồi",
                "Referrals overdue for an answer",
            ),
            L::OverdueHome(n) => vi_en(
                format!("Chuyển gửi quá hạn phản hồi ({n})"),
                format!("Referrals overdue for an answer ({n})"),
            ),
            L::OverdueFor(days, due, sent) => vi_en(
                format!("Quá hạn {days} ngày (hạn {due}) · gửi ngày {sent}"),
                format!("Overdue by {days} days (due {due}) · sent on {sent}"),
            ),
            L::OpenCase => pick(lang, "Mở hồ sơ", "Open the case"),
            L::NoneOverdue => pick(
                lang,
                "Không có chuyển gửi nào quá hạn phản hồi",
                "No referral is overdue for an answer",
            ),
            L::AskFor(field) => vi_en(
                format!("Đề nghị bổ sung: {field}"),
                format!("Ask for more: {field}"),
            ),
            L::AskedFor(field) => vi_en(
                format!("Đơn vị đề nghị bổ sung: {field}, nếu người bị bạo lực đồng ý"),
                format!("The organisation asks for: {field}, if the survivor agrees"),
            ),
            L::PreviewHeading(name) => vi_en(
                format!("{name} sẽ nhận đúng những thông tin này"),
                format!("{name} will receive exactly this"),
            ),
            L::NotSent => pick(
                lang,
                "Không gửi gì khác của hồ sơ: không mã hồ sơ, không ghi chú, không thông tin nào ngoài các dòng trên. Đơn vị không tham gia nhóm hỗ trợ của hồ sơ.",
                "Nothing else of the case goes: no case code, no notes, nothing beyond the lines above. The organisation does not join the case's team.",
            ),
            L::Consented => pick(
                lang,
                "Đã ghi nhận sự đồng ý của người bị bạo lực cho đơn vị và dịch vụ này",
                "The survivor's consent for this organisation and service is recorded",
            ),
            L::ConsentNeeded => pick(
                lang,
                "Cần sự đồng ý của người bị bạo lực cho đơn vị và dịch vụ này trước khi gửi",
                "The survivor's consent for this organisation and service is needed before sending",
            ),
            L::ReferralUnknown => pick(
                lang,
                "Không tìm thấy chuyển gửi này trên máy",
                "This referral is not on this phone",
            ),
        }
    }
}
