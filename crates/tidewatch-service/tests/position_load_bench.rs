//! Positions under load (issue #14): 500 phones, each registered as a device of one of
//! Dinghai's units and driven along real routes (`tidewatch_core::field::Drive`), report an
//! OsmAnd position every 5 s over loopback to the service started in-process on a
//! throwaway database, for 10 minutes. Reported: every accepted position stored (answers vs
//! rows), the ingest latency (p50/p95/p99/max, a new connection per report, as a phone on
//! a flaky network makes), the process's CPU (service and the phones together) and memory,
//! and the table's growth per unit-day. A figure, not a timed test:
//! `make bench-service`, or
//! `cargo test --release -p tidewatch-service --test position_load_bench -- --ignored --nocapture`;
//! `TIDEWATCH_LOAD_MINUTES` (default 10) and `TIDEWATCH_LOAD_DEVICES` (default 500) for a
//! shorter run.

mod common;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::*;
use sqlx::Connection;
use tidewatch_core::field::Drive;
use tidewatch_core::region::{Region, UnitKind};
use tidewatch_core::rng::Rng;
use tidewatch_core::route::Network;
use tidewatch_core::time::Clock;
use tokio::sync::Mutex;

const PASSWORD: &str = "correct horse 1";
const EVERY: Duration = Duration::from_secs(5);

fn env_or(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// utime + stime of this process, seconds.
fn cpu_s() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let rest = stat.rsplit_once(')').map(|(_, r)| r).unwrap_or("");
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| f.get(i).and_then(|x| x.parse::<f64>().ok()).unwrap_or(0.0);
    (ticks(11) + ticks(12)) / 100.0
}

/// VmRSS and VmHWM of this process, MB.
fn memory_mb() -> (f64, f64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kb = |key: &str| {
        status
            .lines()
            .find(|l| l.starts_with(key))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    (kb("VmRSS:") / 1024.0, kb("VmHWM:") / 1024.0)
}

fn pct(v: &mut [f64], p: f64) -> f64 {
    v.sort_by(f64::total_cmp);
    if v.is_empty() {
        return f64::NAN;
    }
    v[((v.len() as f64 * p).ceil() as usize).clamp(1, v.len()) - 1]
}

/// Registers `n` devices round the region's units: (unit index, secret).
async fn register(addr: SocketAddr, admin: &str, region: &Region, n: usize) -> Vec<(usize, String)> {
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let u = i % region.units.len();
        let body = serde_json::json!({ "unit": region.units[u].id.0, "name": format!("load {i}") }).to_string();
        let (status, answer) = call(addr, "POST", "/api/devices", Some(admin), Some(body.as_bytes())).await;
        assert_eq!(status, 201, "{answer}");
        out.push((u, answer["secret"].as_str().unwrap().to_string()));
    }
    out
}

/// One phone: reports every 5 s from `first` until `end`; each answer's latency (ms) and
/// whether it was accepted.
#[allow(clippy::too_many_arguments)]
async fn phone(
    addr: SocketAddr,
    net: Arc<Network>,
    boat: Option<f64>,
    node: u32,
    secret: String,
    clock: Clock,
    first: tokio::time::Instant,
    end: tokio::time::Instant,
    seed: u64,
    out: Arc<Mutex<(Vec<f64>, u64, u64)>>,
) {
    let mut rng = Rng::scrambled(seed);
    let mut drive = Drive::wander(&net, boat, node, clock.now(), &mut rng);
    let mut tick = tokio::time::interval_at(first, EVERY);
    let (mut lat_ms, mut accepted, mut other) = (Vec::new(), 0u64, 0u64);
    loop {
        if tick.tick().await >= end {
            break;
        }
        let t = clock.now();
        if t >= drive.ends() {
            drive = Drive::wander(&net, boat, drive.end_node(&net), t, &mut rng);
        }
        let (lon, lat, bearing, speed) = drive.at(t);
        let path = format!(
            "/api/positions/osmand?id={secret}&lat={lat:.6}&lon={lon:.6}&timestamp={t}&speed={:.1}&bearing={bearing:.0}&accuracy=8&batt=80",
            speed / 1.852
        );
        let sent = Instant::now();
        let (status, body) = call(addr, "GET", &path, None, None).await;
        lat_ms.push(sent.elapsed().as_secs_f64() * 1000.0);
        if status == 200 && body["accepted"] == 1 {
            accepted += 1;
        } else {
            other += 1;
        }
    }
    let mut o = out.lock().await;
    o.0.extend(lat_ms);
    o.1 += accepted;
    o.2 += other;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "a benchmark: run with --ignored --nocapture"]
async fn five_hundred_phones_every_five_seconds() {
    let Some(url) = pg_url("five_hundred_phones_every_five_seconds") else { return };
    let url = fresh_database(&url).await;
    let (minutes, devices) = (env_or("TIDEWATCH_LOAD_MINUTES", 10), env_or("TIDEWATCH_LOAD_DEVICES", 500) as usize);
    let started = Instant::now();
    let clock = Clock::from_fn(move || T0 + started.elapsed().as_secs() as i64);
    let mut cfg = config(&url, &tidewatch_core::time::ManualClock::new(T0), lenient());
    cfg.clock = clock.clone();
    cfg.journal_handles = 4;
    let svc = tidewatch_service::start(cfg).await.expect("the service starts");
    add_account(&url, "root", "administrator", PASSWORD).await;
    let admin = token(svc.addr, "root", PASSWORD).await;
    let region = Region::load(&region()).unwrap();
    let net = Arc::new(Network::from_region(&region));
    let phones = register(svc.addr, &admin, &region, devices).await;

    let out = Arc::new(Mutex::new((Vec::new(), 0u64, 0u64)));
    let begin = tokio::time::Instant::now() + Duration::from_millis(200);
    let end = begin + Duration::from_secs(minutes * 60);
    let (cpu0, wall0) = (cpu_s(), Instant::now());
    let mut tasks = Vec::new();
    for (i, (u, secret)) in phones.into_iter().enumerate() {
        let unit = &region.units[u];
        let boat = (unit.kind == UnitKind::Boat).then(|| unit.speed_kmh.unwrap_or(40.0));
        let node = region.place_index(&unit.base).unwrap() as u32;
        // Phones spread over the 5 s, as real ones are.
        let first = begin + EVERY * i as u32 / devices as u32;
        let task = phone(svc.addr, Arc::clone(&net), boat, node, secret, clock.clone(), first, end, i as u64, Arc::clone(&out));
        tasks.push(tokio::spawn(task));
    }
    let mut peak_rss = 0.0f64;
    while !tasks.iter().all(|t| t.is_finished()) {
        tokio::time::sleep(Duration::from_secs(5)).await;
        peak_rss = peak_rss.max(memory_mb().0);
    }
    let (cpu, wall) = (cpu_s() - cpu0, wall0.elapsed().as_secs_f64());
    let (mut lat, accepted, other) = Arc::try_unwrap(out).unwrap().into_inner();

    let mut db = sqlx::PgConnection::connect(&url).await.unwrap();
    let rows: i64 = sqlx::query_scalar("SELECT count(*) FROM service_positions").fetch_one(&mut db).await.unwrap();
    let bytes: i64 = sqlx::query_scalar("SELECT pg_total_relation_size('service_positions')").fetch_one(&mut db).await.unwrap();
    let (rss, hwm) = memory_mb();
    let reports = lat.len();
    let per_row = bytes as f64 / rows.max(1) as f64;
    let per_unit_day = per_row * 86_400.0 / EVERY.as_secs_f64();
    println!("{devices} phones every {} s for {minutes} min: {reports} reports, {accepted} accepted, {other} not", EVERY.as_secs());
    println!("stored rows {rows} (accepted {accepted}): {}", if rows as u64 == accepted { "none lost" } else { "MISMATCH" });
    println!(
        "ingest latency ms: p50 {:.1}, p95 {:.1}, p99 {:.1}, max {:.1}",
        pct(&mut lat, 0.5),
        pct(&mut lat, 0.95),
        pct(&mut lat, 0.99),
        pct(&mut lat, 1.0)
    );
    println!("process CPU (service + phones): {:.1} s in {wall:.0} s = {:.0}% of one core", cpu, cpu / wall * 100.0);
    println!("process memory: RSS {rss:.0} MB now, {peak_rss:.0} MB peak sampled, VmHWM {hwm:.0} MB");
    println!(
        "service_positions: {:.1} MB for {rows} rows = {per_row:.0} B a row (indexes included) = {:.1} MB per unit-day at one report per 5 s",
        bytes as f64 / 1e6,
        per_unit_day / 1e6
    );
    assert_eq!(rows as u64, accepted, "every accepted position is stored");
    assert!(accepted as f64 >= 0.99 * reports as f64, "almost every report is accepted: {accepted} of {reports}");
}
