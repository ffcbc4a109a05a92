//! The joint lines of work of a synthetic history, calibrated to the year Dinghai published
//! for its mixed island teams (交所融洽): 1,600+ vehicles checked, 11 surprise raids on
//! outlying islands, 12 drunk drivers, 2,160 duty hours of the joint teams, 32 service
//! stalls serving 800+ elderly people, 67 traffic hazards passed to the traffic police and
//! 32 public-order hazards passed to the stations, 327 citizen tips.
//!
//! Counts come from [`Quota`]s, not coin flips: a year holds the published count (±1)
//! whatever the seed, while the days they fall on vary.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicI64, Ordering};

use chrono::{DateTime, Utc};

use crate::desk::Desk;
use tidewatch_core::ids::UnitId;
use tidewatch_core::region::{PlaceKind, Region, UnitKind};
use tidewatch_core::rng::Rng;
use tidewatch_core::Error;
use tidewatch_journal::{EventBody, PoliceLine};

use super::{ts, SeedSummary, OPERATOR};

/// The published year, per year (the demo's calibration targets).
pub mod published {
    /// Set checkpoints of 40–55 vehicles (mean 47.5; with the raids' 2–10, about 1,680 a
    /// year: the published "1,600+").
    pub const CHECKPOINTS: f64 = 34.0;
    pub const SURPRISE_RAIDS: f64 = 11.0;
    pub const DRUNK_DRIVERS: f64 = 12.0;
    /// Duty hours of the joint teams, logged as patrol sessions of 3–5 hours (mean 4).
    pub const JOINT_DUTY_HOURS: f64 = 2160.0;
    pub const SERVICE_STALLS: f64 = 32.0;
    pub const HAZARDS_TO_TRAFFIC: f64 = 67.0;
    pub const HAZARDS_TO_STATIONS: f64 = 32.0;
    pub const TIPS: f64 = 327.0;
}

/// A steady yearly rate with a random phase: `n` days (or events) hold `rate × n` ± 1.
#[derive(Debug, Clone)]
pub struct Quota {
    per_step: f64,
    acc: f64,
}

impl Quota {
    pub fn per_year(per_year: f64, rng: &mut Rng) -> Quota {
        Quota::per_step(per_year / 365.0, rng)
    }

    pub fn per_step(per_step: f64, rng: &mut Rng) -> Quota {
        Quota { per_step, acc: rng.range(0, 1_000_000) as f64 / 1_000_000.0 }
    }

    /// How many fall in this step.
    pub fn take(&mut self) -> u64 {
        self.take_rate(self.per_step)
    }

    /// How many fall in a step whose rate is `rate` (a rate that changes from step to step).
    pub fn take_rate(&mut self, rate: f64) -> u64 {
        self.acc += rate.max(0.0);
        let n = self.acc.floor();
        self.acc -= n;
        n as u64
    }
}

/// Where the joint work happens and the quotas that pace it over the seeded period.
pub struct JointWork {
    islands: Vec<String>,
    checkpoints: Vec<(String, String)>,
    /// Stations, posts, piers, villages and towns on the outlying islands (raid targets).
    outlying_spots: Vec<(String, String)>,
    /// Villages and towns on the outlying islands (where service stalls stand).
    villages: Vec<(String, String)>,
    /// The villages not visited yet in this round (the teams go round them all in turn).
    round: Vec<usize>,
    joint_units: Vec<(UnitId, String)>,
    checkpoint: Quota,
    raid: Quota,
    drunk: Quota,
    patrol: Quota,
    stall: Quota,
    to_traffic: Quota,
    to_stations: Quota,
    tip: Quota,
    /// Tips received and not closed yet: (tip seq, when it is closed).
    pub open_tips: Vec<(i64, i64)>,
}

/// The district's outlying islands: inhabited, in the district, not the most populous.
fn outlying(region: &Region) -> Vec<String> {
    let main = region.islands.iter().filter(|i| i.in_district).max_by_key(|i| i.population.unwrap_or(0)).map(|i| i.id.0.clone());
    region.islands.iter().filter(|i| i.inhabited && i.in_district && Some(&i.id.0) != main.as_ref()).map(|i| i.id.0.clone()).collect()
}

fn places_of(region: &Region, islands: &[String], kinds: &[PlaceKind]) -> Vec<(String, String)> {
    region
        .places
        .iter()
        .filter(|p| kinds.contains(&p.kind) && islands.contains(&p.island.0))
        .map(|p| (p.id.0.clone(), p.island.0.clone()))
        .collect()
}

impl JointWork {
    pub fn new(region: &Region, rng: &mut Rng) -> Result<JointWork, Error> {
        use published::*;
        let islands: Vec<String> = region.islands.iter().filter(|i| i.inhabited && i.in_district).map(|i| i.id.0.clone()).collect();
        let all: Vec<String> = region.islands.iter().filter(|i| i.in_district).map(|i| i.id.0.clone()).collect();
        let far = outlying(region);
        let joint_units: Vec<(UnitId, String)> = region
            .units
            .iter()
            .filter(|u| u.kind == UnitKind::Joint)
            .map(|u| (u.id.clone(), region.place(&u.base).map(|p| p.island.0.clone()).unwrap_or_default()))
            .collect();
        let w = JointWork {
            checkpoints: places_of(region, &all, &[PlaceKind::Station, PlaceKind::Post, PlaceKind::Pier]),
            outlying_spots: places_of(
                region,
                &far,
                &[PlaceKind::Station, PlaceKind::Post, PlaceKind::Pier, PlaceKind::Village, PlaceKind::Town],
            ),
            villages: places_of(region, &far, &[PlaceKind::Village, PlaceKind::Town]),
            round: Vec::new(),
            islands,
            joint_units,
            checkpoint: Quota::per_year(CHECKPOINTS, rng),
            raid: Quota::per_year(SURPRISE_RAIDS, rng),
            drunk: Quota::per_step(DRUNK_DRIVERS / (CHECKPOINTS + SURPRISE_RAIDS), rng),
            patrol: Quota::per_year(JOINT_DUTY_HOURS / 4.0, rng),
            stall: Quota::per_year(SERVICE_STALLS, rng),
            to_traffic: Quota::per_year(HAZARDS_TO_TRAFFIC, rng),
            to_stations: Quota::per_year(HAZARDS_TO_STATIONS, rng),
            tip: Quota::per_year(TIPS, rng),
            open_tips: Vec::new(),
        };
        let missing = [
            ("inhabited islands in the district", w.islands.is_empty()),
            ("stations, posts or piers", w.checkpoints.is_empty()),
            ("places on outlying islands", w.outlying_spots.is_empty()),
            ("villages or towns on outlying islands", w.villages.is_empty()),
            ("joint units", w.joint_units.is_empty()),
        ];
        if let Some((what, _)) = missing.iter().find(|(_, m)| *m) {
            return Err(Error::invalid("region", format!("the demo's joint work needs {what}; the pack has none")));
        }
        Ok(w)
    }

    /// One day of checkpoints and raids, joint patrols, service stalls, hazards and tips.
    pub fn day(
        &mut self,
        desk: &mut Desk,
        rng: &mut Rng,
        clock: &AtomicI64,
        day_start: i64,
        summary: &mut SeedSummary,
    ) -> Result<(), Error> {
        let at = |h: u64, rng: &mut Rng| {
            let t = day_start + (h * 3600 + rng.range(0, 3600)) as i64;
            clock.store(t, Ordering::Relaxed);
            ts(t)
        };
        let mut n = 0u64;
        // Joint duty sessions are logged in the morning, for the previous day.
        let when = at(7, rng);
        for _ in 0..self.patrol.take() {
            let (unit, island) = pick(rng, &self.joint_units).clone();
            let hours = 3.0 + rng.range(0, 5) as f64 / 2.0;
            desk.record(OPERATOR, when, EventBody::Patrol { unit: unit.0, island: Some(island), hours, synthetic: true })?;
            n += 1;
        }
        for _ in 0..self.raid.take() {
            let spot = pick(rng, &self.outlying_spots).clone();
            let t = at(21, rng);
            n += self.checkpoint(desk, rng, t, spot, true)?;
        }
        for _ in 0..self.checkpoint.take() {
            let spot = pick(rng, &self.checkpoints).clone();
            let t = at(20, rng);
            n += self.checkpoint(desk, rng, t, spot, false)?;
        }
        for _ in 0..self.stall.take() {
            let (place, island) = self.next_village(rng);
            let elderly_served = rng.range(20, 33) as u32;
            let people_served = elderly_served + rng.range(10, 31) as u32;
            let body = EventBody::ServiceStall { place, island: Some(island), people_served, elderly_served, synthetic: true };
            desk.record(OPERATOR, at(9, rng), body)?;
            n += 1;
        }
        let hazards = [
            (self.to_traffic.take(), PoliceLine::Station, "交通安全隐患（演示） traffic hazard (synthetic)"),
            (self.to_stations.take(), PoliceLine::Traffic, "治安隐患（演示） public-order hazard (synthetic)"),
        ];
        for (count, found_by, description) in hazards {
            for _ in 0..count {
                let island = pick(rng, &self.islands).clone();
                let passed_to = if found_by == PoliceLine::Station { PoliceLine::Traffic } else { PoliceLine::Station };
                let body =
                    EventBody::Hazard { island: Some(island), found_by, passed_to, description: description.into(), synthetic: true };
                desk.record(OPERATOR, at(11, rng), body)?;
                n += 1;
            }
        }
        for _ in 0..self.tip.take() {
            let island = pick(rng, &self.islands).clone();
            let t = at(8 + rng.range(0, 12), rng);
            let body = EventBody::TipReceived {
                island: Some(island),
                text: "群众随手拍线索（演示） citizen photo tip (synthetic)".into(),
                synthetic: true,
                tip: None,
            };
            let ack = desk.record(OPERATOR, t, body)?;
            self.open_tips.push((ack.seq, t.timestamp() + rng.range(1800, 20_000) as i64));
            n += 1;
        }
        n += self.close_tips(desk, clock, Some(day_start + 86_400))?;
        summary.joint_records += n;
        Ok(())
    }

    /// The next village of the round, in a random order; a new round when all were visited.
    fn next_village(&mut self, rng: &mut Rng) -> (String, String) {
        if self.round.is_empty() {
            self.round = (0..self.villages.len()).collect();
            for i in (1..self.round.len()).rev() {
                self.round.swap(i, rng.range(0, i as u64 + 1) as usize);
            }
        }
        let i = self.round.pop().expect("villages are checked non-empty");
        self.villages[i].clone()
    }

    fn checkpoint(
        &mut self,
        desk: &mut Desk,
        rng: &mut Rng,
        t: DateTime<Utc>,
        (place, island): (String, String),
        surprise: bool,
    ) -> Result<u64, Error> {
        // A raid on a small island finds few vehicles; a set checkpoint on a main road many.
        let vehicles_checked = if surprise { rng.range(2, 11) } else { rng.range(40, 56) } as u32;
        let mut violations = BTreeMap::new();
        violations.insert("drunk_driving".to_string(), self.drunk.take() as u32);
        violations.insert("unlicensed_driving".to_string(), rng.range(0, 3) as u32);
        violations.insert("no_helmet".to_string(), rng.range(0, 6) as u32);
        desk.record(
            OPERATOR,
            t,
            EventBody::Checkpoint { place, island: Some(island), vehicles_checked, violations, surprise, synthetic: true },
        )?;
        Ok(1)
    }

    /// Closes the open tips due before `before` (all of them when `None`).
    pub fn close_tips(&mut self, desk: &mut Desk, clock: &AtomicI64, before: Option<i64>) -> Result<u64, Error> {
        let (due, later): (Vec<_>, Vec<_>) = self.open_tips.drain(..).partition(|&(_, t)| before.is_none_or(|b| t < b));
        self.open_tips = later;
        for &(tip, t) in &due {
            clock.store(t, Ordering::Relaxed);
            desk.record(OPERATOR, ts(t), EventBody::TipClosed { tip, outcome: "已办结（演示） closed (synthetic)".into() })?;
        }
        Ok(due.len() as u64)
    }
}

fn pick<'a, T>(rng: &mut Rng, items: &'a [T]) -> &'a T {
    &items[rng.range(0, items.len() as u64) as usize]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_quota_holds_its_rate_within_one_over_any_run() {
        let mut rng = Rng::new(3);
        for per_year in [11.0, 327.0, 540.0, 0.5] {
            let mut q = Quota::per_year(per_year, &mut rng);
            let days: Vec<u64> = (0..730).map(|_| q.take()).collect();
            for (from, len) in [(0, 365), (100, 365), (365, 365), (7, 30)] {
                let n: u64 = days[from..from + len].iter().sum();
                let want = per_year * len as f64 / 365.0;
                assert!((n as f64 - want).abs() <= 1.0, "{per_year}/year over {len} days from {from}: {n}, want {want}");
            }
        }
    }
}
