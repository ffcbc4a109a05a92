//! The recommendation says when an ETA stands on estimated data: roads whose pack rows are
//! estimates (the generated ones), or a sailing or crossing time that is.

mod support;

use tidewatch_core::dispatch::{recommend, EstimatedData, Fleet, Recommendation};
use tidewatch_core::region::{Region, RouteMode};
use tidewatch_core::route::{LegMode, Network};

use support::query;

const DINGHAI_TOWN: (f64, f64) = (122.103, 30.018);
const DAMAO: (f64, f64) = (122.0487, 29.9479);

fn ask(region: &Region, when: &str, p: (f64, f64)) -> Recommendation {
    let net = Network::from_region(region);
    recommend(region, &net, &Fleet::at_bases(region), &query(when, p, "theft", 0, &[])).expect("recommendation")
}

/// Sets `confidence` of every row of `file` in the pack at `dir`.
fn confidence_everywhere(dir: &std::path::Path, file: &str, value: &str) {
    let path = dir.join(file);
    let mut r = csv::Reader::from_path(&path).unwrap();
    let header = r.headers().unwrap().clone();
    let col = header.iter().position(|h| h == "confidence").unwrap();
    let mut w = csv::Writer::from_path(path.with_extension("new")).unwrap();
    w.write_record(&header).unwrap();
    for rec in r.records() {
        let mut fields: Vec<String> = rec.unwrap().iter().map(str::to_string).collect();
        fields[col] = value.into();
        w.write_record(&fields).unwrap();
    }
    w.flush().unwrap();
    std::fs::rename(path.with_extension("new"), path).unwrap();
}

#[test]
fn etas_on_generated_roads_and_estimated_sailings_say_so() {
    let region = support::dinghai();
    let rec = ask(&region, "2026-07-01T10:00:00+08:00", DINGHAI_TOWN);
    let road = rec.candidates.iter().find(|c| c.route_mode == RouteMode::Road && c.legs.iter().any(|l| l.mode == LegMode::Drive)).unwrap();
    assert_eq!(road.estimated, [EstimatedData::Roads], "{}", road.unit);
    // Damao has no unit of its own: the ferry (every crossing time in the pack is an estimate)
    let rec = ask(&region, "2026-07-01T08:00:00+08:00", DAMAO);
    let ferry = rec.candidates.iter().find(|c| c.legs.iter().any(|l| l.mode == LegMode::Ferry)).expect("a ferry candidate");
    assert!(ferry.estimated.contains(&EstimatedData::Timetable), "{}: {:?}", ferry.unit, ferry.estimated);
    let json = serde_json::to_value(ferry).unwrap();
    assert!(json["estimated"].as_array().unwrap().iter().any(|v| v == "timetable"), "{json}");
}

#[test]
fn surveyed_roads_and_timetables_carry_no_flag() {
    let dir = support::pack_copy();
    for f in ["roads.csv", "sailings.csv", "ferry_routes.csv"] {
        confidence_everywhere(dir.path(), f, "high");
    }
    let region = Region::load(dir.path()).unwrap();
    for (when, p) in [("2026-07-01T10:00:00+08:00", DINGHAI_TOWN), ("2026-07-01T08:00:00+08:00", DAMAO)] {
        let rec = ask(&region, when, p);
        assert!(!rec.candidates.is_empty());
        for c in &rec.candidates {
            assert!(c.estimated.is_empty(), "{}: {:?}", c.unit, c.estimated);
            assert!(serde_json::to_value(c).unwrap().get("estimated").is_none(), "not written when empty");
        }
    }
}
