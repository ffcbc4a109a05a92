//! `tidewatch field simulate`: units driven along their real routes (roads, bridges, ferry
//! crossings, a boat's sailings, from the route engine's trips) reporting OsmAnd positions
//! to a running service, for demos and load. Bounded in units, reports and time; plain HTTP
//! (the service's loopback listener).

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use clap::{Args, Subcommand};
use tidewatch_core::field::Drive;
use tidewatch_core::region::{Region, Unit, UnitKind};
use tidewatch_core::rng::Rng;
use tidewatch_core::route::Network;
use tidewatch_core::time::{Clock, SystemClock};

/// At most this many simulated units, reports in a run, and this long a run.
const MAX_UNITS: usize = 5_000;
const MAX_REPORTS: u64 = 20_000_000;
const MAX_DURATION_S: u64 = 24 * 3600;

#[derive(Subcommand)]
pub enum FieldCommand {
    /// Drive units along real routes and post their positions to a service (OsmAnd).
    Simulate(SimulateArgs),
}

#[derive(Args)]
pub struct SimulateArgs {
    /// The service, e.g. http://127.0.0.1:8080.
    #[arg(long)]
    service: String,
    /// The region pack the service runs.
    #[arg(long, default_value = "assets/regions/dinghai")]
    region: PathBuf,
    /// How many simulated phones (each needs a device secret).
    #[arg(long, default_value_t = 1)]
    units: usize,
    /// Between two reports of a phone: 5s, 1m, or seconds.
    #[arg(long, default_value = "5s")]
    interval: String,
    /// How long to run: 30s, 10m, 1h, or seconds.
    #[arg(long, default_value = "10m")]
    duration: String,
    /// A registered device, as UNIT=SECRET (`tidewatch device add` prints the secret);
    /// repeat it, one per phone.
    #[arg(long = "device-secret")]
    device_secret: Vec<String>,
    /// A file of devices, one `UNIT SECRET` (or `UNIT=SECRET`) a line.
    #[arg(long)]
    devices: Option<PathBuf>,
    /// Seeds the destinations.
    #[arg(long, default_value_t = 1)]
    seed: u64,
}

pub fn run(command: FieldCommand) -> ExitCode {
    let FieldCommand::Simulate(args) = command;
    match simulate(&args) {
        Ok(summary) => {
            println!("{summary}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("tidewatch field simulate: {e}");
            ExitCode::from(2)
        }
    }
}

/// `5s`, `10m`, `1h` or plain seconds.
pub fn seconds(what: &str, text: &str) -> Result<u64, String> {
    let t = text.trim();
    let (n, unit) = match t.char_indices().last() {
        Some((i, c)) if c.is_ascii_alphabetic() => (&t[..i], c),
        _ => (t, 's'),
    };
    let scale = match unit {
        's' => 1,
        'm' => 60,
        'h' => 3600,
        _ => return Err(format!("--{what}: {text:?} is not a duration (5s, 10m, 1h)")),
    };
    n.parse::<u64>().ok().and_then(|n| n.checked_mul(scale)).ok_or_else(|| format!("--{what}: {text:?} is not a duration (5s, 10m, 1h)"))
}

/// `http://host:port` → the base URL without a trailing slash.
pub fn service_url(text: &str) -> Result<String, String> {
    let Some(rest) = text.strip_prefix("http://") else {
        return Err(if text.starts_with("https://") {
            format!("--service {text:?}: only plain http:// is supported (the service's loopback listener)")
        } else {
            format!("--service {text:?}: expected http://host:port")
        });
    };
    let host = rest.split('/').next().unwrap_or("");
    let ok = !host.is_empty() && host.chars().all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c));
    let port_ok = host.rsplit_once(':').is_none_or(|(_, p)| p.parse::<u16>().is_ok_and(|p| p > 0));
    if !ok || !port_ok {
        return Err(format!("--service {text:?}: expected http://host:port"));
    }
    Ok(format!("http://{host}"))
}

/// (unit, secret) pairs from the flags and the file.
fn devices(args: &SimulateArgs, region: &Region) -> Result<Vec<(Unit, String)>, String> {
    let mut lines: Vec<String> = args.device_secret.clone();
    if let Some(path) = &args.devices {
        let text = std::fs::read_to_string(path).map_err(|e| format!("--devices {}: {e}", path.display()))?;
        lines.extend(text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')).map(str::to_string));
    }
    lines
        .iter()
        .map(|l| {
            let (unit, secret) =
                l.split_once('=').or_else(|| l.split_once(char::is_whitespace)).ok_or_else(|| format!("{l:?}: expected UNIT=SECRET"))?;
            let unit = region.unit(&unit.trim().into()).ok_or_else(|| format!("{l:?}: no unit {:?} in the region", unit.trim()))?;
            Ok((unit.clone(), secret.trim().to_string()))
        })
        .collect()
}

struct Plan {
    url: String,
    interval_s: u64,
    duration_s: u64,
}

fn checked(args: &SimulateArgs, given: usize) -> Result<Plan, String> {
    let url = service_url(&args.service)?;
    let interval_s = seconds("interval", &args.interval)?;
    let duration_s = seconds("duration", &args.duration)?;
    if !(1..=3600).contains(&interval_s) {
        return Err(format!("--interval {}: from 1s to 1h", args.interval));
    }
    if !(1..=MAX_DURATION_S).contains(&duration_s) {
        return Err(format!("--duration {}: from 1s to 24h", args.duration));
    }
    if !(1..=MAX_UNITS).contains(&args.units) {
        return Err(format!("--units {}: from 1 to {MAX_UNITS}", args.units));
    }
    if given < args.units {
        return Err(format!(
            "--units {} needs as many devices, {given} given (--device-secret UNIT=SECRET or --devices FILE; `tidewatch device add` makes them)",
            args.units
        ));
    }
    let reports = args.units as u64 * duration_s.div_ceil(interval_s);
    if reports > MAX_REPORTS {
        return Err(format!("{reports} reports in the run: at most {MAX_REPORTS}; fewer units or a longer interval"));
    }
    Ok(Plan { url, interval_s, duration_s })
}

/// One simulated phone: its unit, its secret and the trip it is on.
struct Phone {
    unit: Unit,
    secret: String,
    node: u32,
    drive: Drive,
    rng: Rng,
}

/// The counts of a run.
#[derive(Default)]
struct Counts {
    sent: AtomicU64,
    accepted: AtomicU64,
    refused: AtomicU64,
    failed: AtomicU64,
    slowest_ms: AtomicU64,
}

fn simulate(args: &SimulateArgs) -> Result<String, String> {
    let region = Region::load(&args.region).map_err(|e| format!("--region {}: {e}", args.region.display()))?;
    let given = devices(args, &region)?;
    let plan = checked(args, given.len())?;
    let net = Arc::new(Network::from_region(&region));
    let clock = SystemClock.clock();
    let now = clock.now();
    let phones: Vec<Phone> = given
        .into_iter()
        .take(args.units)
        .enumerate()
        .map(|(i, (unit, secret))| {
            let node = region.place_index(&unit.base).unwrap_or(0) as u32;
            let mut rng = Rng::scrambled(args.seed.wrapping_add(i as u64));
            let drive = next_trip(&net, &unit, node, now, &mut rng);
            Phone { unit, secret, node, drive, rng }
        })
        .collect();
    let agent = ureq::AgentBuilder::new().timeout(Duration::from_secs(10)).build();
    // One report first, so a wrong address fails at once and clearly.
    match agent.get(&format!("{}/api/health", plan.url)).call() {
        Ok(_) | Err(ureq::Error::Status(..)) => {}
        Err(e) => return Err(format!("cannot reach the service at {}: {e}", plan.url)),
    }
    let counts = Arc::new(Counts::default());
    let threads = phones.len().clamp(1, 8);
    let mut chunks: Vec<Vec<Phone>> = (0..threads).map(|_| Vec::new()).collect();
    for (i, p) in phones.into_iter().enumerate() {
        chunks[i % threads].push(p);
    }
    let started = Instant::now();
    std::thread::scope(|s| {
        for chunk in chunks {
            let (net, counts, agent, plan, clock) = (Arc::clone(&net), Arc::clone(&counts), agent.clone(), &plan, clock.clone());
            s.spawn(move || drive_phones(&net, chunk, &agent, plan, &clock, &counts, started));
        }
    });
    let c = &counts;
    Ok(format!(
        "{} reports in {:.0} s: {} accepted, {} refused, {} failed; slowest answer {} ms",
        c.sent.load(Ordering::Relaxed),
        started.elapsed().as_secs_f64(),
        c.accepted.load(Ordering::Relaxed),
        c.refused.load(Ordering::Relaxed),
        c.failed.load(Ordering::Relaxed),
        c.slowest_ms.load(Ordering::Relaxed)
    ))
}

/// A new trip from `node`, driven from `t`.
fn next_trip(net: &Network, unit: &Unit, node: u32, t: i64, rng: &mut Rng) -> Drive {
    let boat = (unit.kind == UnitKind::Boat).then(|| unit.speed_kmh.unwrap_or(40.0));
    Drive::wander(net, boat, node, t, rng)
}

/// Reports each phone's position every interval until the run's end; a phone at the end of
/// its trip sets off on the next.
fn drive_phones(net: &Network, mut phones: Vec<Phone>, agent: &ureq::Agent, plan: &Plan, clock: &Clock, counts: &Counts, started: Instant) {
    let n = phones.len().max(1) as u64;
    let mut tick = 0u64;
    loop {
        for (i, p) in phones.iter_mut().enumerate() {
            // Phones spread over the interval, not all at its start.
            let due = Duration::from_millis(tick * plan.interval_s * 1000 + i as u64 * plan.interval_s * 1000 / n);
            if due.as_secs() >= plan.duration_s {
                return;
            }
            if let Some(wait) = due.checked_sub(started.elapsed()) {
                std::thread::sleep(wait);
            }
            let t = clock.now();
            if t >= p.drive.ends() {
                p.node = p.drive.end_node(net);
                p.drive = next_trip(net, &p.unit, p.node, t, &mut p.rng);
            }
            report(agent, plan, p, t, counts);
        }
        tick += 1;
    }
}

fn report(agent: &ureq::Agent, plan: &Plan, p: &Phone, t: i64, counts: &Counts) {
    let (lon, lat, bearing, speed) = p.drive.at(t);
    let url = format!(
        "{}/api/positions/osmand?id={}&lat={lat:.6}&lon={lon:.6}&timestamp={t}&speed={:.1}&bearing={bearing:.0}&accuracy=8&batt=80",
        plan.url,
        form_escape(&p.secret),
        speed / 1.852
    );
    let sent = Instant::now();
    counts.sent.fetch_add(1, Ordering::Relaxed);
    match agent.get(&url).call() {
        Ok(answer) => {
            let body = answer.into_string().unwrap_or_default();
            let accepted = body.contains("\"accepted\":1");
            (if accepted { &counts.accepted } else { &counts.refused }).fetch_add(1, Ordering::Relaxed);
        }
        Err(_) => drop(counts.failed.fetch_add(1, Ordering::Relaxed)),
    }
    counts.slowest_ms.fetch_max(sent.elapsed().as_millis() as u64, Ordering::Relaxed);
}

/// A secret as a query value.
fn form_escape(s: &str) -> String {
    s.bytes()
        .map(|b| if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) { (b as char).to_string() } else { format!("%{b:02X}") })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_and_addresses_are_checked() {
        assert_eq!(seconds("interval", "5s"), Ok(5));
        assert_eq!(seconds("duration", "10m"), Ok(600));
        assert_eq!(seconds("duration", "2h"), Ok(7200));
        assert_eq!(seconds("duration", "90"), Ok(90));
        for bad in ["", "5x", "-5s", "s", "1.5m", "99999999999999999999h"] {
            assert!(seconds("interval", bad).is_err(), "{bad:?}");
        }
        assert_eq!(service_url("http://127.0.0.1:8080/").as_deref(), Ok("http://127.0.0.1:8080"));
        assert_eq!(service_url("http://localhost").as_deref(), Ok("http://localhost"));
        for bad in ["127.0.0.1:8080", "https://x", "http://", "http://a b", "http://x:0", "http://x:99999", "ftp://x"] {
            assert!(service_url(bad).is_err(), "{bad:?}");
        }
    }
}
