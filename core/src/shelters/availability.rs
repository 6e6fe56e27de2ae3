//! Free places: the figure a host confirms from their phone, and how fresh
//! it is when someone looks for a place.

use super::ids::ShelterId;
use crate::coded_enum;
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// How old a confirmed figure may be before it is shown as unconfirmed, by
/// default.
pub const DEFAULT_MAX_AGE_HOURS: u32 = 12;

/// A host's statement of free places, sent to every device.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AvailabilityUpdate {
    /// The shelter.
    pub shelter: ShelterId,
    /// Places free.
    pub free_places: u16,
    /// When the host confirmed the figure (UTC).
    pub confirmed_at: DateTime<Utc>,
}

coded_enum! {
    /// How much a free-places figure can be trusted now.
    pub enum Freshness: "availability_freshness" {
        "Confirmed by the host within the allowed age." Confirmed = ("confirmed", "đã xác nhận", "confirmed"),
        "Confirmed longer ago than the allowed age." Unconfirmed = ("unconfirmed", "chưa xác nhận lại", "unconfirmed"),
        "Never reported." Unknown = ("unknown", "chưa có thông tin", "unknown"),
    }
}

/// The free places of a shelter as a device knows them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct AvailabilityView {
    /// Places free, if ever reported.
    pub free_places: Option<u16>,
    /// When the figure was confirmed.
    pub confirmed_at: Option<DateTime<Utc>>,
    /// Whether the figure can be trusted now.
    pub freshness: Freshness,
}

/// The newest free-places figure of every shelter a device has heard of.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct AvailabilityBook {
    latest: BTreeMap<ShelterId, AvailabilityUpdate>,
}

impl AvailabilityBook {
    /// Keeps `update` if it is newer than what is known; returns whether it
    /// was kept. Merging is order-independent: the newest confirmation wins,
    /// and of two at the same instant the smaller figure (the cautious one).
    pub fn merge(&mut self, update: AvailabilityUpdate) -> bool {
        let newer = match self.latest.get(&update.shelter) {
            None => true,
            Some(known) => {
                (update.confirmed_at, std::cmp::Reverse(update.free_places))
                    > (known.confirmed_at, std::cmp::Reverse(known.free_places))
            }
        };
        if newer {
            self.latest.insert(update.shelter, update);
        }
        newer
    }

    /// The latest figure for `shelter`.
    pub fn get(&self, shelter: &ShelterId) -> Option<&AvailabilityUpdate> {
        self.latest.get(shelter)
    }

    /// Every latest figure.
    pub fn all(&self) -> impl Iterator<Item = &AvailabilityUpdate> {
        self.latest.values()
    }

    /// What to show for `shelter` at `now`, a figure older than `max_age`
    /// being unconfirmed.
    pub fn view(
        &self,
        shelter: &ShelterId,
        now: DateTime<Utc>,
        max_age: Duration,
    ) -> AvailabilityView {
        match self.latest.get(shelter) {
            None => AvailabilityView {
                free_places: None,
                confirmed_at: None,
                freshness: Freshness::Unknown,
            },
            Some(u) => AvailabilityView {
                free_places: Some(u.free_places),
                confirmed_at: Some(u.confirmed_at),
                freshness: if now.signed_duration_since(u.confirmed_at) <= max_age {
                    Freshness::Confirmed
                } else {
                    Freshness::Unconfirmed
                },
            },
        }
    }

    /// Forgets shelters no longer in the directory.
    pub fn retain(&mut self, keep: impl Fn(&ShelterId) -> bool) {
        self.latest.retain(|id, _| keep(id));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn newest_figure_wins_in_any_order_and_ages() {
        let s = ShelterId::derived("synthetic");
        let t0 = DateTime::from_timestamp(1_794_700_000, 0).unwrap();
        let a = AvailabilityUpdate {
            shelter: s,
            free_places: 3,
            confirmed_at: t0,
        };
        let b = AvailabilityUpdate {
            shelter: s,
            free_places: 1,
            confirmed_at: t0 + Duration::hours(1),
        };
        let mut x = AvailabilityBook::default();
        let mut y = AvailabilityBook::default();
        assert!(x.merge(a) && x.merge(b));
        assert!(y.merge(b) && !y.merge(a));
        assert_eq!(x, y);
        let fresh = x.view(&s, t0 + Duration::hours(2), Duration::hours(12));
        assert_eq!(
            (fresh.free_places, fresh.freshness),
            (Some(1), Freshness::Confirmed)
        );
        let stale = x.view(&s, t0 + Duration::hours(14), Duration::hours(12));
        assert_eq!(stale.freshness, Freshness::Unconfirmed);
        let unknown = x.view(&ShelterId::derived("other"), t0, Duration::hours(12));
        assert_eq!(
            (unknown.free_places, unknown.freshness),
            (None, Freshness::Unknown)
        );
    }
}
