//! What the report is computed from: statistical records, streamed into a
//! [`ReportBuilder`], and the programme registries.

use super::referrals::ReferralTally;
use super::tables::{dimensions, Dimension, DimensionKind};
use binhan_core::model::COMMUNES;
use binhan_core::stats::school_use::{last_use, SchoolInUse};
use binhan_core::stats::{ReportPeriod, StatRecord};

use serde::{Deserialize, Serialize};
use std::collections::{BTreeSet, HashMap};

pub use binhan_core::stats::registry::{
    Attendee, Enterprise, ProgrammeRegistries, School, TraineeRole, TrainingSession, TrainingTarget,
};

/// Counts of one year's records per commune, for every breakdown.
#[derive(Debug, Clone)]
pub struct Tally {
    /// The year counted.
    pub year: i32,
    /// Survivors per commune (index into [`COMMUNES`]).
    pub(crate) survivors: Vec<u64>,
    /// Per dimension, per commune, per column.
    pub(crate) counts: Vec<Vec<Vec<u64>>>,
    /// Records of the year whose commune is unknown (not counted).
    pub(crate) skipped: u64,
    /// The referrals of the year's survivors.
    pub(crate) referrals: ReferralTally,
}

impl Tally {
    /// An empty tally of `year`.
    pub fn new(year: i32) -> Self {
        let dims = dimensions();
        Self {
            year,
            survivors: vec![0; COMMUNES.len()],
            counts: dims
                .iter()
                .map(|d| vec![vec![0; d.columns.len()]; COMMUNES.len()])
                .collect(),
            skipped: 0,
            referrals: ReferralTally::default(),
        }
    }

    /// Survivors counted.
    pub fn total(&self) -> u64 {
        self.survivors.iter().sum()
    }

    /// Records of the year left out because their commune is not a commune
    /// of the province (the server validates records, so this stays 0).
    pub fn skipped(&self) -> u64 {
        self.skipped
    }

    fn add(&mut self, commune: usize, record: &StatRecord, dims: &[Dimension]) {
        self.survivors[commune] += 1;
        self.referrals.add(record);
        let mut hits = Vec::with_capacity(8);
        for (d, dim) in dims.iter().enumerate() {
            hits.clear();
            (dim.classify)(record, &mut hits);
            debug_assert!(dim.kind == DimensionKind::MultiResponse || hits.len() == 1);
            for &col in &hits {
                self.counts[d][commune][col] += 1;
            }
        }
    }
}

/// Accumulates the records of a report period and of the one before, one
/// at a time, so that a storage backend can stream them (for example row
/// by row from `SELECT body FROM stat_records WHERE year BETWEEN ? AND ?`
/// over [`Self::years`], each body decoded with [`StatRecord::decode`])
/// without holding them all.
#[derive(Debug, Clone)]
pub struct ReportBuilder {
    /// The months reported.
    pub period: ReportPeriod,
    /// The report year.
    pub current: Tally,
    /// The year before.
    pub previous: Tally,
    dims: Vec<Dimension>,
    communes: HashMap<&'static str, usize>,
}

impl ReportBuilder {
    /// A builder for the report of `period`.
    pub fn new(period: ReportPeriod) -> Self {
        Self {
            period,
            current: Tally::new(period.year),
            previous: Tally::new(period.year - 1),
            dims: dimensions(),
            communes: COMMUNES
                .iter()
                .enumerate()
                .map(|(i, c)| (c.code, i))
                .collect(),
        }
    }

    /// The calendar years whose records may count (those of both periods).
    pub fn years(&self) -> std::ops::RangeInclusive<i32> {
        *self.period.previous().years().start()..=self.period.year
    }

    /// Counts one record, by the month it was reported in; records of
    /// other periods are ignored. Returns whether it was counted.
    pub fn add(&mut self, record: &StatRecord) -> bool {
        let (year, month) = (i32::from(record.year), u32::from(record.month));
        let tally = if self.period.contains_month(year, month) {
            &mut self.current
        } else if self.period.previous().contains_month(year, month) {
            &mut self.previous
        } else {
            return false;
        };
        match self.communes.get(record.commune.as_str()) {
            Some(&commune) => {
                tally.add(commune, record, &self.dims);
                true
            }
            None => {
                tally.skipped += 1;
                false
            }
        }
    }

    /// Counts every record of `records`.
    pub fn extend<'a>(&mut self, records: impl IntoIterator<Item = &'a StatRecord>) {
        for record in records {
            self.add(record);
        }
    }
}

/// A shelter as the report needs it (the shelter directory's full model
/// lives in `binhan_core::shelters`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShelterInput {
    /// Commune (code).
    pub commune: String,
    /// Meets the standardisation checklist.
    pub standardised: bool,
    /// In service.
    pub active: bool,
}

/// The programme registries the report counts targets from. They describe
/// staff, schools, enterprises and shelters, not survivors, so their counts
/// are published without suppression.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Registries {
    /// What the officer recorded: training, targets, schools, enterprises.
    #[serde(default)]
    pub programme: ProgrammeRegistries,
    /// Shelters, as they stand.
    #[serde(default)]
    pub shelters: Vec<ShelterInput>,
    /// Months of school procedure use, from the counselors' phones.
    #[serde(default)]
    pub school_use: Vec<SchoolInUse>,
}

/// Registry counts for one commune (or the province) at the end of a year.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Programme {
    pub shelters: u64,
    pub standardised: u64,
    pub collaborators_to_train: u64,
    pub collaborators_trained: u64,
    pub officials_to_train: u64,
    pub officials_trained: u64,
    pub schools: u64,
    pub schools_with_procedure: u64,
    /// Schools whose counselors recorded a step of the procedure in the
    /// period.
    pub schools_in_use: u64,
    pub enterprises: u64,
    pub enterprises_with_rules: u64,
}

impl Programme {
    fn add(&mut self, other: &Self) {
        self.shelters += other.shelters;
        self.standardised += other.standardised;
        self.collaborators_to_train += other.collaborators_to_train;
        self.collaborators_trained += other.collaborators_trained;
        self.officials_to_train += other.officials_to_train;
        self.officials_trained += other.officials_trained;
        self.schools += other.schools;
        self.schools_with_procedure += other.schools_with_procedure;
        self.schools_in_use += other.schools_in_use;
        self.enterprises += other.enterprises;
        self.enterprises_with_rules += other.enterprises_with_rules;
    }
}

/// Per-commune programme counts at the end of `period`, and the province
/// sum. Entries naming an unknown commune count for the province only.
pub(crate) fn programme(
    registries: &Registries,
    period: ReportPeriod,
) -> (Vec<Programme>, Programme) {
    let index: HashMap<&str, usize> = COMMUNES
        .iter()
        .enumerate()
        .map(|(i, c)| (c.code, i))
        .collect();
    let end = period.last_day();
    let mut per = vec![Programme::default(); COMMUNES.len()];
    let mut province_only = Programme::default();
    fn slot<'a>(
        index: &HashMap<&str, usize>,
        per: &'a mut [Programme],
        province_only: &'a mut Programme,
        commune: &str,
    ) -> &'a mut Programme {
        match index.get(commune) {
            Some(&i) => &mut per[i],
            None => province_only,
        }
    }
    macro_rules! slot {
        ($commune:expr) => {
            slot(&index, &mut per, &mut province_only, $commune)
        };
    }
    for shelter in registries.shelters.iter().filter(|s| s.active) {
        let p = slot!(&shelter.commune);
        p.shelters += 1;
        p.standardised += u64::from(shelter.standardised);
    }
    for target in &registries.programme.training_targets {
        let p = slot!(&target.commune);
        p.collaborators_to_train += u64::from(target.collaborators);
        p.officials_to_train += u64::from(target.officials);
    }
    let mut trained: BTreeSet<(&str, TraineeRole, &str)> = BTreeSet::new();
    for session in registries
        .programme
        .training_sessions
        .iter()
        .filter(|s| s.date <= end)
    {
        for a in &session.attendees {
            trained.insert((a.commune.as_str(), a.role, a.person.as_str()));
        }
    }
    for (commune, role, _) in trained {
        let p = slot!(commune);
        match role {
            TraineeRole::Collaborator => p.collaborators_trained += 1,
            TraineeRole::Official => p.officials_trained += 1,
        }
    }
    for school in &registries.programme.schools {
        let p = slot!(&school.commune);
        p.schools += 1;
        p.schools_with_procedure += u64::from(school.procedure_since.is_some_and(|d| d <= end));
        p.schools_in_use += u64::from(
            last_use(
                &registries.school_use,
                &school.name,
                &school.commune,
                Some(period),
            )
            .is_some(),
        );
    }
    for enterprise in &registries.programme.enterprises {
        let p = slot!(&enterprise.commune);
        p.enterprises += 1;
        p.enterprises_with_rules += u64::from(enterprise.rules_since.is_some_and(|d| d <= end));
    }
    let mut province = province_only;
    for p in &per {
        province.add(p);
    }
    (per, province)
}

/// Training sessions held during `period`.
pub(crate) fn sessions_in(registries: &Registries, period: ReportPeriod) -> u64 {
    registries
        .programme
        .training_sessions
        .iter()
        .filter(|s| period.contains(s.date))
        .count() as u64
}
