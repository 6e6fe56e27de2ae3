//! The shelter finder's texts, in Vietnamese and English, and its coded
//! refusals. Terms follow `GLOSSARY.md` (nơi tạm lánh, sự đồng ý).

use super::ShelterFilter;
use crate::text::{pick, vi_en};
use crate::view::Reason;
use binhan_core::model::Lang;

/// A label of the finder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum L {
    ForCase(String),
    FromHere,
    NeedLocation,
    UseLocation,
    Filter(ShelterFilter),
    RankedByRoad,
    RankedStraight,
    NoDirectory,
    NoMatch,
    ByRoad(u32, String),
    NoRoad(String, String),
    StraightLine(String),
    FreePlaces(u16, String),
    FreePlacesOld(u16, String),
    PlacesUnknown(u16),
    OpenNow,
    ClosedNow,
    Call(String),
    Request,
    ConsentGiven(String),
    ConsentRecorded,
    Requested,
}

impl L {
    pub(crate) fn get(&self, lang: Lang) -> String {
        let vi_en = |vi, en| vi_en(lang, vi, en);
        match self {
            L::ForCase(code) => vi_en(format!("Cho hồ sơ {code}"), format!("For case {code}")),
            L::FromHere => pick(lang, "Từ vị trí hiện tại", "From where you are"),
            L::NeedLocation => pick(
                lang,
                "Cần vị trí hiện tại để tìm nơi gần nhất",
                "Your location is needed to find the nearest",
            ),
            L::UseLocation => pick(lang, "Dùng vị trí hiện tại", "Use my location"),
            L::Filter(f) => match f {
                ShelterFilter::Children => pick(lang, "Nhận trẻ em", "Takes children"),
                ShelterFilter::StepFree => pick(lang, "Không có bậc thềm", "Step-free"),
                ShelterFilter::Disability => {
                    pick(lang, "Hỗ trợ người khuyết tật", "Disability support")
                }
                ShelterFilter::Standardised => pick(lang, "Đã chuẩn hóa", "Standardised"),
            },
            L::RankedByRoad => pick(
                lang,
                "Xếp theo thời gian đi đường",
                "Ranked by travel time by road",
            ),
            L::RankedStraight => pick(
                lang,
                "Xếp theo khoảng cách đường chim bay (chưa có bản đồ đường)",
                "Ranked by straight-line distance (no road map yet)",
            ),
            L::NoDirectory => pick(
                lang,
                "Chưa có danh sách nơi tạm lánh trên máy: hãy đồng bộ.",
                "No shelter directory on this phone yet: sync first.",
            ),
            L::NoMatch => pick(
                lang,
                "Không có nơi nào khớp bộ lọc",
                "No shelter matches the filters",
            ),
            L::ByRoad(min, dist) => vi_en(
                format!("{min} phút đi đường · {dist}"),
                format!("{min} min by road · {dist}"),
            ),
            L::NoRoad(reason, dist) => vi_en(
                format!("Không đi đường tới được ({reason}) · {dist} đường chim bay"),
                format!("No road reaches it ({reason}) · {dist} in a straight line"),
            ),
            L::StraightLine(dist) => vi_en(
                format!("{dist} đường chim bay"),
                format!("{dist} in a straight line"),
            ),
            L::FreePlaces(n, at) => vi_en(
                format!("Còn {n} chỗ · xác nhận {at}"),
                format!(
                    "{n} free {} · confirmed {at}",
                    if *n == 1 { "place" } else { "places" }
                ),
            ),
            L::FreePlacesOld(n, at) => vi_en(
                format!("Còn {n} chỗ (chưa xác nhận lại từ {at})"),
                format!("{n} free (not confirmed since {at})"),
            ),
            L::PlacesUnknown(capacity) => vi_en(
                format!("Chưa rõ số chỗ trống ({capacity} chỗ)"),
                format!("Free places not known ({capacity} in all)"),
            ),
            L::OpenNow => pick(lang, "Đang nhận người", "Taking people in now"),
            L::ClosedNow => pick(lang, "Hiện không nhận người", "Not taking people in now"),
            L::Call(phone) => vi_en(
                format!("Gọi chủ nhà {phone}"),
                format!("Call the host {phone}"),
            ),
            L::Request => pick(lang, "Đề nghị tiếp nhận", "Request a place"),
            L::ConsentGiven(name) => vi_en(
                format!("Người bị bạo lực đồng ý chia sẻ với {name}"),
                format!("The survivor agrees to share with {name}"),
            ),
            L::ConsentRecorded => pick(lang, "Đã ghi nhận sự đồng ý", "Consent recorded"),
            L::Requested => pick(
                lang,
                "Đã gửi đề nghị; chủ nhà nhận được ở lần đồng bộ tới",
                "Request made; the host receives it at the next sync",
            ),
        }
    }
}

/// Why something in the finder cannot be done.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Refusal {
    PhoneOnly,
    ConsentNeeded,
    SearchFailed,
    ShelterUnknown,
    RequestRefused,
}

impl Refusal {
    pub(crate) fn code(self) -> &'static str {
        match self {
            Refusal::PhoneOnly => "phone_only",
            Refusal::ConsentNeeded => "consent_needed",
            Refusal::SearchFailed => "search_failed",
            Refusal::ShelterUnknown => "shelter_unknown",
            Refusal::RequestRefused => "request_refused",
        }
    }

    pub(crate) fn text(self, lang: Lang) -> String {
        match self {
            Refusal::PhoneOnly => pick(
                lang,
                "Nơi này chỉ nhận đề nghị qua điện thoại: hãy gọi chủ nhà",
                "This shelter takes requests by phone only: call the host",
            ),
            Refusal::ConsentNeeded => pick(
                lang,
                "Cần sự đồng ý của người bị bạo lực cho nơi tạm lánh này trước",
                "The survivor's consent for this shelter is needed first",
            ),
            Refusal::SearchFailed => pick(
                lang,
                "Không tìm được: hãy thử lại",
                "The search failed: try again",
            ),
            Refusal::ShelterUnknown => pick(
                lang,
                "Không có nơi tạm lánh này trong danh sách",
                "This shelter is not in the directory",
            ),
            Refusal::RequestRefused => pick(
                lang,
                "Nơi này không nhận được đề nghị này (không nhận nhóm này, hết chỗ hoặc đã ngừng nhận): hãy chọn nơi khác",
                "This shelter cannot take this request (not this group, no places, or closed): choose another",
            ),
        }
    }

    pub(crate) fn reason(self, lang: Lang) -> Reason {
        Reason {
            code: self.code().to_string(),
            text: self.text(lang),
        }
    }
}
