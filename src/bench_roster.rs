//! `tidewatch bench roster`: the benchmark solver at scale against plain HiGHS.
//!
//! For each size, a generated instance (`roster generate`'s generator) is solved once by
//! each solver with the longest limit; the objective at each shorter mark is the best
//! roster found by then (neither search changes its course with its limit: the LNS's
//! windows have a fixed length, and HiGHS' search does not look at the time limit).

use std::time::Instant;

use clap::Args;
use tidewatch_core::Error;
use tidewatch_plan::roster::benchmark::{self, Instance, Solved};
use tidewatch_plan::roster::generate::generate;
use tidewatch_plan::roster::lns;
use tidewatch_plan::roster::mip::{MipOptions, MipProgress};

#[derive(Args)]
pub struct RosterBench {
    /// Staff sizes, comma separated.
    #[arg(long, value_delimiter = ',', default_value = "30,40,50,60")]
    staff: Vec<usize>,
    #[command(flatten)]
    shape: crate::roster_cmd::InstanceShape,
    /// Marks (seconds), comma separated; the last is each run's time limit.
    #[arg(long, value_delimiter = ',', default_value = "10,30,60")]
    at: Vec<f64>,
    /// Cores each solver may use (1 or 2); the search on 2 runs the whole MIP beside it.
    #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(u32).range(1..=2))]
    threads: u32,
}

/// One run: (seconds since the call, best objective then), and the final answer.
struct Run {
    trace: Vec<(f64, f64)>,
    result: Result<Solved, Error>,
}

impl Run {
    fn at(&self, t: f64) -> Option<i64> {
        let traced = self.trace.iter().filter(|(s, _)| *s <= t).map(|&(_, v)| v).fold(f64::INFINITY, f64::min);
        let last = self.result.as_ref().ok().filter(|r| r.seconds <= t + 1.0).map(|r| r.objective as f64);
        let best = last.map_or(traced, |l| l.min(traced));
        best.is_finite().then_some(best.round() as i64)
    }

    fn bound(&self) -> Option<i64> {
        self.result.as_ref().ok().map(|r| r.bound)
    }
}

fn run(inst: &Instance, limit: f64, exact: bool, threads: u32) -> Run {
    let started = Instant::now();
    let mut trace = Vec::new();
    let mut record = |m: &MipProgress| {
        if let Some(v) = m.incumbent {
            trace.push((started.elapsed().as_secs_f64(), v));
        }
    };
    let options = MipOptions { time_limit: Some(limit), threads: Some(threads), ..Default::default() };
    let result = if exact { benchmark::solve(inst, &options, &mut record) } else { lns::solve(inst, &options, &mut record) };
    Run { trace, result }
}

pub fn roster_bench(a: &RosterBench) -> Result<(), Error> {
    let Some(&limit) = a.at.last() else {
        return Err(Error::invalid("--at", "at least one mark (seconds) expected"));
    };
    if a.at.iter().any(|t| !t.is_finite() || *t <= 0.0 || *t > 86_400.0) || a.at.windows(2).any(|w| w[0] >= w[1]) {
        return Err(Error::invalid("--at", "increasing seconds from 0 to 86400 expected, e.g. 10,30,60"));
    }
    let marks: Vec<String> = a.at.iter().map(|t| format!("{t:.0} s")).collect();
    println!("{} core(s) per solver; load average (1, 5, 15 min) before: {}", a.threads, load_average());
    println!("| staff | solver | {} | bound | gap at {limit:.0} s |", marks.join(" | "));
    println!("|---|---|{}---|---|", "---|".repeat(a.at.len()));
    for &staff in &a.staff {
        let inst = generate(&a.shape.with_staff(staff))?;
        let ours = run(&inst, limit, false, a.threads);
        let peer = run(&inst, limit, true, a.threads);
        let bound = ours.bound().into_iter().chain(peer.bound()).max();
        for (name, r) in [("LNS", &ours), ("HiGHS", &peer)] {
            let cells: Vec<String> = a.at.iter().map(|&t| r.at(t).map_or("—".into(), |v| v.to_string())).collect();
            let gap = match (r.at(limit), bound) {
                (Some(v), Some(b)) if v > 0 => format!("{:.1} %", 100.0 * (v - b) as f64 / v as f64),
                _ => "—".into(),
            };
            let bound_cell = bound.map_or("—".into(), |b| b.to_string());
            println!("| {staff} | {name} | {} | {bound_cell} | {gap} |", cells.join(" | "));
            if let Err(e) = &r.result {
                eprintln!("{staff} staff, {name}: {e}");
            }
        }
    }
    println!("load average after: {}", load_average());
    Ok(())
}

/// The machine's load as `uptime` gives it (the figures depend on it on a shared machine).
fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map_or_else(|_| "unknown".into(), |s| s.split_whitespace().take(3).collect::<Vec<_>>().join(", "))
}
