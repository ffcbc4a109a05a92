//! The `tidewatch` command line, as other tools and checks call it.

mod support;

use std::process::{Command, Output};

use serde_json::Value;

fn tidewatch(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tidewatch")).args(args).output().expect("run tidewatch")
}

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
    let mut last = 0;
    for c in candidates {
        let eta = c["eta_s"].as_u64().unwrap();
        assert!(eta >= last, "sorted by eta_s");
        last = eta;
        assert!(c["unit"].is_string() && c["kind"].is_string());
        let legs = c["legs"].as_array().unwrap();
        assert_eq!(legs.iter().map(|l| l["seconds"].as_u64().unwrap()).sum::<u64>(), eta, "legs sum to eta_s");
        for l in legs {
            assert!(["drive", "wait", "ferry", "boat"].contains(&l["mode"].as_str().unwrap()));
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
