//! What an online report adds to the case it opens or joins: one note, in
//! Vietnamese as the case is kept, holding everything the writer said.

use super::body::{ContactWay, DangerNow, Harm, OnlineReport, Writer};

fn harm(h: Harm) -> &'static str {
    match h {
        Harm::Physical => "bạo lực thể chất",
        Harm::Sexual => "bạo lực tình dục",
        Harm::Psychological => "bạo lực tinh thần",
        Harm::Economic => "bạo lực kinh tế",
        Harm::Neglect => "bỏ mặc",
        Harm::Trafficking => "mua bán người",
        Harm::ChildAbuse => "xâm hại trẻ em",
        Harm::Other => "khác",
    }
}

fn writer(w: Writer) -> &'static str {
    match w {
        Writer::Survivor => "chính người bị bạo lực",
        Writer::Relative => "người thân",
        Writer::Neighbour => "hàng xóm",
        Writer::Teacher => "giáo viên",
        Writer::Other => "người khác",
    }
}

fn danger(d: DangerNow) -> &'static str {
    match d {
        DangerNow::Yes => "có",
        DangerNow::No => "không",
        DangerNow::Unsure => "không rõ",
    }
}

fn contact_way(c: ContactWay) -> &'static str {
    match c {
        ContactWay::Call => "gọi điện",
        ContactWay::Sms => "nhắn tin",
        ContactWay::InPerson => "gặp trực tiếp",
        ContactWay::None => "không liên hệ",
    }
}

impl OnlineReport {
    /// The note a case gets from this report, received on `received_on`.
    pub fn as_note(&self, received_on: chrono::NaiveDate) -> String {
        let what: Vec<&str> = self.what.iter().map(|h| harm(*h)).collect();
        let mut lines = vec![
            format!(
                "Báo cáo trực tuyến, nhận ngày {}.",
                received_on.format("%d/%m/%Y")
            ),
            format!("Người viết: {}.", writer(self.writer)),
            format!("Có người đang gặp nguy hiểm: {}.", danger(self.danger_now)),
        ];
        if !what.is_empty() {
            lines.push(format!("Việc xảy ra: {}.", what.join(", ")));
        }
        for (label, text) in [("Lời kể", &self.what_text), ("Thôn/bản", &self.village)] {
            if !text.trim().is_empty() {
                lines.push(format!("{label}: {}", text.trim()));
            }
        }
        let mut contact = format!("Liên hệ: {}", contact_way(self.contact.how));
        if !self.contact.number.trim().is_empty() {
            contact.push_str(&format!(", số {}", self.contact.number.trim()));
        }
        if !self.contact.when.trim().is_empty() {
            contact.push_str(&format!(", lúc {}", self.contact.when.trim()));
        }
        lines.push(contact + ".");
        lines.join("\n")
    }
}
