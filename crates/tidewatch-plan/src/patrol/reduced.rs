//! The covering instance as the solvers see it, and their time budget: shared by the exact
//! model ([`super::mclp`]) and the Lagrangian bound and swaps ([`super::lagrange`]), which
//! `mclp` runs first (kept here so neither imports the other's module).

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

/// The instance as HiGHS sees it: distinct site sets, summed weights, useful sites only.
pub(super) struct Reduced {
    /// Original index of each kept site.
    pub sites: Vec<u32>,
    /// Per merged demand row: weight and positions into `sites`.
    pub rows: Vec<(f64, Vec<u32>)>,
}

/// When the heuristics must stop: a moment, or the caller's flag.
pub(super) struct Budget<'a> {
    pub until: Instant,
    pub stop: Option<&'a AtomicBool>,
}

impl Budget<'_> {
    pub fn over(&self) -> bool {
        Instant::now() >= self.until || self.stop.is_some_and(|s| s.load(Ordering::Relaxed))
    }
}
