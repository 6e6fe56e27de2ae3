//! The standardisation checklist: what a shelter needs before the province
//! counts it as a standardised shelter (nơi tạm lánh được chuẩn hóa). The plan
//! asks for at least five in the province by 2030 and one in every commune.

use crate::coded_enum;
use crate::model::Coded;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

coded_enum! {
    /// One item of the standardisation checklist.
    pub enum StandardItem: "shelter_standard_item" {
        "Recognised by a decision of the Commune People's Committee." RecognisedByCommune = ("recognised_by_commune", "có quyết định công nhận của UBND xã", "recognised by the Commune People's Committee"),
        "A separate, private room for the people sheltered." PrivateRoom = ("private_room", "có phòng ở riêng, kín đáo", "separate private room"),
        "Beds, blankets, mosquito nets and basic necessities." BeddingAndEssentials = ("bedding_and_essentials", "có giường, chăn, màn và đồ dùng thiết yếu", "bedding and basic necessities"),
        "Clean water and a toilet." WaterAndToilet = ("water_and_toilet", "có nước sạch và nhà vệ sinh", "clean water and a toilet"),
        "Doors that lock; the place is safe from the perpetrator." LockableAndSafe = ("lockable_and_safe", "cửa có khóa, bảo đảm an ninh, an toàn", "lockable doors, safe and secure"),
        "Meals for the length of the stay." Meals = ("meals", "bảo đảm ăn uống trong thời gian tạm lánh", "meals during the stay"),
        "A first-aid kit." FirstAidKit = ("first_aid_kit", "có tủ thuốc sơ cứu", "first-aid kit"),
        "The host is trained in GBV prevention and response." TrainedHost = ("trained_host", "người phụ trách được tập huấn về phòng, chống bạo lực trên cơ sở giới", "host trained in GBV response"),
        "The host has signed a confidentiality commitment." ConfidentialityCommitment = ("confidentiality_commitment", "có cam kết giữ bí mật thông tin người tạm lánh", "confidentiality commitment signed"),
        "Emergency numbers of the commune police and health station at hand." EmergencyContacts = ("emergency_contacts", "có số điện thoại khẩn cấp của công an, trạm y tế xã", "emergency contacts of police and health"),
        "Referral links to health, legal aid and psychosocial services." ReferralLinks = ("referral_links", "có kết nối chuyển gửi dịch vụ y tế, pháp lý, tâm lý", "referral links to services"),
        "Stays are recorded in a register kept confidential." StayRegister = ("stay_register", "có sổ theo dõi tiếp nhận, được giữ bí mật", "confidential register of stays"),
    }
}

/// Each item checked, met or not (crosses to Kotlin and Swift as a map).
pub type ChecklistItems = BTreeMap<StandardItem, bool>;

/// The checklist of one shelter: each item met or not.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct Checklist {
    /// Each item checked, met or not; an item not listed is not met.
    #[serde(default)]
    pub items: ChecklistItems,
    /// Day the checklist was last reviewed.
    #[serde(default)]
    pub reviewed_on: Option<NaiveDate>,
}

impl Checklist {
    /// A checklist with every item met.
    pub fn all_met() -> Self {
        Self {
            items: StandardItem::ALL.iter().map(|i| (*i, true)).collect(),
            reviewed_on: None,
        }
    }

    /// Marks `item` met or not.
    pub fn set(&mut self, item: StandardItem, met: bool) {
        self.items.insert(item, met);
    }

    /// Whether `item` is met.
    pub fn is_met(&self, item: StandardItem) -> bool {
        self.items.get(&item).copied().unwrap_or(false)
    }

    /// Items not (yet) met, in checklist order.
    pub fn missing(&self) -> Vec<StandardItem> {
        StandardItem::ALL
            .iter()
            .copied()
            .filter(|i| !self.is_met(*i))
            .collect()
    }

    /// Whether every item is met.
    pub fn is_standardised(&self) -> bool {
        self.missing().is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn standardised_only_with_every_item_met() {
        let mut c = Checklist::default();
        assert!(!c.is_standardised());
        assert_eq!(c.missing().len(), StandardItem::ALL.len());
        c = Checklist::all_met();
        assert!(c.is_standardised());
        c.set(StandardItem::StayRegister, false);
        assert_eq!(c.missing(), vec![StandardItem::StayRegister]);
        let json = serde_json::to_string(&c).unwrap();
        assert!(json.contains("\"stay_register\":false"));
        assert_eq!(serde_json::from_str::<Checklist>(&json).unwrap(), c);
        let bin = postcard::to_allocvec(&c).unwrap();
        assert_eq!(postcard::from_bytes::<Checklist>(&bin).unwrap(), c);
    }
}
