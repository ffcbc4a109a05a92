//! Fuzzing the region pack loader: mutated copies of the Dinghai pack (numbers replaced by
//! NaN, infinities, huge, tiny or negative values; files truncated; random bytes; byte-order
//! marks; lines dropped or doubled) are either refused with errors or loaded. The loader
//! never panics, and a pack it accepts gives recommendations whose legs add up to the ETA.
//!
//! `FUZZ_CASES` sets the number of mutated packs (default 64, a few seconds in release),
//! `FUZZ_SEED` the seed (default fixed, so `cargo test` is repeatable; a failure prints the
//! mutations, shrunk). A longer run with a new seed:
//!
//!     FUZZ_CASES=5000 FUZZ_SEED=$RANDOM cargo test --release -p tidewatch --test fuzz_pack -- --nocapture

mod support;

use std::sync::atomic::{AtomicU32, Ordering};

use chrono::{DateTime, Utc};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use tidewatch_core::dispatch::{recommend, Fleet, IncidentQuery};
use tidewatch_core::region::Region;
use tidewatch_core::route::{Conditions, Network};

const FILES: [&str; 11] = [
    "region.toml",
    "islands.geojson",
    "places.csv",
    "roads.csv",
    "bridges.csv",
    "ferry_routes.csv",
    "sailings.csv",
    "incident_types.csv",
    "units.csv",
    "officers.csv",
    "holidays.csv",
];

/// Values that broke or could break the loader or the engine's integer seconds.
const NASTY: [&str; 22] = [
    "nan",
    "NaN",
    "inf",
    "-inf",
    "+inf",
    "1e12",
    "6e10",
    "1e308",
    "-1e308",
    "1e-6",
    "-5",
    "-0",
    "0",
    "255",
    "256",
    "4294967296",
    "18446744073709551616",
    "0.0000001",
    "",
    "1e",
    "--1",
    "9999999999999999999999",
];

#[derive(Debug, Clone)]
enum Mutation {
    /// Replace the n-th number of the file (modulo their count) with a value.
    Number {
        file: usize,
        nth: usize,
        value: String,
    },
    Truncate {
        file: usize,
        at: usize,
    },
    Bytes {
        file: usize,
        at: usize,
        bytes: Vec<u8>,
    },
    Bom {
        file: usize,
    },
    DropLine {
        file: usize,
        nth: usize,
    },
    DoubleLine {
        file: usize,
        nth: usize,
    },
}

fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => proptest::sample::select(NASTY.to_vec()).prop_map(str::to_string),
        1 => (0u32..100_000).prop_map(|n| n.to_string()),
        1 => (-1000.0f64..1000.0).prop_map(|x| format!("{x:.3}")),
        1 => any::<f64>().prop_map(|x| x.to_string()),
    ]
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let file = 0..FILES.len();
    prop_oneof![
        6 => (file.clone(), any::<usize>(), value()).prop_map(|(file, nth, value)| Mutation::Number { file, nth, value }),
        1 => (file.clone(), any::<usize>()).prop_map(|(file, at)| Mutation::Truncate { file, at }),
        1 => (file.clone(), any::<usize>(), proptest::collection::vec(any::<u8>(), 1..8))
            .prop_map(|(file, at, bytes)| Mutation::Bytes { file, at, bytes }),
        1 => file.clone().prop_map(|file| Mutation::Bom { file }),
        1 => (file.clone(), any::<usize>()).prop_map(|(file, nth)| Mutation::DropLine { file, nth }),
        1 => (file, any::<usize>()).prop_map(|(file, nth)| Mutation::DoubleLine { file, nth }),
    ]
}

/// Byte ranges of the numbers (`-12.5e3` and the like) in `text`.
fn numbers(text: &[u8]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < text.len() {
        let start_ok = text[i].is_ascii_digit() && (i == 0 || !text[i - 1].is_ascii_alphanumeric() && text[i - 1] != b'_');
        if !start_ok {
            i += 1;
            continue;
        }
        let start = if i > 0 && text[i - 1] == b'-' { i - 1 } else { i };
        let mut end = i;
        while end < text.len() && (text[end].is_ascii_digit() || matches!(text[end], b'.' | b'e' | b'E')) {
            end += 1;
        }
        out.push((start, end));
        i = end;
    }
    out
}

fn apply(dir: &std::path::Path, m: &Mutation) {
    let file = match m {
        Mutation::Number { file, .. }
        | Mutation::Truncate { file, .. }
        | Mutation::Bytes { file, .. }
        | Mutation::Bom { file }
        | Mutation::DropLine { file, .. }
        | Mutation::DoubleLine { file, .. } => FILES[*file],
    };
    let path = dir.join(file);
    let mut text = std::fs::read(&path).expect("pack file");
    match m {
        Mutation::Number { nth, value, .. } => {
            let spans = numbers(&text);
            if let Some(&(a, b)) = spans.get(nth % spans.len().max(1)) {
                text.splice(a..b, value.bytes());
            }
        }
        Mutation::Truncate { at, .. } => text.truncate(at % (text.len() + 1)),
        Mutation::Bytes { at, bytes, .. } => {
            let at = at % (text.len() + 1);
            text.splice(at..at, bytes.iter().copied());
        }
        Mutation::Bom { .. } => {
            text.splice(0..0, "\u{feff}".bytes());
        }
        Mutation::DropLine { nth, .. } | Mutation::DoubleLine { nth, .. } => {
            let mut lines: Vec<Vec<u8>> = text.split(|&b| b == b'\n').map(<[u8]>::to_vec).collect();
            let i = nth % lines.len();
            if matches!(m, Mutation::DropLine { .. }) {
                lines.remove(i);
            } else {
                lines.insert(i, lines[i].clone());
            }
            text = lines.join(&b'\n');
        }
    }
    std::fs::write(&path, text).expect("write pack file");
}

/// Recommendations at a few places of an accepted pack: no panic, and every candidate's
/// legs add up to its ETA. Returns how many candidates were checked.
fn recommend_on(region: &Region) -> u32 {
    let mut checked = 0;
    let net = Network::from_region(region);
    let fleet = Fleet::at_bases(region);
    let at: DateTime<Utc> = DateTime::parse_from_rfc3339("2026-07-01T10:00:00+08:00").unwrap().with_timezone(&Utc);
    let points = [(122.036, 30.178), (122.0487, 29.9479)].into_iter().chain(region.places.iter().take(3).map(|p| (p.lon, p.lat)));
    for (lon, lat) in points {
        for itype in region.incident_types.iter().take(2) {
            let q = IncidentQuery {
                at,
                lon,
                lat,
                incident_type: itype.id.clone(),
                priority: None,
                conditions: Conditions { wind_force: 0, visibility_m: None, closed: Vec::new() },
            };
            let Ok(rec) = recommend(region, &net, &fleet, &q) else { continue };
            for c in &rec.candidates {
                let sum: u64 = c.legs.iter().map(|l| l.seconds as u64).sum();
                assert_eq!(sum, c.eta_s as u64, "{}: legs do not add up to the ETA at ({lon}, {lat})", c.unit);
                checked += 1;
            }
        }
    }
    checked
}

fn env_number(name: &str, default: u64) -> u64 {
    match std::env::var(name) {
        Ok(v) => v.trim().parse().unwrap_or_else(|_| panic!("{name}={v:?} is not a whole number")),
        Err(_) => default,
    }
}

#[test]
fn mutated_packs_are_refused_or_routed_never_a_panic() {
    let cases = env_number("FUZZ_CASES", 64) as u32;
    let seed = env_number("FUZZ_SEED", 20_261_206);
    let rng = TestRng::from_seed(RngAlgorithm::ChaCha, &[seed.to_le_bytes(), [0; 8], [0; 8], [0; 8]].concat());
    let config = Config { cases, failure_persistence: None, ..Config::default() };
    let mut runner = TestRunner::new_with_rng(config, rng);
    let (accepted, refused, candidates) = (AtomicU32::new(0), AtomicU32::new(0), AtomicU32::new(0));
    let result = runner.run(&proptest::collection::vec(mutation(), 1..4), |mutations| {
        let dir = support::pack_copy();
        for m in &mutations {
            apply(dir.path(), m);
        }
        match Region::load(dir.path()) {
            Ok(region) => {
                accepted.fetch_add(1, Ordering::Relaxed);
                candidates.fetch_add(recommend_on(&region), Ordering::Relaxed);
            }
            Err(errors) => {
                refused.fetch_add(1, Ordering::Relaxed);
                assert!(!errors.0.is_empty());
            }
        }
        Ok(())
    });
    if let Err(e) = result {
        panic!("FUZZ_SEED={seed}: {e}");
    }
    let (accepted, refused, candidates) = (accepted.into_inner(), refused.into_inner(), candidates.into_inner());
    eprintln!("FUZZ_SEED={seed}: {cases} mutated packs, {accepted} accepted ({candidates} candidates checked), {refused} refused");
    // Both sides must be exercised, or the fuzzer tests less than it claims.
    if cases >= 32 {
        assert!(accepted >= cases / 16 && refused >= cases / 16, "accepted {accepted}, refused {refused} of {cases}");
        assert!(candidates >= accepted, "accepted packs gave only {candidates} candidates to check");
    }
}

#[test]
fn the_number_finder_finds_the_numbers() {
    let text = b"a,12,-3.5e2,x9,r_10,7";
    let found: Vec<&str> = numbers(text).iter().map(|&(a, b)| std::str::from_utf8(&text[a..b]).unwrap()).collect();
    assert_eq!(found, ["12", "-3.5e2", "7"]);
}
