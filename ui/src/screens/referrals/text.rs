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
            L::ReferralUnknown => pick(
                lang,
                "Không tìm thấy chuyển gửi này trên máy",
                "This referral is not on this phone",
            ),
        }
    }
}
