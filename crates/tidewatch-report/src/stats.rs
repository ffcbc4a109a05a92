//! Summary statistics of a set of durations: count, mean, p50, p90, max.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct Stats {
    pub count: usize,
    pub mean: f64,
    pub p50: u32,
    pub p90: u32,
    pub max: u32,
}

/// Nearest-rank percentile of sorted values (p in 0..=100).
pub fn percentile(sorted: &[u32], p: f64) -> u32 {
    if sorted.is_empty() {
        return 0;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil().max(1.0) as usize;
    sorted[rank.min(sorted.len()) - 1]
}

impl Stats {
    pub fn of(values: &mut [u32]) -> Option<Stats> {
        if values.is_empty() {
            return None;
        }
        values.sort_unstable();
        let sum: u64 = values.iter().map(|&v| v as u64).sum();
        Some(Stats {
            count: values.len(),
            mean: sum as f64 / values.len() as f64,
            p50: percentile(values, 50.0),
            p90: percentile(values, 90.0),
            max: *values.last().expect("non-empty"),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank_percentiles() {
        let mut v: Vec<u32> = (1..=10).rev().collect();
        let s = Stats::of(&mut v).unwrap();
        assert_eq!((s.count, s.p50, s.p90, s.max), (10, 5, 9, 10));
        assert!((s.mean - 5.5).abs() < 1e-9);
        assert_eq!(percentile(&[7], 90.0), 7);
        assert!(Stats::of(&mut []).is_none());
    }
}
