//! The employee shift scheduling benchmark (Curtois & Qu), Instances 1–4: the CLI must
//! reach the proven optimum within 30 s, and the roster it writes must score exactly that
//! under a checker written here from the format description alone (it shares no code with
//! the crate: its own parser, its own rule walk, its own objective).

mod support;

use std::collections::HashMap;
use std::path::PathBuf;
use std::process::Command;
use std::time::Instant;

/// Prefer the copy in tests/data; fall back to ../shared/reference beside the repo.
fn instance(n: u32) -> PathBuf {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let local = root.join(format!("tests/data/shift-benchmark/Instance{n}.txt"));
    if local.exists() {
        return local;
    }
    root.join(format!("../shared/reference/shift-benchmark/Instance{n}.txt"))
}

// ---- an independent reader and scorer ----

struct Staff {
    max_shifts: HashMap<String, u32>,
    max_min: u32,
    min_min: u32,
    max_cons: usize,
    min_cons: usize,
    min_off: usize,
    max_weekends: usize,
}

struct Inst {
    horizon: usize,
    length: HashMap<String, u32>,
    cannot_follow: HashMap<String, Vec<String>>,
    staff: HashMap<String, Staff>,
    days_off: Vec<(String, usize)>,
    on: Vec<(String, usize, String, i64)>,
    off: Vec<(String, usize, String, i64)>,
    cover: Vec<(usize, String, i64, i64, i64)>,
}

fn read(text: &str) -> Inst {
    let mut inst = Inst {
        horizon: 0,
        length: HashMap::new(),
        cannot_follow: HashMap::new(),
        staff: HashMap::new(),
        days_off: Vec::new(),
        on: Vec::new(),
        off: Vec::new(),
        cover: Vec::new(),
    };
    let mut section = "";
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if line.starts_with("SECTION_") {
            section = match line {
                "SECTION_HORIZON" => "h",
                "SECTION_SHIFTS" => "s",
                "SECTION_STAFF" => "st",
                "SECTION_DAYS_OFF" => "do",
                "SECTION_SHIFT_ON_REQUESTS" => "on",
                "SECTION_SHIFT_OFF_REQUESTS" => "off",
                "SECTION_COVER" => "c",
                other => panic!("section {other}"),
            };
            continue;
        }
        let f: Vec<&str> = line.split(',').collect();
        let n = |s: &str| s.trim().parse::<i64>().unwrap();
        match section {
            "h" => inst.horizon = n(f[0]) as usize,
            "s" => {
                inst.length.insert(f[0].into(), n(f[1]) as u32);
                let follow = f.get(2).map_or(vec![], |x| x.split('|').filter(|s| !s.is_empty()).map(String::from).collect());
                inst.cannot_follow.insert(f[0].into(), follow);
            }
            "st" => {
                let max_shifts = f[1]
                    .split('|')
                    .map(|p| {
                        let (k, v) = p.split_once('=').unwrap();
                        (k.to_string(), n(v) as u32)
                    })
                    .collect();
                inst.staff.insert(
                    f[0].into(),
                    Staff {
                        max_shifts,
                        max_min: n(f[2]) as u32,
                        min_min: n(f[3]) as u32,
                        max_cons: n(f[4]) as usize,
                        min_cons: n(f[5]) as usize,
                        min_off: n(f[6]) as usize,
                        max_weekends: n(f[7]) as usize,
                    },
                );
            }
            "do" => {
                for d in &f[1..] {
                    inst.days_off.push((f[0].into(), n(d) as usize));
                }
            }
            "on" => inst.on.push((f[0].into(), n(f[1]) as usize, f[2].into(), n(f[3]))),
            "off" => inst.off.push((f[0].into(), n(f[1]) as usize, f[2].into(), n(f[3]))),
            "c" => inst.cover.push((n(f[0]) as usize, f[1].into(), n(f[2]), n(f[3]), n(f[4]))),
            _ => panic!("data outside a section"),
        }
    }
    inst
}

/// Objective of the CSV roster; panics on any broken hard rule.
fn score(inst: &Inst, csv: &str) -> i64 {
    // who → day → shift
    let mut plan: HashMap<&str, Vec<Option<&str>>> = inst.staff.keys().map(|k| (k.as_str(), vec![None; inst.horizon])).collect();
    for (i, line) in csv.lines().enumerate() {
        if i == 0 && line == "employee,day,shift" {
            continue;
        }
        let f: Vec<&str> = line.split(',').collect();
        assert_eq!(f.len(), 3, "line {line}");
        let day: usize = f[1].parse().unwrap();
        assert!(inst.length.contains_key(f[2]), "unknown shift {}", f[2]);
        let row = plan.get_mut(f[0]).unwrap_or_else(|| panic!("unknown employee {}", f[0]));
        assert!(row[day].is_none(), "{} twice on day {day}", f[0]);
        row[day] = Some(f[2]);
    }
    for (who, row) in &plan {
        let s = &inst.staff[*who];
        let mut minutes = 0;
        let mut count: HashMap<&str, u32> = HashMap::new();
        for (d, x) in row.iter().enumerate() {
            if let Some(t) = x {
                minutes += inst.length[*t];
                *count.entry(t).or_default() += 1;
                assert!(!inst.days_off.contains(&(who.to_string(), d)), "{who} on day off {d}");
                if let Some(Some(next)) = row.get(d + 1) {
                    assert!(!inst.cannot_follow[*t].iter().any(|n| n == next), "{who}: {next} after {t} on day {d}");
                }
            }
        }
        for (t, c) in count {
            assert!(c <= *s.max_shifts.get(t).unwrap_or(&u32::MAX), "{who}: too many {t}");
        }
        assert!((s.min_min..=s.max_min).contains(&minutes), "{who}: {minutes} minutes");
        // Runs: the state of each day, split into maximal blocks.
        let mut d = 0;
        while d < inst.horizon {
            let working = row[d].is_some();
            let mut e = d;
            while e < inst.horizon && row[e].is_some() == working {
                e += 1;
            }
            let interior = d > 0 && e < inst.horizon;
            if working {
                assert!(e - d <= s.max_cons, "{who}: {} in a row at {d}", e - d);
                assert!(!interior || e - d >= s.min_cons, "{who}: only {} in a row at {d}", e - d);
            } else {
                assert!(!interior || e - d >= s.min_off, "{who}: only {} off at {d}", e - d);
            }
            d = e;
        }
        let weekends = (0..inst.horizon)
            .filter(|d| d % 7 == 5)
            .filter(|&sat| row[sat].is_some() || row.get(sat + 1).is_some_and(|x| x.is_some()))
            .count();
        assert!(weekends <= s.max_weekends, "{who}: {weekends} weekends");
    }
    let mut total = 0;
    for (who, d, t, w) in &inst.on {
        if plan[who.as_str()][*d] != Some(t.as_str()) {
            total += w;
        }
    }
    for (who, d, t, w) in &inst.off {
        if plan[who.as_str()][*d] == Some(t.as_str()) {
            total += w;
        }
    }
    for (d, t, req, under, over) in &inst.cover {
        let n = plan.values().filter(|row| row[*d] == Some(t.as_str())).count() as i64;
        total += if n < *req { (req - n) * under } else { (n - req) * over };
    }
    total
}

/// One solve at a time: the 30 s limit is for a solve on this 2-core machine, not for
/// four solves sharing it.
static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn solve_and_verify(n: u32, optimum: i64) {
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let path = instance(n);
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("roster.csv");
    let started = Instant::now();
    let out = Command::new(env!("CARGO_BIN_EXE_tidewatch"))
        .args(["roster", "benchmark", path.to_str().unwrap(), "--time-limit", "30", "--quiet", "--out"])
        .arg(&csv)
        .output()
        .unwrap();
    let seconds = started.elapsed().as_secs_f64();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let printed: i64 = String::from_utf8_lossy(&out.stdout).trim().parse().unwrap();
    assert_eq!(printed, optimum, "Instance {n}: objective");
    assert!(seconds <= 30.0, "Instance {n}: {seconds:.1} s");
    let inst = read(&std::fs::read_to_string(&path).unwrap());
    let text = std::fs::read_to_string(&csv).unwrap();
    assert_eq!(score(&inst, &text), optimum, "Instance {n}: objective recomputed from the CSV");
    eprintln!("Instance {n}: {optimum} in {seconds:.2} s");

    // The crate's own evaluator agrees.
    let lib = tidewatch_plan::roster::benchmark::Instance::read(&path).unwrap();
    let roster = tidewatch_plan::roster::benchmark::from_csv(&lib, &text).unwrap();
    let ev = tidewatch_plan::roster::benchmark::evaluate(&lib, &roster);
    assert!(ev.violations.is_empty(), "{:?}", ev.violations);
    assert_eq!(ev.objective, optimum);
}

#[test]
#[ignore = "slow tier: a solve of up to 30 s, and its wall time is asserted"]
fn instance_1_reaches_607() {
    solve_and_verify(1, 607);
}

#[test]
#[ignore = "slow tier: a solve of up to 30 s, and its wall time is asserted"]
fn instance_2_reaches_828() {
    solve_and_verify(2, 828);
}

#[test]
#[ignore = "slow tier: a solve of up to 30 s, and its wall time is asserted"]
fn instance_3_reaches_1001() {
    solve_and_verify(3, 1001);
}

#[test]
#[ignore = "slow tier: a solve of up to 30 s, and its wall time is asserted"]
fn instance_4_reaches_1716() {
    solve_and_verify(4, 1716);
}

#[test]
fn the_independent_scorer_catches_a_broken_roster() {
    let inst = read(&std::fs::read_to_string(instance(1)).unwrap());
    // A works on its fixed day off (day 0).
    let result = std::panic::catch_unwind(|| score(&inst, "employee,day,shift\nA,0,D\n"));
    assert!(result.is_err());
}

#[test]
fn a_bad_instance_file_is_an_error_with_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.txt");
    std::fs::write(&bad, "SECTION_HORIZON\n14\nSECTION_SHIFTS\nD,480,\nSECTION_STAFF\nA,D=14,4320,3360,5,2,2\n").unwrap();
    let out = support::tidewatch(&["roster", "benchmark", bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("bad.txt:6"), "{err}");
}

/// Writes a generated instance with the CLI (`roster generate`).
fn generated(dir: &std::path::Path, staff: usize, seed: u64) -> PathBuf {
    let path = dir.join(format!("gen-{staff}-{seed}.txt"));
    let out = Command::new(env!("CARGO_BIN_EXE_tidewatch"))
        .args(["roster", "generate", "--staff", &staff.to_string(), "--shifts", "4", "--days", "28", "--seed", &seed.to_string(), "--out"])
        .arg(&path)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    path
}

/// Runs `roster benchmark` (plus `extra` arguments); returns the printed objective, the
/// objective the independent scorer computes from the CSV (it panics on a broken hard
/// rule), and the wall time.
fn bench_generated(path: &std::path::Path, limit: f64, extra: &[&str]) -> (Option<i64>, Option<i64>, f64) {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("roster.csv");
    let started = Instant::now();
    let out = Command::new(env!("CARGO_BIN_EXE_tidewatch"))
        .args(["roster", "benchmark", path.to_str().unwrap(), "--time-limit", &limit.to_string(), "--quiet", "--out"])
        .arg(&csv)
        .args(extra)
        .output()
        .unwrap();
    let seconds = started.elapsed().as_secs_f64();
    if !out.status.success() {
        eprintln!("{}", String::from_utf8_lossy(&out.stderr));
        return (None, None, seconds);
    }
    let printed: i64 = String::from_utf8_lossy(&out.stdout).trim().parse().unwrap();
    let inst = read(&std::fs::read_to_string(path).unwrap());
    let scored = score(&inst, &std::fs::read_to_string(&csv).unwrap());
    (Some(printed), Some(scored), seconds)
}

/// The case of issue 17 (36 staff, 4 shift types, 28 days ended with no roster at all):
/// at 40 staff a roster that keeps every hard rule comes back within a short limit.
#[test]
#[ignore = "slow tier: a 5 s solve, and its wall time is asserted"]
fn a_generated_40_staff_instance_gets_a_sound_roster_within_5_s() {
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tempfile::tempdir().unwrap();
    let path = generated(dir.path(), 40, 3);
    let (printed, scored, seconds) = bench_generated(&path, 5.0, &[]);
    let printed = printed.expect("a roster");
    assert_eq!(Some(printed), scored, "the printed objective is the roster's");
    // 5 s of search, plus the process, the model build and a loaded machine's slack.
    assert!(seconds <= 20.0, "{seconds:.1} s");
    eprintln!("40 staff: {printed} in {seconds:.1} s");
}

#[test]
#[ignore = "slow tier: two 30 s solves of a 60-staff instance"]
fn at_60_staff_the_search_beats_plain_highs_within_30_s() {
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tempfile::tempdir().unwrap();
    let path = generated(dir.path(), 60, 1);
    let (ours, scored, _) = bench_generated(&path, 30.0, &[]);
    let ours = ours.expect("a roster");
    assert_eq!(Some(ours), scored);
    let (peer, _, _) = bench_generated(&path, 30.0, &["--exact"]);
    eprintln!("60 staff, 30 s: search {ours}, plain HiGHS {peer:?}");
    assert!(peer.is_none_or(|p| ours < p), "search {ours} vs plain HiGHS {peer:?}");
}

#[test]
fn generate_refuses_bad_sizes_naming_the_argument() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_tidewatch"))
        .args(["roster", "generate", "--staff", "10", "--days", "30", "--out"])
        .arg(dir.path().join("x.txt"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--days") && err.contains("multiple of 7"), "{err}");
    assert!(!dir.path().join("x.txt").exists());
}
