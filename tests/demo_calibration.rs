//! A demo year looks like the year Dinghai published for its mixed island teams (issue #20):
//! every KPI of a seeded year is within ±15 % of its published figure, so the calibration
//! cannot drift silently. Two years are seeded: the year-on-year traffic figures need the
//! year before. The published figures are written out here, not read from the demo.

mod support;

use tidewatch_journal::Journal;
use tidewatch_report::{kpis, kpis_in, Kpis, Scope};
use tidewatch_workstation::demo::DEFAULT_CALLS_PER_DAY;

use support::{demo::demo_journal, midnight};

const TOLERANCE: f64 = 0.15;

/// (figure, the year's value, the published value).
fn figures(k: &Kpis) -> Vec<(&'static str, f64, f64)> {
    let j = &k.joint_work;
    vec![
        ("vehicles checked (1,600+)", j.vehicles_checked as f64, 1600.0),
        ("joint teams' duty hours", j.patrol_hours, 2160.0),
        ("surprise raids on outlying islands", j.surprise_raids as f64, 11.0),
        ("drunk-driving cases", j.drunk_driving as f64, 12.0),
        ("citizen tips received", j.tips_received as f64, 327.0),
        ("citizen tips handled", j.tips_closed as f64, 327.0),
        ("islands with no reported crime", k.crime_free_share, 0.8216),
        ("traffic incidents year on year", k.traffic.change.unwrap_or(f64::NAN), -0.0575),
        ("ordinary-procedure traffic accidents year on year", k.ordinary_traffic_accidents.change.unwrap_or(f64::NAN), -0.181),
        ("mobile service stalls", j.service_stalls as f64, 32.0),
        ("elderly people served (800+)", j.elderly_served as f64, 800.0),
        ("traffic hazards passed to the traffic police", j.hazards_to_traffic as f64, 67.0),
        ("public-order hazards passed to the stations", j.hazards_to_stations as f64, 32.0),
    ]
}

#[test]
fn a_seeded_year_matches_the_published_figures() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db");
    let region = support::dinghai();
    let started = std::time::Instant::now();
    demo_journal(&db, "2024-11-01", "2026-11-01", DEFAULT_CALLS_PER_DAY, 1);
    eprintln!("seeded two years in {:.1} s", started.elapsed().as_secs_f64());

    let journal = Journal::open(&db).unwrap();
    let k = kpis(&journal, &region, midnight(&region, 2025, 11, 1), midnight(&region, 2026, 11, 1)).unwrap();
    let mut off = Vec::new();
    for (name, got, published) in figures(&k) {
        let ok = (got - published).abs() <= TOLERANCE * published.abs();
        eprintln!("{name:<52} {got:>10.4} published {published:>10.4} {}", if ok { "ok" } else { "OFF" });
        if !ok {
            off.push(format!("{name}: {got:.4} (published {published})"));
        }
    }
    assert!(off.is_empty(), "outside ±15 % of the published year: {off:#?}");

    // What the pack says counts: the district's inhabited islands.
    let counted = region.islands.iter().filter(|i| i.inhabited && i.in_district).count();
    assert_eq!(k.kpi_islands, counted);
    // The figures read from the events' payloads split by island add up to the district's.
    let (mut raids, mut elderly, mut to_traffic) = (0, 0, 0);
    for island in &region.islands {
        let scope = Scope::period(midnight(&region, 2025, 11, 1), midnight(&region, 2026, 11, 1)).on_island(Some(island.id.0.clone()));
        let j = kpis_in(&journal, &region, &scope).unwrap().joint_work;
        (raids, elderly, to_traffic) = (raids + j.surprise_raids, elderly + j.elderly_served, to_traffic + j.hazards_to_traffic);
    }
    assert_eq!((raids, elderly, to_traffic), (k.joint_work.surprise_raids, k.joint_work.elderly_served, k.joint_work.hazards_to_traffic));

    // Stalls go round the pack's villages and towns of the outlying islands (the published
    // 24 villages need more village places in the pack than it has): 32 stalls in a row
    // visit all of them but at most one.
    use tidewatch_core::region::PlaceKind;
    let main = region.islands.iter().max_by_key(|i| i.population.unwrap_or(0)).unwrap().id.clone();
    let villages = region
        .places
        .iter()
        .filter(|p| matches!(p.kind, PlaceKind::Village | PlaceKind::Town) && p.island != main)
        .filter(|p| region.island(&p.island).is_some_and(|i| i.inhabited && i.in_district))
        .count() as u64;
    let j = &k.joint_work;
    assert!(j.stall_places + 1 >= villages && j.stall_places <= villages, "{} stall places of {villages} villages", j.stall_places);
}
