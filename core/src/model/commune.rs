//! The communes and wards of Lai Châu province.
//!
//! The list follows the province's 2025 reorganisation into wards (phường) and
//! communes (xã). A deployment that finds it out of date changes it here; codes
//! are ascii and stable so that statistics from different years line up.

use serde::Serialize;

/// A commune or ward of the province.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Commune {
    /// Stable ascii code, e.g. `tan_phong`.
    pub code: &'static str,
    /// Vietnamese name with its kind, e.g. `Phường Tân Phong`.
    pub name: &'static str,
}

impl Commune {
    /// The name without its kind: `Pa Ủ` for `Xã Pa Ủ`, `Tân Phong` for
    /// `Phường Tân Phong`.
    pub fn place(&self) -> &'static str {
        let name = self.name;
        name.strip_prefix("Xã ")
            .or_else(|| name.strip_prefix("Phường "))
            .unwrap_or(name)
    }
}

const fn c(code: &'static str, name: &'static str) -> Commune {
    Commune { code, name }
}

/// Every commune and ward, in alphabetical order of the Vietnamese name.
pub const COMMUNES: &[Commune] = &[
    c("ban_bo", "Xã Bản Bo"),
    c("binh_lu", "Xã Bình Lư"),
    c("bum_nua", "Xã Bum Nưa"),
    c("bum_to", "Xã Bum Tở"),
    c("dao_san", "Xã Dào San"),
    c("doan_ket", "Phường Đoàn Kết"),
    c("hong_thu", "Xã Hồng Thu"),
    c("hua_bum", "Xã Hua Bum"),
    c("khoen_on", "Xã Khoen On"),
    c("khong_lao", "Xã Khổng Lào"),
    c("khun_ha", "Xã Khun Há"),
    c("le_loi", "Xã Lê Lợi"),
    c("mu_ca", "Xã Mù Cả"),
    c("muong_khoa", "Xã Mường Khoa"),
    c("muong_kim", "Xã Mường Kim"),
    c("muong_mo", "Xã Mường Mô"),
    c("muong_te", "Xã Mường Tè"),
    c("muong_than", "Xã Mường Than"),
    c("nam_cuoi", "Xã Nậm Cuổi"),
    c("nam_hang", "Xã Nậm Hàng"),
    c("nam_ma", "Xã Nậm Mạ"),
    c("nam_so", "Xã Nậm Sỏ"),
    c("nam_tam", "Xã Nậm Tăm"),
    c("pa_tan", "Xã Pa Tần"),
    c("pa_u", "Xã Pa Ủ"),
    c("pac_ta", "Xã Pắc Ta"),
    c("phong_tho", "Xã Phong Thổ"),
    c("pu_sam_cap", "Xã Pu Sam Cáp"),
    c("si_lo_lau", "Xã Sì Lở Lầu"),
    c("sin_ho", "Xã Sìn Hồ"),
    c("sin_suoi_ho", "Xã Sin Suối Hồ"),
    c("ta_leng", "Xã Tả Lèng"),
    c("ta_tong", "Xã Tà Tổng"),
    c("tam_duong", "Xã Tam Đường"),
    c("tan_phong", "Phường Tân Phong"),
    c("tan_uyen", "Xã Tân Uyên"),
    c("than_uyen", "Xã Than Uyên"),
    c("thu_lum", "Xã Thu Lũm"),
    c("tua_sin_chai", "Xã Tủa Sín Chải"),
];

/// The commune with this code, if it exists.
pub fn commune(code: &str) -> Option<&'static Commune> {
    COMMUNES.iter().find(|c| c.code == code)
}

/// Checks that `code` names a commune of the province.
pub fn validate_commune(field: &str, code: &str) -> crate::Result<()> {
    match commune(code) {
        Some(_) => Ok(()),
        None => Err(crate::Error::invalid(field, crate::Rule::NotACommune)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_found() {
        for (i, c) in COMMUNES.iter().enumerate() {
            assert!(COMMUNES[..i].iter().all(|d| d.code != c.code), "{}", c.code);
        }
        assert_eq!(
            commune("tan_phong").map(|c| c.name),
            Some("Phường Tân Phong")
        );
        assert!(validate_commune("survivor.commune", "hanoi").is_err());
        assert_eq!(commune("tan_phong").map(|c| c.place()), Some("Tân Phong"));
        assert_eq!(commune("pa_u").map(|c| c.place()), Some("Pa Ủ"));
    }
}
