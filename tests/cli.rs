//! The `tidewatch` command line, as other tools and checks call it.

mod support;

use std::process::{Command, Output};

use serde_json::Value;

use support::tidewatch;

fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&out.stdout)))
}

#[test]
fn region_check_json_counts_the_dinghai_pack() {
    let dir = support::dinghai_dir();
    let out = tidewatch(&["region", "check", dir.to_str().unwrap(), "--json"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v = json(&out);
    for key in ["islands", "places", "bridges", "ferry_routes", "sailings", "units", "officers", "estimated"] {
        assert!(v[key].as_u64().unwrap() > 0, "{key} = {}", v[key]);
    }
    assert!(v["units"].as_u64().unwrap() >= 20);
    assert_eq!(v["errors"], serde_json::json!([]));
}

#[test]
fn region_check_of_a_broken_pack_exits_1_with_the_errors() {
    let dir = support::pack_copy();
    support::set_field(dir.path(), "places.csv", 14, "lat", "31.9");
    let out = tidewatch(&["region", "check", dir.path().to_str().unwrap(), "--json"]);
    assert_eq!(out.status.code(), Some(1));
    let v = json(&out);
    let errors = v["errors"].as_array().unwrap();
    assert_eq!(errors[0]["file"], "places.csv");
    assert_eq!(errors[0]["line"], 14);
    assert_eq!(errors[0]["field"], "lat");
    assert_eq!(errors[0]["message"], "places.csv:14: lat 31.9 is outside the region bounds");

    let out = tidewatch(&["region", "check", dir.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("places.csv:14: lat 31.9 is outside the region bounds"));
}

fn recommend(extra: &[&str]) -> Output {
    let dir = support::dinghai_dir();
    let mut args = vec!["recommend", "--region", dir.to_str().unwrap()];
    args.extend_from_slice(extra);
    tidewatch(&args)
}

#[test]
fn recommend_json_has_the_documented_shape() {
    let out =
        recommend(&["--at", "2026-07-01T10:00:00+08:00", "--lon", "122.0487", "--lat", "29.9479", "--type", "missing_person", "--json"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v = json(&out);
    assert_eq!(v["location"]["island"], "damao");
    assert_eq!(v["location"]["at_sea"], false);
    assert!(v["location"]["snap_m"].as_f64().is_some());
    let candidates = v["candidates"].as_array().unwrap();
    assert!(!candidates.is_empty());
    // The dispatcher's order: units going alone by eta_s, crews a boat carries by eta_s
    // (after them when the first unit going alone is within target, else merged by eta_s).
    for carried in [false, true] {
        let etas: Vec<u64> =
            candidates.iter().filter(|c| c["carrier"].is_object() == carried).map(|c| c["eta_s"].as_u64().unwrap()).collect();
        assert!(etas.windows(2).all(|w| w[0] <= w[1]), "sorted by eta_s: {etas:?}");
    }
    for c in candidates {
        let eta = c["eta_s"].as_u64().unwrap();
        assert!(c["unit"].is_string() && c["kind"].is_string());
        let legs = c["legs"].as_array().unwrap();
        assert_eq!(legs.iter().map(|l| l["seconds"].as_u64().unwrap()).sum::<u64>(), eta, "legs sum to eta_s");
        for l in legs {
            assert!(["drive", "wait", "ferry", "boat", "walk"].contains(&l["mode"].as_str().unwrap()));
            assert!(l["from"].is_string() && l["to"].is_string());
            chrono::DateTime::parse_from_rfc3339(l["start"].as_str().unwrap()).expect("RFC 3339 start");
        }
    }
    assert!(candidates.iter().any(|c| c["legs"].as_array().unwrap().iter().any(|l| l["mode"] == "ferry")));
    assert!(v["warnings"].is_array());
    assert!(v["excluded"]["ineligible"].is_array());
}

#[test]
fn recommend_table_reads_like_a_route() {
    let out = recommend(&["--at", "2026-07-01T08:00:00+08:00", "--lon", "122.0487", "--lat", "29.9479", "--type", "theft"]);
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("wait") && text.contains("09:00 sailing") && text.contains("ferry"), "{text}");
}

#[test]
fn recommend_refuses_bad_input_with_exit_2() {
    let cases: &[(&[&str], &str)] = &[
        (&["--at", "2026-07-01T10:00:00+08:00", "--lon", "122.1", "--lat", "30.0", "--type", "alien"], "unknown incident type 'alien'"),
        (&["--at", "yesterday", "--lon", "122.1", "--lat", "30.0", "--type", "theft"], "--at 'yesterday' is not an RFC 3339 time"),
        (&["--at", "2026-07-01T10:00:00+08:00", "--lon", "222.1", "--lat", "30.0", "--type", "theft"], "is not a coordinate"),
        (&["--at", "2026-07-01T10:00:00+08:00", "--lon", "east", "--lat", "30.0", "--type", "theft"], "invalid value 'east'"),
        (
            &["--at", "2026-07-01T10:00:00+08:00", "--lon", "122.1", "--lat", "30.0", "--type", "theft", "--closed", "nope"],
            "unknown bridge or ferry route 'nope'",
        ),
        (&["--at", "2026-07-01T10:00:00+08:00", "--lon", "122.1", "--lat", "30.0", "--type", "theft", "--priority", "9"], "--priority"),
    ];
    for (args, message) in cases {
        let out = recommend(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(message), "{args:?}: {err}");
    }
}

// ---- Hardening (issue #11): never a panic (exit 101) or a hang; bad arguments exit 2. ----

/// Runs the CLI (see `support::tidewatch_within`), failing after `secs`.
fn tidewatch_within(secs: u64, args: &[&str]) -> Output {
    support::tidewatch_within(std::time::Duration::from_secs(secs), args)
        .unwrap_or_else(|| panic!("tidewatch {args:?} still running after {secs} s"))
}

/// Exit 2 with a message naming `arg`, and no panic.
fn assert_refused(out: &Output, arg: &str, args: &[&str]) {
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
    assert!(err.contains(arg), "{args:?} should name {arg}: {err}");
    assert!(!err.contains("panicked"), "{args:?}: {err}");
}

/// A pack copy in another time zone.
fn pack_in_zone(tz: &str) -> tempfile::TempDir {
    let dir = support::pack_copy();
    let path = dir.path().join("region.toml");
    let text = std::fs::read_to_string(&path).unwrap().replace("time_zone = \"Asia/Shanghai\"", &format!("time_zone = \"{tz}\""));
    assert!(text.contains(tz));
    std::fs::write(&path, text).unwrap();
    dir
}

#[test]
fn a_skipped_local_midnight_starts_the_day_at_the_jump() {
    // Shanghai 1940-06-01 and Santiago 2025-09-07: 00:00 became 01:00.
    let santiago = pack_in_zone("America/Santiago");
    let dinghai = support::dinghai_dir();
    for (region, day, before, after, first) in [
        (dinghai.as_path(), "1940-06-01", "1940-05-31", "1940-06-02", "1940-06-01T01:00:00+09:00"),
        (santiago.path(), "2025-09-07", "2025-09-06", "2025-09-08", "2025-09-07T01:00:00-03:00"),
    ] {
        let tmp = tempfile::tempdir().unwrap();
        let db = tmp.path().join("demo.db");
        let (db, region) = (db.to_str().unwrap(), region.to_str().unwrap());
        let seeded =
            tidewatch_within(60, &["demo", "seed", "--db", db, "--region", region, "--from", before, "--to", after, "--per-day", "20"]);
        assert!(seeded.status.success(), "{day}: {}", String::from_utf8_lossy(&seeded.stderr));

        let out = tidewatch_within(60, &["report", "--db", db, "--region", region, "--from", day, "--to", day, "--json"]);
        assert!(out.status.success(), "{day}: {}", String::from_utf8_lossy(&out.stderr));
        let v = json(&out);
        assert_eq!(v["response"]["from"], first, "{day}");
        assert!(v["response"]["total"]["incidents"].as_u64().unwrap() > 0, "{day}: {v}");

        let out = tidewatch_within(60, &["sim", "--region", region, "--db", db, "--from", day, "--days", "1", "--json"]);
        assert!(out.status.success(), "{day}: {}", String::from_utf8_lossy(&out.stderr));
        let v = json(&out);
        assert!(v["a"]["calls"].as_u64().unwrap() > 0, "{day}");
        // The period per island: every call on one island's row (no run B: none beside it).
        let islands = v["islands"].as_array().expect("the per-island block");
        let calls: u64 = islands.iter().map(|r| r["a"]["calls"].as_u64().unwrap()).sum();
        assert_eq!(calls, v["a"]["calls"].as_u64().unwrap(), "{day}");
        assert!(islands.iter().all(|r| r["b"].is_null() && r["band_changed"] == false), "{day}");
        let out = tidewatch_within(60, &["sim", "--region", region, "--generate", "--calls-per-day", "5", "--from", day, "--days", "1"]);
        assert!(out.status.success(), "{day}: {}", String::from_utf8_lossy(&out.stderr));
    }
}

/// Standard output whose reader is gone before anything is written.
fn closed_stdout() -> std::process::Stdio {
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    writer.into()
}

fn with_stdout(stdout: std::process::Stdio, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tidewatch")).args(args).stdout(stdout).output().unwrap()
}

#[test]
fn a_closed_or_full_standard_output_is_no_panic() {
    let dir = support::dinghai_dir();
    let dir = dir.to_str().unwrap();
    let at = ["--at", "2026-07-01T10:00:00+08:00", "--lon", "122.0487", "--lat", "29.9479", "--type", "theft"];
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("demo.db");
    let db = db.to_str().unwrap();
    let seeded = tidewatch_within(
        60,
        &["demo", "seed", "--db", db, "--region", dir, "--from", "2026-07-01", "--to", "2026-07-02", "--per-day", "5"],
    );
    assert!(seeded.status.success(), "{}", String::from_utf8_lossy(&seeded.stderr));
    let report = ["report", "--db", db, "--from", "2026-07-01", "--to", "2026-07-01"];
    let commands: Vec<Vec<&str>> = vec![
        vec!["region", "check", dir],
        vec!["region", "check", dir, "--json"],
        report.to_vec(),
        [&report[..], &["--csv"]].concat(),
        vec!["sim", "--region", dir, "--db", db, "--from", "2026-07-01", "--days", "1"],
        [&["recommend", "--region", dir, "--json"][..], &at].concat(),
        [&["recommend", "--region", dir][..], &at].concat(),
        vec!["--help"],
    ];
    for args in &commands {
        // A reader that went away (`| head -1`): stop quietly, as Unix tools do.
        let out = with_stdout(closed_stdout(), args);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        assert!(out.stderr.is_empty(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));

        // A full disk: say so, exit 1.
        let full = std::fs::OpenOptions::new().write(true).open("/dev/full").unwrap();
        let out = with_stdout(full.into(), args);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {err}");
        assert!(err.starts_with("error: cannot write to standard output: "), "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{args:?}: {err}");
    }
    // A full standard error: the refusal's exit code stands, no panic over the message.
    for args in [
        vec!["sim", "--region", dir, "--db", db, "--from", "2026-07-01", "--days", "0"],
        vec!["report", "--db", db, "--from", "x", "--to", "y"],
    ] {
        let full = std::fs::OpenOptions::new().write(true).open("/dev/full").unwrap();
        let out = Command::new(env!("CARGO_BIN_EXE_tidewatch")).args(&args).stderr(full).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
    }
}

#[test]
fn counts_and_spans_that_overflow_dates_are_refused() {
    let dir = support::dinghai_dir();
    let region = dir.to_str().unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("bench.db");
    let db = db.to_str().unwrap();
    let sim = ["sim", "--region", region, "--generate", "--from", "2026-07-01"];
    let cases: Vec<(Vec<&str>, &str)> = vec![
        ([&sim[..], &["--days", "4294967295"]].concat(), "--days"),
        ([&sim[..], &["--days", "0"]].concat(), "--days"),
        ([&sim[..], &["--turnout", "4294967295"]].concat(), "--turnout"),
        (vec!["bench", "journal", "--db", db, "--region", region, "--years", "300000"], "--years"),
        (vec!["bench", "journal", "--db", db, "--region", region, "--years", "-5"], "--years"),
        (vec!["bench", "journal", "--db", db, "--region", region, "--incidents", "18446744073709551615"], "--incidents"),
        (vec!["bench", "sim", "--region", region, "--year", "262143"], "--year"),
        (vec!["sim", "--region", region, "--generate", "--from", "+262143-12-31"], "--from"),
        (vec!["report", "--db", db, "--from", "2026-01-01", "--to", "+262143-12-31"], "--to"),
        (vec!["demo", "seed", "--db", db, "--region", region, "--from", "0001-01-01", "--to", "9999-12-31"], "--to"),
        (vec!["roster", "demand", "--region", region, "--from", "2026-07-01", "--days", "4294967295"], "--days"),
        // Valid each, but hours of work together.
        (
            vec!["demo", "seed", "--db", db, "--region", region, "--from", "2000-01-01", "--to", "2090-01-01", "--per-day", "5000"],
            "--per-day",
        ),
        ([&sim[..], &["--days", "3660", "--calls-per-day", "10000"]].concat(), "--calls-per-day"),
    ];
    for (args, arg) in &cases {
        assert_refused(&tidewatch_within(20, args), arg, args);
    }
}

#[test]
fn non_finite_and_implausible_numbers_are_refused_up_front() {
    let dir = support::dinghai_dir();
    let region = dir.to_str().unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("demo.db");
    let db = db.to_str().unwrap();
    let instance = support::dinghai_dir().join("../../../tests/data/shift-benchmark/Instance1.txt");
    let instance = instance.to_str().unwrap();
    for x in ["nan", "inf", "-inf", "1e12", "-1"] {
        let cases: Vec<(Vec<&str>, &str)> = vec![
            (
                vec!["demo", "seed", "--db", db, "--region", region, "--from", "2026-07-01", "--to", "2026-07-02", "--per-day", x],
                "--per-day",
            ),
            (vec!["sim", "--region", region, "--generate", "--from", "2026-07-01", "--calls-per-day", x], "--calls-per-day"),
            (vec!["sim", "--region", region, "--generate", "--from", "2026-07-01", "--surge", x], "--surge"),
            (vec!["bench", "sim", "--region", region, "--calls-per-day", x], "--calls-per-day"),
            (
                vec!["roster", "plan", "--region", region, "--from", "2026-07-01", "--days", "1", "--out", db, "--time-limit", x],
                "--time-limit",
            ),
            (vec!["roster", "benchmark", instance, "--time-limit", x], "--time-limit"),
            (
                vec!["recommend", "--region", region, "--at", "2026-07-01T10:00:00+08:00", "--lon", x, "--lat", "29.9", "--type", "theft"],
                "lon",
            ),
        ];
        for (args, arg) in &cases {
            assert_refused(&tidewatch_within(20, args), arg, args);
        }
    }
    assert!(!std::path::Path::new(db).exists(), "nothing written for refused arguments");
}

#[test]
fn reversed_ranges_bad_dates_and_odd_paths_are_clear_errors() {
    let dir = support::dinghai_dir();
    let region = dir.to_str().unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("demo.db");
    let db = db.to_str().unwrap();
    let missing = tmp.path().join("missing");
    let missing = missing.to_str().unwrap();
    let a_dir = tmp.path().to_str().unwrap();
    let config = tmp.path().join("roster.toml");
    std::fs::write(&config, "[demand]\nhistory_weeks = 4000000000\n").unwrap();
    let config = config.to_str().unwrap();
    let seeded = tidewatch_within(
        60,
        &["demo", "seed", "--db", db, "--region", region, "--from", "2026-07-01", "--to", "2026-07-02", "--per-day", "5"],
    );
    assert!(seeded.status.success(), "{}", String::from_utf8_lossy(&seeded.stderr));
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (vec!["report", "--db", db, "--from", "2026-07-02", "--to", "2026-07-01"], "--to"),
        (vec!["report", "--db", db, "--from", "2026-02-30", "--to", "2026-07-01"], "--from"),
        (vec!["report", "--db", db, "--from", "2026-07-01", "--to", "2026-07-01", "--by", ""], "--by"),
        (vec!["demo", "seed", "--db", missing, "--region", region, "--from", "2026-07-02", "--to", "2026-07-01"], "--to"),
        (vec!["sim", "--region", region, "--db", db, "--from", "yesterday"], "--from"),
        (vec!["sim", "--region", region, "--db", db, "--from", "2026-07-01", "--close", ""], "bridge or ferry route"),
        (vec!["sim", "--region", region, "--db", missing, "--from", "2026-07-01"], "--db"),
        (vec!["sim", "--region", missing, "--db", db, "--from", "2026-07-01"], missing),
        (vec!["sim", "--region", db, "--db", db, "--from", "2026-07-01"], db),
        (vec!["roster", "demand", "--region", region, "--from", "2026-13-01", "--days", "7"], "--from"),
        (vec!["roster", "demand", "--region", region, "--from", "2026-07-01", "--days", "7", "--config", config], "history_weeks"),
        (vec!["roster", "demand", "--region", region, "--from", "2026-07-01", "--days", "7", "--config", a_dir], a_dir),
        (vec!["roster", "check", a_dir], a_dir),
        (vec!["roster", "check", missing], missing),
        (
            vec!["recommend", "--region", a_dir, "--at", "2026-07-01T10:00:00+08:00", "--lon", "122", "--lat", "30", "--type", "theft"],
            a_dir,
        ),
    ];
    for (args, arg) in &cases {
        assert_refused(&tidewatch_within(20, args), arg, args);
    }
}

/// Issue #16: `tidewatch reach --move UNIT@PLACE` answers with the unit stationed there
/// (定海警艇01 at 沥港: 大猫岛 is reached by 定海警艇03, `twice`); a move that is not
/// UNIT@PLACE, of a boat off a pier, or of an unknown unit exits 2 naming it.
#[test]
fn reach_takes_a_unit_move_and_refuses_a_bad_one() {
    let pack = support::dinghai_dir();
    let pack = pack.to_str().unwrap();
    let base = ["reach", "--region", pack, "--at", "2026-10-14T02:00:00+08:00", "--json"];
    let run = |extra: &[&str]| tidewatch_within(60, &[&base[..], extra].concat());
    let out = run(&["--move", "boat_01@pier_ligang"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let damao = json(&out).as_array().unwrap().iter().find(|r| r["island"] == "damao").unwrap().clone();
    assert_eq!((damao["band"].as_str(), damao["unit"].as_str()), (Some("twice"), Some("boat_03")), "{damao}");
    for (arg, named) in [("boat_01", "UNIT@PLACE"), ("boat_01@changguo", "not a pier"), ("boat_99@pier_ligang", "boat_99")] {
        let args = [&base[..], &["--move", arg]].concat();
        assert_refused(&tidewatch_within(60, &args), named, &args);
    }
}
