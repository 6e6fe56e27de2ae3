//! The plan's targets and the registry tables (training, schools,
//! enterprises, shelters), which describe no survivor and need no
//! suppression.

use super::input::{programme, sessions_in, Programme, Registries};
use super::tables::{change, row_labels, share, YearGrid, ROW_HEADING};
use binhan_core::model::COMMUNES;
use binhan_core::stats::report::{Column, Indicator, Row, Structure, Table, Value};
use binhan_core::stats::ReportPeriod;

fn ratio(part: u64, whole: u64) -> Value {
    share(&Value::Count(part), &Value::Count(whole))
}

fn at_least(value: &Value, target: f64) -> Option<bool> {
    match value {
        Value::Percent(p) => Some(*p + 1e-9 >= target),
        Value::Count(n) => Some(*n as f64 >= target),
        _ => None,
    }
}

/// An indicator with its previous value, the change and, if it has one,
/// its target (as the plan words it, and as a number).
pub(crate) fn indicator(
    code: &str,
    vi: &str,
    en: &str,
    (value, previous): (Value, Value),
    target: Option<(&str, f64)>,
) -> Indicator {
    Indicator {
        code: code.into(),
        vi: vi.into(),
        en: en.into(),
        met: target.and_then(|(_, t)| at_least(&value, t)),
        target: target.map(|(text, _)| text.to_string()),
        target_value: target.map(|(_, t)| t),
        change: change(&value, &previous),
        value,
        previous,
    }
}

/// The plan's targets, province-wide, for the report year.
pub(crate) fn indicators(
    registries: &Registries,
    period: ReportPeriod,
    current: &YearGrid,
    previous: &YearGrid,
) -> Vec<Indicator> {
    let (per, now) = programme(registries, period);
    let (_, before) = programme(registries, period.previous());
    let with_shelter = per.iter().filter(|p| p.shelters > 0).count() as u64;
    let survivors = (current.survivors(None), previous.survivors(None));
    let served = (
        share(&current.cell(0, None, 0), &survivors.0),
        share(&previous.cell(0, None, 0), &survivors.1),
    );
    let trained = |p: &Programme| {
        ratio(
            p.collaborators_trained + p.officials_trained,
            p.collaborators_to_train + p.officials_to_train,
        )
    };
    vec![
        indicator(
            "survivors_detected",
            "Số người bị bạo lực trên cơ sở giới được phát hiện",
            "survivors detected",
            survivors,
            None,
        ),
        indicator(
            "share_with_service",
            "Tỷ lệ người bị bạo lực được tiếp cận ít nhất một dịch vụ hỗ trợ (%)",
            "share of survivors with at least one service delivered (%)",
            served,
            Some(("100%", 100.0)),
        ),
        indicator(
            "shelters",
            "Số nơi tạm lánh tại cộng đồng đang hoạt động",
            "community shelters in service",
            (Value::Count(now.shelters), Value::Empty),
            None,
        ),
        indicator(
            "standardised_shelters",
            "Số nơi tạm lánh được chuẩn hóa",
            "standardised shelters",
            (Value::Count(now.standardised), Value::Empty),
            Some(("≥ 5", 5.0)),
        ),
        indicator(
            "communes_with_shelter",
            "Số xã, phường có ít nhất 01 nơi tạm lánh",
            "communes with at least one shelter",
            (Value::Count(with_shelter), Value::Empty),
            Some((
                &format!("{} (100%)", COMMUNES.len()),
                COMMUNES.len() as f64,
            )),
        ),
        indicator(
            "share_trained",
            "Tỷ lệ cán bộ, công chức, viên chức và cộng tác viên làm công tác xã hội được tập huấn (%)",
            "share of officials and collaborators doing social work who are trained (%)",
            (trained(&now), trained(&before)),
            Some(("80%", 80.0)),
        ),
        indicator(
            "training_sessions",
            "Số lớp tập huấn, bồi dưỡng trong năm",
            "training sessions held in the year",
            (
                Value::Count(sessions_in(registries, period)),
                Value::Count(sessions_in(registries, period.previous())),
            ),
            None,
        ),
        indicator(
            "share_schools",
            "Tỷ lệ cơ sở giáo dục thực hiện quy trình phòng ngừa, phát hiện và ứng phó với bạo lực trên cơ sở giới (%)",
            "share of schools running the GBV prevention and response procedure (%)",
            (
                ratio(now.schools_with_procedure, now.schools),
                ratio(before.schools_with_procedure, before.schools),
            ),
            Some(("100%", 100.0)),
        ),
        indicator(
            "share_schools_in_use",
            "Tỷ lệ cơ sở giáo dục có ghi nhận thực hiện quy trình trong năm (theo hồ sơ của cán bộ tư vấn) (%)",
            "share of schools whose counselors recorded the procedure in use during the year (%)",
            (
                ratio(now.schools_in_use, now.schools),
                ratio(before.schools_in_use, before.schools),
            ),
            Some(("100%", 100.0)),
        ),
        indicator(
            "share_enterprises",
            "Tỷ lệ doanh nghiệp ban hành hoặc lồng ghép nội dung phòng, chống quấy rối tại nơi làm việc (%)",
            "share of enterprises with workplace anti-harassment rules (%)",
            (
                ratio(now.enterprises_with_rules, now.enterprises),
                ratio(before.enterprises_with_rules, before.enterprises),
            ),
            Some(("100%", 100.0)),
        ),
    ]
}

/// The indicators as the first table of the workbook.
pub(crate) fn indicator_table(indicators: &[Indicator]) -> Table {
    Table {
        id: "indicators".into(),
        sheet: "Chỉ tiêu".into(),
        title_vi:
            "Kết quả thực hiện các chỉ tiêu của Kế hoạch (toàn tỉnh; số người bị bạo lực chỉ tính \
                   những người đã đồng ý cho thống kê)"
                .into(),
        title_en: "Progress on the plan's targets (province; survivor counts cover only those who \
                   consented to statistics)"
            .into(),
        row_heading: "Chỉ tiêu".into(),
        columns: vec![
            Column::new("value", "Năm báo cáo", "report year"),
            Column::new("target", "Chỉ tiêu đến năm 2030", "target for 2030"),
            Column::new("met", "Đánh giá", "assessment"),
            Column::new("previous", "Năm trước", "previous year"),
            Column::new("change", "Tăng (+), giảm (−)", "change"),
        ],
        rows: indicators
            .iter()
            .map(|i| Row {
                code: i.code.clone(),
                label: i.vi.clone(),
                cells: vec![
                    i.value.clone(),
                    i.target.clone().map_or(Value::Empty, Value::Text),
                    match i.met {
                        Some(true) => Value::Text("Đạt".into()),
                        Some(false) => Value::Text("Chưa đạt".into()),
                        None => Value::Empty,
                    },
                    i.previous.clone(),
                    i.change.clone(),
                ],
            })
            .collect(),
        structure: Structure::Plain,
    }
}

/// Per-commune registry tables at the end of `year`.
pub(crate) fn registry_tables(registries: &Registries, period: ReportPeriod) -> Vec<Table> {
    let (per, province) = programme(registries, period);
    let at = |commune: Option<usize>| commune.map_or(province, |c| per[c]);
    let table = |id: &str,
                 sheet: &str,
                 title_vi: &str,
                 title_en: &str,
                 columns: Vec<Column>,
                 cells: &dyn Fn(&Programme, bool) -> Vec<Value>| Table {
        id: id.into(),
        sheet: sheet.into(),
        title_vi: title_vi.into(),
        title_en: title_en.into(),
        row_heading: ROW_HEADING.into(),
        columns,
        rows: row_labels()
            .into_iter()
            .map(|(code, label, commune)| Row {
                code,
                label,
                cells: cells(&at(commune), commune.is_none()),
            })
            .collect(),
        structure: Structure::Plain,
    };
    let with_shelter = per.iter().filter(|p| p.shelters > 0).count() as u64;
    vec![
        table(
            "shelters",
            "Nơi tạm lánh",
            "Nơi tạm lánh an toàn tại cộng đồng",
            "Safe community shelters",
            vec![
                Column::new("active", "Số nơi tạm lánh đang hoạt động", "shelters in service"),
                Column::new("standardised", "Số nơi tạm lánh được chuẩn hóa", "standardised shelters"),
                Column::new(
                    "has_shelter",
                    "Có ít nhất 01 nơi tạm lánh (toàn tỉnh: số xã có)",
                    "has at least one shelter (province: communes that do)",
                ),
            ],
            &|p, is_province| {
                vec![
                    Value::Count(p.shelters),
                    Value::Count(p.standardised),
                    if is_province {
                        Value::Count(with_shelter)
                    } else if p.shelters > 0 {
                        Value::Text("Có".into())
                    } else {
                        Value::Text("Chưa có".into())
                    },
                ]
            },
        ),
        table(
            "training",
            "Tập huấn",
            "Cán bộ và cộng tác viên được tập huấn, bồi dưỡng (lũy kế đến hết năm)",
            "Officials and collaborators trained (cumulative to the end of the year)",
            vec![
                Column::new("collaborators_to_train", "Cộng tác viên cần tập huấn", "collaborators to train"),
                Column::new("collaborators_trained", "Cộng tác viên đã được tập huấn", "collaborators trained"),
                Column::new("officials_to_train", "Cán bộ cần tập huấn", "officials to train"),
                Column::new("officials_trained", "Cán bộ đã được tập huấn", "officials trained"),
                Column::new("share_trained", "Tỷ lệ được tập huấn (%)", "share trained (%)"),
            ],
            &|p, _| {
                vec![
                    Value::Count(p.collaborators_to_train),
                    Value::Count(p.collaborators_trained),
                    Value::Count(p.officials_to_train),
                    Value::Count(p.officials_trained),
                    ratio(
                        p.collaborators_trained + p.officials_trained,
                        p.collaborators_to_train + p.officials_to_train,
                    ),
                ]
            },
        ),
        table(
            "schools",
            "Trường học",
            "Cơ sở giáo dục thực hiện quy trình phòng ngừa, phát hiện và ứng phó với bạo lực trên cơ sở giới",
            "Schools running the GBV prevention and response procedure",
            vec![
                Column::new("schools", "Số cơ sở giáo dục", "schools"),
                Column::new("with_procedure", "Số cơ sở thực hiện quy trình", "running the procedure"),
                Column::new("share", "Tỷ lệ (%)", "share (%)"),
            ],
            &|p, _| {
                vec![
                    Value::Count(p.schools),
                    Value::Count(p.schools_with_procedure),
                    ratio(p.schools_with_procedure, p.schools),
                ]
            },
        ),
        table(
            "enterprises",
            "Doanh nghiệp",
            "Doanh nghiệp ban hành hoặc lồng ghép nội dung phòng, chống quấy rối tại nơi làm việc",
            "Enterprises with workplace anti-harassment rules",
            vec![
                Column::new("enterprises", "Số doanh nghiệp", "enterprises"),
                Column::new("with_rules", "Số doanh nghiệp đã ban hành", "with rules"),
                Column::new("share", "Tỷ lệ (%)", "share (%)"),
            ],
            &|p, _| {
                vec![
                    Value::Count(p.enterprises),
                    Value::Count(p.enterprises_with_rules),
                    ratio(p.enterprises_with_rules, p.enterprises),
                ]
            },
        ),
    ]
}
