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
    FromPlace(String),
    NeedLocation,
    UseLocation,
    PlaceField,
    PlaceHelp,
    NoRoadMapForPlaces,
    NoPlaceNames,
    NoPlaceMatch,
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
            L::FromPlace(name) => vi_en(format!("Từ: {name}"), format!("From: {name}")),
            L::UseLocation => pick(lang, "Dùng vị trí hiện tại", "Use my location"),
            L::PlaceField => pick(lang, "Tìm từ thôn, bản", "Search from a village"),
            L::PlaceHelp => pick(
                lang,
                "Gõ một phần tên thôn, bản (không cần dấu) rồi chọn trong danh sách",
                "Type part of the village's name (accents optional), then choose it",
            ),
            L::NoRoadMapForPlaces => pick(
                lang,
                "Chưa có bản đồ đường trên máy nên chưa chọn được thôn, bản: hãy dùng vị trí hiện tại",
                "No road map on this phone, so no village to choose: use your location",
            ),
            L::NoPlaceNames => pick(
                lang,
                "Bản đồ đường trên máy chưa có tên thôn, bản: hãy dùng vị trí hiện tại",
                "The road map on this phone names no villages: use your location",
            ),
            L::NoPlaceMatch => pick(
                lang,
                "Không có thôn, bản nào có tên như vậy trên bản đồ",
                "No village of that name on the map",
            ),
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

/// A label of the host's desk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum HostL {
    Title,
    People(u8, u8, String),
    StepFree,
    Disability,
    Accept,
    Decline(String),
    Arrived,
    Departed,
    NoShow,
    Places(u16, u16, String),
    Fewer,
    More,
    Start(String),
    NotAHost,
}

impl HostL {
    pub(crate) fn get(&self, lang: Lang) -> String {
        let vi_en = |vi, en| vi_en(lang, vi, en);
        match self {
            HostL::Title => pick(lang, "Nơi tạm lánh của tôi", "My shelter"),
            HostL::People(people, 0, group) => {
                vi_en(format!("{people} người · {group}"), format!("{people} people · {group}"))
            }
            HostL::People(people, children, group) => vi_en(
                format!("{people} người ({children} trẻ em) · {group}"),
                format!("{people} people ({children} children) · {group}"),
            ),
            HostL::StepFree => pick(lang, "cần lối đi không bậc thềm", "needs step-free access"),
            HostL::Disability => pick(lang, "cần hỗ trợ người khuyết tật", "needs disability support"),
            HostL::Accept => pick(lang, "Nhận", "Accept"),
            HostL::Decline(reason) => vi_en(format!("Từ chối: {reason}"), format!("Decline: {reason}")),
            HostL::Arrived => pick(lang, "Đã đến", "Arrived"),
            HostL::Departed => pick(lang, "Đã rời đi", "Left"),
            HostL::NoShow => pick(lang, "Không đến", "Did not come"),
            HostL::Places(free, capacity, at) => vi_en(
                format!("Còn {free}/{capacity} chỗ · xác nhận {at}"),
                format!("{free} of {capacity} places free · confirmed {at}"),
            ),
            HostL::Fewer => pick(lang, "Bớt 1 chỗ trống", "One place fewer"),
            HostL::More => pick(lang, "Thêm 1 chỗ trống", "One place more"),
            HostL::Start(name) => vi_en(format!("Tôi là chủ nhà của {name}"), format!("I host {name}")),
            HostL::NotAHost => pick(
                lang,
                "Danh sách nơi tạm lánh chưa ghi máy này là chủ nhà: hãy đồng bộ, hoặc báo cán bộ phụ trách.",
                "The shelter directory does not name this phone as a host yet: sync, or tell your case manager.",
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
    NotTheHost,
    PlacesOutOfRange,
    RequestUnknown,
    StepNotAllowed,
}

impl Refusal {
    pub(crate) fn code(self) -> &'static str {
        match self {
            Refusal::PhoneOnly => "phone_only",
            Refusal::ConsentNeeded => "consent_needed",
            Refusal::SearchFailed => "search_failed",
            Refusal::ShelterUnknown => "shelter_unknown",
            Refusal::RequestRefused => "request_refused",
            Refusal::NotTheHost => "not_the_host",
            Refusal::PlacesOutOfRange => "places_out_of_range",
            Refusal::RequestUnknown => "request_unknown",
            Refusal::StepNotAllowed => "step_not_allowed",
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
            Refusal::NotTheHost => pick(
                lang,
                "Danh sách không ghi máy này là chủ nhà của nơi này",
                "The directory does not name this phone as this shelter's host",
            ),
            Refusal::PlacesOutOfRange => pick(
                lang,
                "Số chỗ trống phải từ 0 đến sức chứa",
                "Free places must be between 0 and the capacity",
            ),
            Refusal::RequestUnknown => pick(lang, "Không có yêu cầu này", "No such request"),
            Refusal::StepNotAllowed => pick(
                lang,
                "Không làm được việc này với yêu cầu ở trạng thái hiện tại (hoặc không đủ chỗ)",
                "This cannot be done with the request as it stands (or too few places)",
            ),
            Refusal::RequestRefused => pick(
                lang,
                "Nơi này không nhận được đề nghị này (không nhận nhóm này, hết chỗ hoặc đã ngừng nhận): hãy chọn nơi khác",
                "This shelter cannot take this request (not this group, no places, or closed): choose another",
            ),
        }
    }

    pub(crate) fn reason(self, lang: Lang) -> Reason {
        Reason::new(self.code(), self.text(lang))
    }
}
