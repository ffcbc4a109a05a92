//! Fuzz of the command line (issue #11): argument lists for each command, valid flags with
//! hostile values (NaN, infinities, -0, huge and empty numbers, unicode, far and impossible
//! dates, reversed ranges, unknown ids, odd paths). The CLI may refuse them (exit 2) or
//! run, but never panic (exit 101), die by a signal, or run past [`TIMEOUT`].
//!
//! Workloads are kept tiny (a two-day journal, one- or two-day generated histories, a few
//! calls a day) so that a long run is a hang. `FUZZ_CASES=N` sets the number of cases
//! (default 200, about 15 s); `make fuzz` runs many more. `FUZZ_VERBOSE=1` prints each
//! run's exit code, arguments and first line of error.

mod support;

use std::path::Path;
use std::process::Command;
use std::sync::OnceLock;
use std::time::Duration;

use chrono::NaiveDate;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};

const TIMEOUT: Duration = Duration::from_secs(20);

fn cases() -> u32 {
    std::env::var("FUZZ_CASES").ok().and_then(|s| s.parse().ok()).unwrap_or(200)
}

/// Files the commands read, made once: the pack, the same pack in a zone whose clocks jump
/// at midnight, a two-day demo journal, a roster, and odd paths.
struct Fixture {
    dir: tempfile::TempDir,
    santiago: tempfile::TempDir,
    scratch: String,
    regions: Vec<String>,
    dbs: Vec<String>,
    rosters: Vec<String>,
    instance: String,
}

fn fixture() -> &'static Fixture {
    static F: OnceLock<Fixture> = OnceLock::new();
    F.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let path = |name: &str| dir.path().join(name).to_str().unwrap().to_string();
        let dinghai = support::dinghai_dir().to_str().unwrap().to_string();
        let santiago = support::pack_copy();
        let toml = santiago.path().join("region.toml");
        let text = std::fs::read_to_string(&toml).unwrap().replace("Asia/Shanghai", "America/Santiago");
        std::fs::write(&toml, text).unwrap();

        let db = path("demo.db");
        let seeded = Command::new(env!("CARGO_BIN_EXE_tidewatch"))
            .args(["demo", "seed", "--db", &db, "--region", &dinghai, "--from", "2026-07-01", "--to", "2026-07-03", "--per-day", "6"])
            .output()
            .unwrap();
        assert!(seeded.status.success(), "{}", String::from_utf8_lossy(&seeded.stderr));

        let region = support::dinghai();
        let roster = path("roster.json");
        support::roster_history::greedy_roster(&region, NaiveDate::from_ymd_opt(2026, 7, 1).unwrap(), 2).write(Path::new(&roster)).unwrap();
        let garbage = path("garbage.json");
        std::fs::write(&garbage, "{\"not\": \"a roster\" ☃").unwrap();
        let (a_dir, missing) = (dir.path().to_str().unwrap().to_string(), path("missing"));
        let instance = support::dinghai_dir().join("../../../tests/data/shift-benchmark/Instance1.txt");
        Fixture {
            scratch: path("scratch"),
            regions: vec![dinghai, santiago.path().to_str().unwrap().into(), a_dir.clone(), missing.clone(), garbage.clone(), "".into()],
            dbs: vec![db, a_dir.clone(), missing.clone(), garbage.clone()],
            rosters: vec![roster, garbage, a_dir, missing, "".into()],
            instance: instance.to_str().unwrap().into(),
            dir,
            santiago,
        }
    })
}

/// Numbers that are not numbers, or too big, or negative, or oddly written.
const HOSTILE_NUMBERS: &[&str] = &[
    "nan",
    "NaN",
    "inf",
    "-inf",
    "+inf",
    "infinity",
    "-0",
    "0",
    "-1",
    "1e12",
    "1e309",
    "-1e309",
    "1e-400",
    "4294967295",
    "4294967296",
    "18446744073709551615",
    "-9223372036854775808",
    "99999999999999999999999",
    "",
    " ",
    "1_000",
    "0x10",
    "٣",
    "½",
    "1.5.2",
    "--json",
];

/// Dates that do not exist, are out of range, badly written, or on which a zone skips or
/// repeats midnight (Shanghai 1940-06-01, Santiago 2025-09-07 and 2025-04-06).
const HOSTILE_DATES: &[&str] = &[
    "1940-06-01",
    "1940-05-31",
    "2025-09-07",
    "2025-04-06",
    "2026-03-29",
    "+262143-12-31",
    "-262144-01-01",
    "0000-01-01",
    "0001-01-01",
    "9999-12-31",
    "2026-02-29",
    "2024-02-29",
    "2026-13-01",
    "2026-00-10",
    "2026-07-00",
    "",
    "yesterday",
    "2026-07-01T00:00:00",
    "２０２６-07-01",
    "2026-7-1",
    " 2026-07-01",
];

const HOSTILE_TEXT: &[&str] = &["", " ", "☃", "nope", "../../etc/passwd", "\u{202e}evil", "a,b,,c", "theft ", "--help"];

fn pick(items: &'static [&'static str]) -> BoxedStrategy<String> {
    proptest::sample::select(items).prop_map(str::to_string).boxed()
}

fn pick_owned(items: Vec<String>) -> BoxedStrategy<String> {
    proptest::sample::select(items).boxed()
}

// Each value is valid (and small, so that a valid run stays tiny) about three times in
// four: most cases then carry one or two hostile values among valid ones, and some run.

/// A small valid count, or a hostile number.
fn number(small: std::ops::RangeInclusive<u32>) -> BoxedStrategy<String> {
    prop_oneof![
        6 => small.prop_map(|n| n.to_string()),
        1 => pick(HOSTILE_NUMBERS),
        1 => prop_oneof![
            any::<f64>().prop_filter("not a plausible size", |x| !(0.0..=1e4).contains(x)).prop_map(|x| x.to_string()),
            any::<i64>().prop_map(|x| x.to_string()),
        ],
    ]
    .boxed()
}

/// A small valid rate (calls a day, a surge), or a hostile number.
fn rate() -> BoxedStrategy<String> {
    prop_oneof![3 => (0.0f64..4.0).prop_map(|x| format!("{x:.2}")), 1 => pick(HOSTILE_NUMBERS)].boxed()
}

fn date() -> BoxedStrategy<String> {
    prop_oneof![
        2 => (1900i32..2100, 1u32..=12, 1u32..=28).prop_map(|(y, m, d)| format!("{y:04}-{m:02}-{d:02}")),
        2 => pick(HOSTILE_DATES),
    ]
    .boxed()
}

/// A date and one a few days around it (reversed, equal, short), or any two.
fn date_range() -> BoxedStrategy<(String, String)> {
    prop_oneof![3 => near_range(), 1 => (date(), date())].boxed()
}

fn near_range() -> BoxedStrategy<(String, String)> {
    (date(), -2i64..=2)
        .prop_map(|(from, k)| {
            let to = tidewatch_core::time::parse_date(&from)
                .and_then(|d| d.checked_add_signed(chrono::Duration::days(k)))
                .map(|d| d.format("%Y-%m-%d").to_string())
                .unwrap_or_else(|| from.clone());
            (from, to)
        })
        .boxed()
}

/// For a generator (seeding costs time per day): a short range, or one that is refused
/// (impossible, reversed, over a century).
fn short_range() -> BoxedStrategy<(String, String)> {
    let refused = prop_oneof![
        (date(), pick(&["+262143-12-31", "", "yesterday", "2026-02-29", "2026-13-01", "0000-01-01", "2026-7-1"])),
        pick(&["0001-01-01"]).prop_map(|from| (from, "9999-12-31".to_string())),
    ];
    prop_oneof![3 => near_range(), 1 => refused].boxed()
}

fn text() -> BoxedStrategy<String> {
    prop_oneof![pick(HOSTILE_TEXT), "\\PC{0,12}"].boxed()
}

/// `--flag value` pairs, each present or not.
fn flags(pairs: Vec<(&'static str, BoxedStrategy<String>)>) -> BoxedStrategy<Vec<String>> {
    let options: Vec<BoxedStrategy<Option<(String, String)>>> =
        pairs.into_iter().map(|(flag, value)| proptest::option::of(value.prop_map(move |v| (flag.to_string(), v))).boxed()).collect();
    options.prop_map(|v| v.into_iter().flatten().flat_map(|(f, v)| [f, v]).collect()).boxed()
}

fn cmd(words: &[&str], rest: Vec<String>) -> Vec<String> {
    words.iter().map(|w| w.to_string()).chain(rest).collect()
}

fn region() -> BoxedStrategy<String> {
    let f = fixture();
    prop_oneof![4 => Just(f.regions[0].clone()), 2 => Just(f.regions[1].clone()), 1 => pick_owned(f.regions.clone())].boxed()
}

fn db() -> BoxedStrategy<String> {
    let f = fixture();
    prop_oneof![4 => Just(f.dbs[0].clone()), 1 => pick_owned(f.dbs.clone())].boxed()
}

fn roster() -> BoxedStrategy<String> {
    let f = fixture();
    prop_oneof![3 => Just(f.rosters[0].clone()), 1 => pick_owned(f.rosters.clone())].boxed()
}

/// One of the command's own switches, now and then another command's (refused).
fn flag(own: &'static [&'static str]) -> BoxedStrategy<Vec<String>> {
    let any = pick(&["--json", "--csv", "--generate", "--quiet", "--reuse"]);
    proptest::option::weighted(0.6, prop_oneof![6 => pick(own), 1 => any]).prop_map(|f| f.into_iter().collect()).boxed()
}

fn report() -> BoxedStrategy<Vec<String>> {
    let by = prop_oneof![4 => pick(&["island", "type,hour", "weekday,month,route_mode", "unit", ""]), 1 => text()];
    (region(), db(), date_range(), flags(vec![("--by", by.boxed())]), flag(&["--json", "--csv"]))
        .prop_map(|(r, db, (from, to), rest, f)| {
            cmd(&["report", "--region", &r, "--db", &db, "--from", &from, "--to", &to], [rest, f].concat())
        })
        .boxed()
}

fn demo_seed() -> BoxedStrategy<Vec<String>> {
    let scratch = fixture().scratch.clone();
    (region(), short_range(), flags(vec![("--per-day", rate()), ("--seed", number(0..=3))]), any::<u32>())
        .prop_map(move |(r, (from, to), rest, n)| {
            // A new journal each time: seeding into an existing one is another test's business.
            let db = format!("{scratch}-seed-{n}.db");
            let _ = std::fs::remove_file(&db);
            cmd(&["demo", "seed", "--db", &db, "--region", &r, "--from", &from, "--to", &to], rest)
        })
        .boxed()
}

fn sim() -> BoxedStrategy<Vec<String>> {
    let source = prop_oneof![
        3 => db().prop_map(|d| vec!["--db".to_string(), d]),
        2 => rate().prop_map(|r| vec!["--generate".to_string(), "--calls-per-day".to_string(), r]),
        1 => Just(vec![]),
    ];
    let scenario = prop_oneof![4 => pick(&["normal", "typhoon", "holiday_surge"]), 1 => text()];
    let close = prop_oneof![3 => pick(&["cengang_bridge", "ferry_dinghai_panzhi", "nope", ""]), 1 => text()];
    let rest = flags(vec![
        ("--days", number(1..=2)),
        ("--scenario", scenario.boxed()),
        ("--wind", number(0..=17)),
        ("--visibility", number(0..=5000)),
        ("--close", close.boxed()),
        ("--surge", rate()),
        ("--turnout", number(0..=600)),
        ("--roster", roster()),
        ("--compare", roster()),
    ]);
    (region(), source, date(), rest, flag(&["--json"]))
        .prop_map(|(r, src, from, rest, f)| cmd(&["sim", "--region", &r, "--from", &from], [src, rest, f].concat()))
        .boxed()
}

fn recommend() -> BoxedStrategy<Vec<String>> {
    let at = prop_oneof![
        4 => pick(&[
            "2026-07-01T10:00:00+08:00",
            "1940-05-31T16:30:00Z",
            "2025-09-07T04:30:00Z",
            "9999-12-31T23:59:59Z",
            "0000-01-01T00:00:00Z",
            "2026-02-30T00:00:00Z",
            "2026-07-01",
            "",
            "now",
        ]),
        1 => text(),
    ];
    let lon = prop_oneof![4 => (121.9f64..122.3).prop_map(|x| x.to_string()), 1 => pick(HOSTILE_NUMBERS)];
    let lat = prop_oneof![4 => (29.9f64..30.2).prop_map(|x| x.to_string()), 1 => pick(HOSTILE_NUMBERS)];
    let kind = prop_oneof![4 => pick(&["theft", "sea_rescue", "traffic_accident", "alien"]), 1 => text()];
    let rest =
        flags(vec![("--priority", number(1..=4)), ("--wind", number(0..=17)), ("--visibility", number(0..=5000)), ("--closed", text())]);
    (region(), at, lon, lat, kind, rest, flag(&["--json"]))
        .prop_map(|(r, at, lon, lat, k, rest, f)| {
            cmd(&["recommend", "--region", &r, "--at", &at, "--lon", &lon, "--lat", &lat, "--type", &k], [rest, f].concat())
        })
        .boxed()
}

fn region_check() -> BoxedStrategy<Vec<String>> {
    (prop_oneof![region(), text()], flag(&["--json"])).prop_map(|(r, f)| cmd(&["region", "check", &r], f)).boxed()
}

fn roster_cmds() -> BoxedStrategy<Vec<String>> {
    let f = fixture();
    let scratch = f.scratch.clone();
    let instance = f.instance.clone();
    let demand = (region(), date(), number(1..=2), db())
        .prop_map(|(r, from, days, db)| cmd(&["roster", "demand", "--region", &r, "--from", &from, "--days", &days, "--db", &db], vec![]));
    // Planning solves MIPs: only with hostile settings or one day and a short time limit.
    let plan = (region(), date(), prop_oneof![pick(HOSTILE_NUMBERS), Just("1".to_string())], pick(HOSTILE_NUMBERS)).prop_map(
        move |(r, from, days, limit)| {
            let out = format!("{scratch}-plan.json");
            cmd(
                &["roster", "plan", "--region", &r, "--from", &from, "--days", &days, "--time-limit", &limit, "--out", &out, "--quiet"],
                vec![],
            )
        },
    );
    let check = (roster(), flag(&["--json"])).prop_map(|(r, f)| cmd(&["roster", "check", &r], f));
    let bench =
        pick(HOSTILE_NUMBERS).prop_map(move |limit| cmd(&["roster", "benchmark", &instance, "--time-limit", &limit, "--quiet"], vec![]));
    prop_oneof![demand, plan, check, bench].boxed()
}

fn bench() -> BoxedStrategy<Vec<String>> {
    let scratch = fixture().scratch.clone();
    let journal = (region(), number(1..=40), number(1..=1), any::<u32>()).prop_map(move |(r, incidents, years, n)| {
        let db = format!("{scratch}-bench-{n}.db");
        let _ = std::fs::remove_file(&db);
        cmd(&["bench", "journal", "--db", &db, "--region", &r, "--incidents", &incidents, "--years", &years], vec![])
    });
    // Against the two-day journal: a generated year is not a tiny workload.
    let sim = (region(), db(), number(1940..=2030))
        .prop_map(|(r, db, year)| cmd(&["bench", "sim", "--region", &r, "--db", &db, "--year", &year], vec![]));
    prop_oneof![journal, sim].boxed()
}

fn any_command() -> BoxedStrategy<Vec<String>> {
    prop_oneof![
        3 => report(),
        2 => demo_seed(),
        3 => sim(),
        3 => recommend(),
        1 => region_check(),
        2 => roster_cmds(),
        1 => bench(),
    ]
    .boxed()
}

/// Runs the CLI (output to files: a full pipe would block it) and checks how it ended.
fn run(args: &[String]) -> Result<(), TestCaseError> {
    let Some(out) = support::tidewatch_within(TIMEOUT, args) else {
        return Err(TestCaseError::fail(format!("hang: still running after {TIMEOUT:?}: {args:?}")));
    };
    let (status, stderr) = (out.status, support::stderr(&out));
    *ENDINGS.lock().unwrap().entry(status.code().unwrap_or(-1)).or_default() += 1;
    if std::env::var_os("FUZZ_VERBOSE").is_some() {
        eprintln!("{:?} {args:?}: {}", status.code(), stderr.lines().next().unwrap_or(""));
    }
    prop_assert!(status.code().is_some(), "killed by a signal ({status}): {args:?}\n{stderr}");
    prop_assert_ne!(status.code(), Some(101), "panic: {:?}\n{}", args, stderr);
    prop_assert!(!stderr.contains("panicked"), "panic: {args:?}\n{stderr}");
    if status.code() == Some(2) {
        prop_assert!(!stderr.trim().is_empty(), "exit 2 without a message: {args:?}");
    }
    Ok(())
}

/// How the runs ended, by exit code: a fuzz that only ever hits argument errors tests little.
static ENDINGS: std::sync::Mutex<std::collections::BTreeMap<i32, u32>> = std::sync::Mutex::new(std::collections::BTreeMap::new());

#[test]
fn no_argument_list_panics_or_hangs() {
    let config = Config { cases: cases(), max_shrink_iters: 64, failure_persistence: None, ..Config::default() };
    let result = TestRunner::new(config).run(&any_command(), |args| run(&args));
    // The fixture lives in a static, never dropped: remove its files here.
    let f = fixture();
    for dir in [f.dir.path(), f.santiago.path()] {
        let _ = std::fs::remove_dir_all(dir);
    }
    let endings = ENDINGS.lock().unwrap();
    eprintln!("exit codes (code: runs): {endings:?}");
    if let Err(e) = result {
        panic!("{e}");
    }
    // Some runs must get past argument checking (the default run has 200 cases).
    let ran = endings.iter().filter(|(c, _)| **c != 2).map(|(_, n)| n).sum::<u32>();
    assert!(ran > 0 || cases() < 20, "every case was refused: {endings:?}");
}
