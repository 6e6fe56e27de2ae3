//! The roles a device is enrolled with.

use crate::coded_enum;

coded_enum! {
    /// What a device's holder does, fixed at enrolment.
    pub enum Role: "role" {
        "Village collaborator." Collaborator = ("collaborator", "cộng tác viên cơ sở", "village collaborator"),
        "Shelter host, a person of standing." ShelterHost = ("shelter_host", "người có uy tín (chủ nơi tạm lánh)", "shelter host"),
        "School counselor." SchoolCounselor = ("school_counselor", "cán bộ tư vấn học đường", "school counselor"),
        "A service provider's device (health station, police, legal aid …), receiving referrals." ServiceProvider = ("service_provider", "đơn vị cung cấp dịch vụ", "service provider"),
        "Commune case manager (Commune People's Committee)." CommuneCaseManager = ("commune_case_manager", "cán bộ phụ trách (UBND xã)", "commune case manager"),
        "Provincial officer (Department of Home Affairs)." ProvincialOfficer = ("provincial_officer", "cán bộ Sở Nội vụ", "provincial officer"),
    }
}

impl Role {
    /// Whether this role may invite a device with role `other`.
    pub fn may_invite(self, other: Role) -> bool {
        match self {
            Role::ProvincialOfficer => true,
            Role::CommuneCaseManager => other != Role::ProvincialOfficer,
            _ => false,
        }
    }

    /// Whether this role manages cases of its whole commune (and so joins
    /// every case team of the commune).
    pub fn manages_commune(self) -> bool {
        self == Role::CommuneCaseManager
    }
}
