//! The plan's indicators as chart data: each indicator with a 2030 target
//! is a bar (its value and the target on one scale, met or not, and a
//! sentence that says it all for those who do not see the bar); the others
//! are figures. Computed here, so that every shell only draws.

use super::text::{decimal, L};
use crate::view::LabelledValue;
use binhan_core::model::Lang;
use binhan_core::stats::report::{Indicator, Value};
use serde::Serialize;

/// The length of a full bar: positions are in thousandths of the scale.
pub const FULL: u32 = 1000;

/// One indicator against its 2030 target.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct IndicatorBar {
    /// Stable code of the indicator, e.g. `share_trained`.
    pub code: String,
    /// What it measures.
    pub label: String,
    /// This year's value as read: "62,5%", "3", or "ẩn" when suppressed.
    pub value: String,
    /// The 2030 target as read: "80%", "≥ 5".
    pub target: String,
    /// The same, said: "mục tiêu 2030: 80%".
    pub target_text: String,
    /// The bar's length, in thousandths of the scale (0..=1000; 0 when
    /// there is no value to draw).
    pub value_permille: u32,
    /// Where the target line is, in thousandths of the scale.
    pub target_permille: u32,
    /// The scale: "thang 0–100%".
    pub scale: String,
    /// Met (`Some(true)`), not met, or not known (the value is suppressed
    /// or missing).
    pub met: Option<bool>,
    /// "đạt", "chưa đạt", or why it cannot be said.
    pub status: String,
    /// The previous year, when there is one: "năm trước: 55%".
    pub previous: Option<String>,
    /// The text alternative: label, value, target and status in one
    /// sentence.
    pub alt: String,
}

/// The indicators chart.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct IndicatorChart {
    /// Its title.
    pub title: String,
    /// How many targets are met, in a sentence.
    pub summary: String,
    /// One bar per indicator with a target.
    pub bars: Vec<IndicatorBar>,
    /// "Other figures".
    pub figures_label: String,
    /// Indicators without a target: value, and the previous year.
    pub figures: Vec<LabelledValue>,
}

/// A value as read in the report's text.
pub(crate) fn value_text(value: &Value, percent: bool, lang: Lang) -> String {
    match value {
        Value::Count(n) => n.to_string(),
        Value::Change(0) => "0".to_string(),
        Value::Change(n) => format!("{n:+}"),
        Value::Percent(p) if percent => format!("{}%", decimal(*p, lang)),
        Value::Percent(p) => decimal(*p, lang),
        Value::Text(t) => t.clone(),
        Value::Suppressed => L::Suppressed.get(lang),
        Value::Empty => L::NoData.get(lang),
    }
}

/// Whether an indicator is a share (drawn on a 0–100% scale).
fn is_share(i: &Indicator) -> bool {
    matches!(i.value, Value::Percent(_))
        || matches!(i.previous, Value::Percent(_))
        || i.target.as_deref().is_some_and(|t| t.ends_with('%'))
}

fn number(value: &Value) -> Option<f64> {
    match value {
        Value::Count(n) => Some(*n as f64),
        Value::Percent(p) => Some(*p),
        _ => None,
    }
}

fn permille(x: f64, max: f64) -> u32 {
    if max <= 0.0 || !x.is_finite() {
        return 0;
    }
    ((x / max * f64::from(FULL))
        .round()
        .clamp(0.0, f64::from(FULL))) as u32
}

fn bar(i: &Indicator, target: &str, target_value: f64, lang: Lang) -> IndicatorBar {
    let share = is_share(i);
    let value = number(&i.value);
    // Shares on 0–100%; counts on 0 to the larger of the target and the
    // value, so that both fit.
    let max = if share {
        100.0
    } else {
        target_value.max(value.unwrap_or(0.0)).max(1.0)
    };
    let max_text = if share {
        "100%".to_string()
    } else {
        decimal(max, lang)
    };
    let status = match (i.met, &i.value) {
        (Some(true), _) => L::Met,
        (Some(false), _) => L::NotMet,
        (None, Value::Suppressed) => L::CannotAssess,
        (None, _) => L::NoData,
    }
    .get(lang);
    let label = match lang {
        Lang::Vi => i.vi.clone(),
        Lang::En => i.en.clone(),
    };
    let shown = value_text(&i.value, share, lang);
    let target_text = L::Target(target.to_string()).get(lang);
    let previous = (!matches!(i.previous, Value::Empty))
        .then(|| L::Previous(value_text(&i.previous, share, lang)).get(lang));
    IndicatorBar {
        code: i.code.clone(),
        alt: format!("{label}: {shown}; {target_text}; {status}."),
        label,
        value: shown,
        target: target.to_string(),
        target_text,
        value_permille: value.map_or(0, |v| permille(v, max)),
        target_permille: permille(target_value, max),
        scale: L::Scale { max: max_text }.get(lang),
        met: i.met,
        status,
        previous,
    }
}

/// The chart of `indicators`, in `lang`.
pub(crate) fn chart(indicators: &[Indicator], lang: Lang) -> IndicatorChart {
    let mut bars = Vec::new();
    let mut figures = Vec::new();
    for i in indicators {
        match (&i.target, i.target_value) {
            (Some(target), Some(value)) => bars.push(bar(i, target, value, lang)),
            _ => {
                let share = is_share(i);
                let mut text = value_text(&i.value, share, lang);
                if !matches!(i.previous, Value::Empty) {
                    text = format!(
                        "{text} ({})",
                        L::Previous(value_text(&i.previous, share, lang)).get(lang)
                    );
                }
                figures.push(LabelledValue {
                    code: i.code.clone(),
                    label: match lang {
                        Lang::Vi => i.vi.clone(),
                        Lang::En => i.en.clone(),
                    },
                    value: text,
                });
            }
        }
    }
    let met = bars.iter().filter(|b| b.met == Some(true)).count();
    IndicatorChart {
        title: L::ChartTitle.get(lang),
        summary: L::ChartSummary {
            met,
            of: bars.len(),
        }
        .get(lang),
        bars,
        figures_label: L::OtherFigures.get(lang),
        figures,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn indicator(code: &str, value: Value, target: Option<(&str, f64)>) -> Indicator {
        Indicator {
            code: code.into(),
            vi: format!("chỉ tiêu {code} (synthetic)"),
            en: format!("indicator {code} (synthetic)"),
            met: target.and_then(|(_, t)| match value {
                Value::Percent(p) => Some(p >= t),
                Value::Count(n) => Some(n as f64 >= t),
                _ => None,
            }),
            target: target.map(|(t, _)| t.to_string()),
            target_value: target.map(|(_, t)| t),
            previous: Value::Empty,
            change: Value::Empty,
            value,
        }
    }

    #[test]
    fn shares_are_drawn_on_a_percent_scale_and_counts_on_their_target() {
        let chart = chart(
            &[
                indicator("survivors_detected", Value::Count(7), None),
                indicator("share_trained", Value::Percent(62.5), Some(("80%", 80.0))),
                indicator("standardised_shelters", Value::Count(7), Some(("≥ 5", 5.0))),
                indicator(
                    "share_with_service",
                    Value::Suppressed,
                    Some(("100%", 100.0)),
                ),
            ],
            Lang::Vi,
        );
        assert_eq!(chart.bars.len(), 3);
        assert_eq!(chart.figures.len(), 1);
        assert_eq!(chart.figures[0].value, "7");
        let trained = &chart.bars[0];
        assert_eq!(trained.value, "62,5%");
        assert_eq!(
            (trained.value_permille, trained.target_permille),
            (625, 800)
        );
        assert_eq!(trained.met, Some(false));
        assert_eq!(trained.scale, "thang 0–100%");
        assert_eq!(trained.target_text, "mục tiêu 2030: 80%");
        assert_eq!(value_text(&Value::Change(0), false, Lang::Vi), "0");
        assert_eq!(value_text(&Value::Change(-2), false, Lang::Vi), "-2");
        assert_eq!(
            trained.alt,
            "chỉ tiêu share_trained (synthetic): 62,5%; mục tiêu 2030: 80%; chưa đạt."
        );
        // 7 shelters against at least 5: the scale is 0–7, the target at 5/7.
        let shelters = &chart.bars[1];
        assert_eq!(
            (shelters.value_permille, shelters.target_permille),
            (1000, 714)
        );
        assert_eq!(shelters.status, "đạt");
        // A suppressed value is never drawn as a zero that fails.
        let served = &chart.bars[2];
        assert_eq!(served.value, "ẩn");
        assert_eq!(served.met, None);
        assert_eq!(served.value_permille, 0);
        assert!(served.alt.contains("chưa đánh giá được"));
        assert_eq!(
            chart.summary,
            "Đạt 1 trên 3 chỉ tiêu có mục tiêu đến năm 2030."
        );
        let en = super::chart(
            &[indicator(
                "share_schools",
                Value::Percent(100.0),
                Some(("100%", 100.0)),
            )],
            Lang::En,
        );
        assert_eq!(en.bars[0].value, "100%");
        assert_eq!(en.bars[0].status, "met");
        assert_eq!(en.summary, "1 of the 1 targets for 2030 met.");
    }
}
