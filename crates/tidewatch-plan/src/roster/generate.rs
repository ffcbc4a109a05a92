//! Instances of the shift scheduling benchmark's format (Curtois & Qu) of any size, for
//! tuning and benchmarks: staff with full- and part-time contracts, shift types with
//! forbidden successions, fixed days off, weighted on/off requests in runs of days, and
//! cover requirements that ask for about what the staff can give — drawn the way the
//! public instances look (Instances 1–4 in `tests/data/shift-benchmark`).

use std::fmt::Write as _;

use super::benchmark::{Cover, Instance, Request, ShiftType, Staff};
use tidewatch_core::Error;

use tidewatch_core::rng::Rng;

/// What to generate.
#[derive(Debug, Clone, Copy)]
pub struct GenerateOptions {
    pub staff: usize,
    /// Shift types, 1–10.
    pub shifts: usize,
    /// Days, a multiple of 7 (the instances start on a Monday), 7–364.
    pub days: usize,
    pub seed: u64,
}

const SHIFT_IDS: [&str; 10] = ["E", "D", "L", "N", "M", "A", "F", "G", "H", "I"];
/// Lengths in minutes; every employee may work at least one 480-minute type, so the
/// contract minutes can always be met.
const SHIFT_MINUTES: [u32; 10] = [480, 480, 480, 480, 540, 420, 600, 480, 540, 480];

/// Generates an instance. Every employee's hard rules can be met on their own (contract
/// minutes within what the run rules allow); cover is soft, so the instance is feasible.
pub fn generate(o: &GenerateOptions) -> Result<Instance, Error> {
    if o.staff == 0 || o.staff > 1000 {
        return Err(Error::invalid("--staff", format!("{} employees: 1–1000 expected", o.staff)));
    }
    if !(1..=SHIFT_IDS.len()).contains(&o.shifts) {
        return Err(Error::invalid("--shifts", format!("{} shift types: 1–10 expected", o.shifts)));
    }
    if o.days == 0 || !o.days.is_multiple_of(7) || o.days > 364 {
        return Err(Error::invalid("--days", format!("{} days: a multiple of 7 from 7 to 364 expected", o.days)));
    }
    let mut rng = Rng::scrambled(o.seed);
    let shifts = shift_types(o.shifts);
    let staff: Vec<Staff> = (0..o.staff).map(|e| employee(e, o, &mut rng)).collect();
    let (on_requests, off_requests) = requests(&staff, o, &mut rng);
    let cover = cover(&staff, &shifts, o, &mut rng);
    Ok(Instance { horizon: o.days, shifts, staff, on_requests, off_requests, cover })
}

/// Types in order of their start in the day: a later one may not be followed by an
/// earlier one the next day (too little rest), as in the public instances.
fn shift_types(n: usize) -> Vec<ShiftType> {
    (0..n).map(|i| ShiftType { id: SHIFT_IDS[i].to_string(), minutes: SHIFT_MINUTES[i], cannot_follow: (0..i).collect() }).collect()
}

/// Employee ids: A … Z, then AA, AB, … (as the public instances name them).
fn staff_id(mut e: usize) -> String {
    let mut id = Vec::new();
    loop {
        id.push(b'A' + (e % 26) as u8);
        if e < 26 {
            break;
        }
        e = e / 26 - 1;
    }
    id.reverse();
    String::from_utf8(id).expect("ascii")
}

fn employee(e: usize, o: &GenerateOptions, rng: &mut Rng) -> Staff {
    let h = o.days;
    let fortnights = h as f64 / 14.0;
    let part_time = rng.unit() < 0.25;
    let (max_minutes, min_minutes) = if part_time {
        ((2160.0 * fortnights) as u32, (1200.0 * fortnights) as u32)
    } else {
        ((4320.0 * fortnights) as u32, (3360.0 * fortnights) as u32)
    };
    // Types this employee may work: always one of the first (480-minute) ones; the night
    // type (N, the 4th) limited as in the public instances.
    let home = rng.below(o.shifts.min(3));
    let max_shifts = (0..o.shifts)
        .map(|s| {
            if s == home || rng.unit() < 0.6 {
                if s == 3 {
                    (h / 4) as u32
                } else {
                    h as u32
                }
            } else {
                0
            }
        })
        .collect();
    let mut days_off: Vec<usize> = (0..h / 14)
        .flat_map(|f| {
            let d = 14 * f + rng.below(13);
            [d, d + 1]
        })
        .filter(|&d| d < h)
        .collect();
    days_off.dedup();
    let max_consecutive = 5 + (rng.unit() < 0.3) as u32;
    Staff {
        id: staff_id(e),
        max_shifts,
        max_minutes,
        min_minutes,
        max_consecutive,
        min_consecutive: if part_time { 1 } else { 2 },
        min_consecutive_off: 2 + (rng.unit() < 0.2) as u32,
        max_weekends: ((h / 7) as u32).div_ceil(2).max(1),
        days_off,
    }
}

/// On and off requests in runs of 1–5 days, weight 1–3, about two runs per employee per
/// fortnight.
fn requests(staff: &[Staff], o: &GenerateOptions, rng: &mut Rng) -> (Vec<Request>, Vec<Request>) {
    let (mut on, mut off) = (Vec::new(), Vec::new());
    for (e, st) in staff.iter().enumerate() {
        let allowed: Vec<usize> = (0..o.shifts).filter(|&s| st.max_shifts[s] > 0).collect();
        for _ in 0..(o.days / 7) {
            let shift = allowed[rng.below(allowed.len())];
            let len = 1 + rng.below(5);
            let first = rng.below(o.days);
            let weight = 1 + rng.below(3) as u32;
            let list = if rng.unit() < 0.5 { &mut on } else { &mut off };
            for day in (first..(first + len).min(o.days)).filter(|d| !st.days_off.contains(d)) {
                list.push(Request { staff: e, day, shift, weight });
            }
        }
    }
    (on, off)
}

/// Requirements that ask for about the shifts the staff can give (mean contract minutes
/// over the mean shift length), spread over the types and a little higher on weekdays.
fn cover(staff: &[Staff], shifts: &[ShiftType], o: &GenerateOptions, rng: &mut Rng) -> Vec<Vec<Cover>> {
    let supply: f64 = staff
        .iter()
        .map(|st| {
            let allowed: Vec<usize> = (0..shifts.len()).filter(|&s| st.max_shifts[s] > 0).collect();
            let mean: f64 = allowed.iter().map(|&s| shifts[s].minutes as f64).sum::<f64>() / allowed.len() as f64;
            (st.min_minutes + st.max_minutes) as f64 / 2.0 / mean
        })
        .sum();
    let per_day = supply / o.days as f64;
    // Share of each type: the first ones (day shifts) more than the later ones.
    let share: Vec<f64> = (0..shifts.len()).map(|s| if s < 3 { 1.0 } else { 0.5 }).collect();
    let total_share: f64 = share.iter().sum();
    (0..o.days)
        .map(|d| {
            let weekday = if d % 7 >= 5 { 0.8 } else { 1.08 };
            (0..shifts.len())
                .map(|s| {
                    let mean = per_day * weekday * share[s] / total_share;
                    let jitter = rng.unit() - 0.5;
                    Cover { requirement: (mean + jitter).round().max(0.0) as u32, under: 100, over: 1 }
                })
                .collect()
        })
        .collect()
}

/// The instance in the benchmark's text format ([`Instance::parse`] reads it back).
pub fn to_text(inst: &Instance) -> String {
    let mut out = String::from("# Generated by tidewatch roster generate\nSECTION_HORIZON\n");
    let _ = writeln!(out, "{}\n\nSECTION_SHIFTS", inst.horizon);
    for sh in &inst.shifts {
        let follow: Vec<&str> = sh.cannot_follow.iter().map(|&t| inst.shifts[t].id.as_str()).collect();
        let _ = writeln!(out, "{},{},{}", sh.id, sh.minutes, follow.join("|"));
    }
    out.push_str("\nSECTION_STAFF\n");
    for st in &inst.staff {
        let max: Vec<String> = st.max_shifts.iter().enumerate().map(|(s, n)| format!("{}={n}", inst.shifts[s].id)).collect();
        let _ = writeln!(
            out,
            "{},{},{},{},{},{},{},{}",
            st.id,
            max.join("|"),
            st.max_minutes,
            st.min_minutes,
            st.max_consecutive,
            st.min_consecutive,
            st.min_consecutive_off,
            st.max_weekends
        );
    }
    out.push_str("\nSECTION_DAYS_OFF\n");
    for st in inst.staff.iter().filter(|st| !st.days_off.is_empty()) {
        let days: Vec<String> = st.days_off.iter().map(|d| d.to_string()).collect();
        let _ = writeln!(out, "{},{}", st.id, days.join(","));
    }
    for (title, list) in [("SECTION_SHIFT_ON_REQUESTS", &inst.on_requests), ("SECTION_SHIFT_OFF_REQUESTS", &inst.off_requests)] {
        let _ = writeln!(out, "\n{title}");
        for r in list.iter() {
            let _ = writeln!(out, "{},{},{},{}", inst.staff[r.staff].id, r.day, inst.shifts[r.shift].id, r.weight);
        }
    }
    out.push_str("\nSECTION_COVER\n");
    for (d, row) in inst.cover.iter().enumerate() {
        for (s, c) in row.iter().enumerate() {
            let _ = writeln!(out, "{d},{},{},{},{}", inst.shifts[s].id, c.requirement, c.under, c.over);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_text_reads_back_to_the_same_instance() {
        let inst = generate(&GenerateOptions { staff: 30, shifts: 4, days: 28, seed: 7 }).unwrap();
        let text = to_text(&inst);
        let back = Instance::parse(&text, "gen").unwrap();
        assert_eq!(to_text(&back), text);
        assert_eq!(back.staff.len(), 30);
        assert_eq!(back.staff[27].id, "AB");
        assert!(!back.on_requests.is_empty() && !back.off_requests.is_empty());
    }

    #[test]
    fn the_same_seed_gives_the_same_instance_and_another_seed_another() {
        let o = GenerateOptions { staff: 12, shifts: 3, days: 14, seed: 1 };
        assert_eq!(to_text(&generate(&o).unwrap()), to_text(&generate(&o).unwrap()));
        assert_ne!(to_text(&generate(&o).unwrap()), to_text(&generate(&GenerateOptions { seed: 2, ..o }).unwrap()));
    }

    #[test]
    fn bad_sizes_are_errors_naming_the_argument() {
        let o = GenerateOptions { staff: 10, shifts: 4, days: 28, seed: 1 };
        let err = generate(&GenerateOptions { days: 30, ..o }).unwrap_err().to_string();
        assert!(err.contains("--days"), "{err}");
        let err = generate(&GenerateOptions { shifts: 11, ..o }).unwrap_err().to_string();
        assert!(err.contains("--shifts"), "{err}");
        let err = generate(&GenerateOptions { staff: 0, ..o }).unwrap_err().to_string();
        assert!(err.contains("--staff"), "{err}");
    }
}
