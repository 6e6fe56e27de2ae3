//! The communes' communication activities in the report year: a table per
//! commune, a table per campaign, and two indicators. Activities count
//! people reached, never survivors: no suppression is needed.

use super::input::Registries;
use super::tables::{change, row_labels, ROW_HEADING};
use binhan_core::model::{Coded, COMMUNES};
use binhan_core::stats::activity::{Campaign, CommunicationActivity};
use binhan_core::stats::report::{Column, Indicator, Row, Structure, Table, Value};
use binhan_core::stats::ReportPeriod;
use std::collections::BTreeSet;

/// Totals of some activities.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Reach {
    activities: u64,
    in_campaign: u64,
    women: u64,
    men: u64,
    girls: u64,
    boys: u64,
    ethnic_minority: u64,
}

impl Reach {
    fn add(&mut self, a: &CommunicationActivity) {
        let p = &a.participants;
        self.activities += 1;
        self.in_campaign += u64::from(a.campaign != Campaign::Routine);
        self.women += u64::from(p.women);
        self.men += u64::from(p.men);
        self.girls += u64::from(p.girls);
        self.boys += u64::from(p.boys);
        self.ethnic_minority += u64::from(p.ethnic_minority);
    }

    fn reached(&self) -> u64 {
        self.women + self.men + self.girls + self.boys
    }
}

fn in_period(
    registries: &Registries,
    period: ReportPeriod,
) -> impl Iterator<Item = &CommunicationActivity> {
    registries
        .programme
        .communication_activities
        .iter()
        .filter(move |a| period.contains(a.date))
}

/// Communes with at least one activity of the Action Month (or of 25/11,
/// which falls in it) in `period`.
fn communes_in_action_month(registries: &Registries, period: ReportPeriod) -> u64 {
    in_period(registries, period)
        .filter(|a| matches!(a.campaign, Campaign::ActionMonth | Campaign::EliminationDay))
        .map(|a| a.commune.as_str())
        .collect::<BTreeSet<_>>()
        .len() as u64
}

/// The plan's communication indicators, province-wide.
pub(crate) fn indicators(registries: &Registries, period: ReportPeriod) -> Vec<Indicator> {
    let count = |p| Value::Count(in_period(registries, p).count() as u64);
    let action = |p| Value::Count(communes_in_action_month(registries, p));
    let indicator = |code: &str, vi: &str, en: &str, value: Value, previous: Value| Indicator {
        code: code.into(),
        vi: vi.into(),
        en: en.into(),
        target: None,
        target_value: None,
        met: None,
        change: change(&value, &previous),
        value,
        previous,
    };
    vec![
        indicator(
            "communication_activities",
            "Số hoạt động truyền thông về phòng ngừa, ứng phó với bạo lực trên cơ sở giới",
            "communication activities on GBV prevention and response",
            count(period),
            count(period.previous()),
        ),
        indicator(
            "communes_action_month",
            "Số xã, phường có hoạt động hưởng ứng Tháng hành động vì bình đẳng giới và phòng ngừa, ứng phó với bạo lực trên cơ sở giới",
            "communes with activities in the Action Month for gender equality and GBV prevention",
            action(period),
            action(period.previous()),
        ),
    ]
}

fn reach_cells(r: &Reach) -> Vec<Value> {
    [
        r.activities,
        r.in_campaign,
        r.reached(),
        r.women,
        r.men,
        r.girls,
        r.boys,
        r.ethnic_minority,
    ]
    .into_iter()
    .map(Value::Count)
    .collect()
}

fn reach_columns() -> Vec<Column> {
    vec![
        Column::new("activities", "Số hoạt động", "activities"),
        Column::new("in_campaign", "Trong các đợt cao điểm", "in a campaign"),
        Column::new("reached", "Số lượt người tham gia", "people reached"),
        Column::new("women", "Nữ (từ 16 tuổi)", "women"),
        Column::new("men", "Nam (từ 16 tuổi)", "men"),
        Column::new("girls", "Trẻ em gái", "girls"),
        Column::new("boys", "Trẻ em trai", "boys"),
        Column::new(
            "ethnic_minority",
            "Người dân tộc thiểu số",
            "ethnic minority",
        ),
    ]
}

/// The activities of `period` per commune and per campaign.
pub(crate) fn tables(registries: &Registries, period: ReportPeriod) -> Vec<Table> {
    let mut per = vec![Reach::default(); COMMUNES.len()];
    let mut province = Reach::default();
    let mut campaigns = vec![(Reach::default(), BTreeSet::new()); Campaign::ALL.len()];
    for a in in_period(registries, period) {
        if let Some(c) = COMMUNES.iter().position(|c| c.code == a.commune) {
            per[c].add(a);
        }
        province.add(a);
        if let Some(k) = Campaign::ALL.iter().position(|k| *k == a.campaign) {
            campaigns[k].0.add(a);
            campaigns[k].1.insert(a.commune.as_str());
        }
    }
    let communes = Table {
        id: "communication".into(),
        sheet: "Truyền thông".into(),
        title_vi: "Hoạt động truyền thông về phòng ngừa, ứng phó với bạo lực trên cơ sở giới"
            .into(),
        title_en: "Communication activities on GBV prevention and response".into(),
        row_heading: ROW_HEADING.into(),
        columns: reach_columns(),
        rows: row_labels()
            .into_iter()
            .map(|(code, label, commune)| Row {
                code,
                label,
                cells: reach_cells(&commune.map_or(province, |c| per[c])),
            })
            .collect(),
        structure: Structure::Plain,
    };
    let mut columns = vec![Column::new(
        "communes",
        "Số xã, phường tham gia",
        "communes",
    )];
    columns.extend(reach_columns());
    let by_campaign = Table {
        id: "communication_campaigns".into(),
        sheet: "Đợt truyền thông".into(),
        title_vi: "Hoạt động truyền thông theo đợt cao điểm".into(),
        title_en: "Communication activities by campaign".into(),
        row_heading: "Đợt truyền thông".into(),
        columns,
        rows: Campaign::ALL
            .iter()
            .zip(&campaigns)
            .map(|(campaign, (reach, communes))| Row {
                code: campaign.code().into(),
                label: campaign.label_vi().into(),
                cells: [Value::Count(communes.len() as u64)]
                    .into_iter()
                    .chain(reach_cells(reach))
                    .collect(),
            })
            .collect(),
        structure: Structure::Plain,
    };
    vec![communes, by_campaign]
}
