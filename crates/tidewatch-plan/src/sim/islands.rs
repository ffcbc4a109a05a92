//! The what-if's reach over a replayed period (issue #16): per island, how many calls the
//! replay had, how many were priority 1, the share answered within target and the response
//! times, for run A and run B, and the band of the share (the colour on the leader's map)
//! with the islands whose band B changes. Pure sums over the replay's per-call outcomes.

use std::collections::BTreeMap;

use serde::Serialize;
use tidewatch_report::Stats;

use super::CallOutcome;

/// The share of an island's calls answered within target, in four bands (the map's
/// colours). A call nobody reached counts as missed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum ShareBand {
    /// At least [`GOOD_SHARE`] within target.
    Good,
    /// At least [`FAIR_SHARE`].
    Fair,
    /// Less than that.
    Poor,
    /// No call with a target (the pack sets none for the calls' priorities).
    Unjudged,
}

/// The share within target from which an island is [`ShareBand::Good`].
pub const GOOD_SHARE: f64 = 0.9;
/// The share within target from which an island is [`ShareBand::Fair`].
pub const FAIR_SHARE: f64 = 0.6;

impl ShareBand {
    pub fn of(share: Option<f64>) -> ShareBand {
        match share {
            None => ShareBand::Unjudged,
            Some(s) if s >= GOOD_SHARE => ShareBand::Good,
            Some(s) if s >= FAIR_SHARE => ShareBand::Fair,
            Some(_) => ShareBand::Poor,
        }
    }
}

/// One island's calls over the replay, under one roster.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
pub struct IslandPeriod {
    pub calls: usize,
    pub p1_calls: usize,
    /// Calls no unit reached.
    pub unreached: usize,
    /// Of the calls with a target, the share reached within it (unreached: missed).
    pub within_share: Option<f64>,
    /// The same for the priority-1 calls.
    pub p1_within_share: Option<f64>,
    /// Call to scene of the calls reached, seconds.
    pub response: Option<Stats>,
    pub band: ShareBand,
}

/// An island's period under run A and run B. Both runs replay the same calls (a surge's
/// copies are drawn with a fixed seed), so a side is None only when there is no run B.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
pub struct IslandPeriodRow {
    pub island: String,
    pub a: Option<IslandPeriod>,
    pub b: Option<IslandPeriod>,
    /// B's band differs from A's (both judged): the map rings the island.
    pub band_changed: bool,
}

/// Sums of one island's outcomes.
#[derive(Default)]
struct Sum {
    calls: usize,
    p1_calls: usize,
    unreached: usize,
    times: Vec<u32>,
    judged: usize,
    within: usize,
    p1_judged: usize,
    p1_within: usize,
}

impl Sum {
    fn add(&mut self, o: &CallOutcome) {
        self.calls += 1;
        let p1 = o.priority == 1;
        self.p1_calls += p1 as usize;
        match o.response_s {
            Some(r) => self.times.push(r),
            None => self.unreached += 1,
        }
        if let Some(t) = o.target_s {
            let within = o.response_s.is_some_and(|r| r <= t) as usize;
            self.judged += 1;
            self.within += within;
            self.p1_judged += p1 as usize;
            self.p1_within += if p1 { within } else { 0 };
        }
    }

    fn period(mut self) -> IslandPeriod {
        let share = |n: usize, of: usize| (of > 0).then(|| n as f64 / of as f64);
        let within_share = share(self.within, self.judged);
        IslandPeriod {
            calls: self.calls,
            p1_calls: self.p1_calls,
            unreached: self.unreached,
            within_share,
            p1_within_share: share(self.p1_within, self.p1_judged),
            response: Stats::of(&mut self.times),
            band: ShareBand::of(within_share),
        }
    }
}

/// Per island (by id, sorted), the period's figures of one run.
pub fn island_periods(outcomes: &[CallOutcome]) -> BTreeMap<String, IslandPeriod> {
    let mut sums: BTreeMap<String, Sum> = BTreeMap::new();
    for o in outcomes {
        sums.entry(o.island.clone()).or_default().add(o);
    }
    sums.into_iter().map(|(k, s)| (k, s.period())).collect()
}

/// Run A's and run B's (if any) figures side by side, island by island; the islands whose
/// band B changes first, then by id.
pub fn compare_periods(a: &[CallOutcome], b: Option<&[CallOutcome]>) -> Vec<IslandPeriodRow> {
    let mut a = island_periods(a);
    let mut b = b.map(island_periods).unwrap_or_default();
    let keys: std::collections::BTreeSet<String> = a.keys().chain(b.keys()).cloned().collect();
    let mut rows: Vec<IslandPeriodRow> = keys
        .into_iter()
        .map(|island| {
            let (pa, pb) = (a.remove(&island), b.remove(&island));
            let band_changed = match (&pa, &pb) {
                (Some(x), Some(y)) => x.band != y.band && x.band != ShareBand::Unjudged && y.band != ShareBand::Unjudged,
                _ => false,
            };
            IslandPeriodRow { island, a: pa, b: pb, band_changed }
        })
        .collect();
    rows.sort_by_key(|r| !r.band_changed);
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call(island: &str, priority: u8, response_s: Option<u32>, target_s: Option<u32>) -> CallOutcome {
        CallOutcome { island: island.into(), priority, response_s, target_s }
    }

    #[test]
    fn shares_count_unreached_calls_as_missed() {
        let calls = [
            call("damao", 1, Some(600), Some(2700)),
            call("damao", 1, Some(3000), Some(2700)),
            call("damao", 2, Some(1200), Some(3600)),
            call("damao", 1, None, Some(2700)),
            call("zhoushan", 3, Some(900), None),
        ];
        let p = island_periods(&calls);
        let d = &p["damao"];
        assert_eq!((d.calls, d.p1_calls, d.unreached), (4, 3, 1));
        assert_eq!(d.within_share, Some(0.5)); // 600 and 1200 of four
        assert_eq!(d.p1_within_share, Some(1.0 / 3.0));
        let r = d.response.as_ref().unwrap();
        assert_eq!((r.count, r.p50, r.p90), (3, 1200, 3000));
        assert_eq!(d.band, ShareBand::Poor);
        let z = &p["zhoushan"];
        assert_eq!((z.within_share, z.p1_within_share, z.band), (None, None, ShareBand::Unjudged));
        assert_eq!(z.p1_calls, 0);
    }

    #[test]
    fn bands_at_the_thresholds() {
        assert_eq!(ShareBand::of(Some(GOOD_SHARE)), ShareBand::Good);
        assert_eq!(ShareBand::of(Some(0.89)), ShareBand::Fair);
        assert_eq!(ShareBand::of(Some(FAIR_SHARE)), ShareBand::Fair);
        assert_eq!(ShareBand::of(Some(0.0)), ShareBand::Poor);
        assert_eq!(ShareBand::of(None), ShareBand::Unjudged);
    }

    #[test]
    fn b_changing_an_islands_band_comes_first() {
        let a = [call("a_isle", 1, Some(100), Some(200)), call("damao", 1, Some(9000), Some(2700)), call("z_isle", 1, None, None)];
        let b = [call("a_isle", 1, Some(150), Some(200)), call("damao", 1, Some(1000), Some(2700)), call("z_isle", 1, Some(10), Some(20))];
        let rows = compare_periods(&a, Some(&b));
        let keys: Vec<(&str, bool)> = rows.iter().map(|r| (r.island.as_str(), r.band_changed)).collect();
        // z_isle is unjudged under A: no change is claimed for it.
        assert_eq!(keys, [("damao", true), ("a_isle", false), ("z_isle", false)]);
        assert_eq!(rows[0].a.as_ref().unwrap().band, ShareBand::Poor);
        assert_eq!(rows[0].b.as_ref().unwrap().band, ShareBand::Good);
        let alone = compare_periods(&a, None);
        assert!(alone.iter().all(|r| r.b.is_none() && !r.band_changed));
        assert_eq!(alone.len(), 3);
        assert!(compare_periods(&[], None).is_empty());
    }
}
