//! `tidewatch region …`: region packs.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Subcommand;
use tidewatch_core::region::{PackErrors, Region};

#[derive(Subcommand)]
pub enum RegionCommand {
    /// Validate a pack and print its counts (exit 1 when it has errors).
    Check {
        dir: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Import an OpenStreetMap extract (.osm.pbf, .osm or .geojson) as the pack's road graph
    /// (exit 2: unreadable extract, naming the file and element; exit 1: the pack does not load).
    ImportRoads { dir: PathBuf, file: PathBuf },
    /// The pack as the command-centre service routes on it: the region edits stored in its
    /// PostgreSQL laid over PACK, written to --out (a new folder) and checked; then e.g.
    /// `region patch export OUT --base PACK` lists them as corrections.
    Export {
        #[arg(long, env = "TIDEWATCH_PG_URL")]
        pg: String,
        /// The pack the service was started on (`serve --region`).
        #[arg(long)]
        region: PathBuf,
        #[arg(long)]
        out: PathBuf,
    },
    /// The region editor's corrections as a patch that survives an update of the pack.
    Patch {
        #[command(subcommand)]
        command: PatchCommand,
    },
}

#[derive(Subcommand)]
pub enum PatchCommand {
    /// Write the corrections that turn --base (the pack the desk copied) into DIR (the
    /// desk's edited copy) as CSV rows: who, when, kind, id, old, new, what, source.
    Export {
        dir: PathBuf,
        #[arg(long)]
        base: PathBuf,
        #[arg(long)]
        out: PathBuf,
    },
    /// Apply a patch to a (newer) pack, the result in --out (a new folder, or DIR itself);
    /// rows the newer pack changed itself are conflicts, listed and not applied (exit 1).
    Apply {
        dir: PathBuf,
        patch: PathBuf,
        #[arg(long)]
        out: PathBuf,
    },
}

pub fn run(command: RegionCommand) -> ExitCode {
    match command {
        RegionCommand::Check { dir, json } => region_check(&dir, json),
        RegionCommand::ImportRoads { dir, file } => import_roads(&dir, &file),
        RegionCommand::Patch { command } => patch(command),
        RegionCommand::Export { pg, region, out } => export(&pg, &region, &out),
    }
}

/// `region export --pg`: what an operator runs to take the service's edits back into a pack.
fn export(url: &str, pack: &std::path::Path, out: &std::path::Path) -> ExitCode {
    use tidewatch_core::region::edit::overlay::overlay;
    if out.exists() {
        eprintln!("error: {} exists; name a new folder", out.display());
        return ExitCode::from(2);
    }
    let done = tidewatch_journal_pg::PgJournal::connect(url).and_then(|pg| pg.stored_region()).and_then(|stored| {
        let region = overlay(pack, out, &stored.files)?;
        Ok((stored, region))
    });
    match done {
        Ok((stored, region)) => {
            let names: Vec<&str> = stored.files.iter().map(|f| f.name.as_str()).collect();
            let by = stored.by.map(|b| format!(", the last by {b}")).unwrap_or_default();
            let (n, to) = (stored.version, out.display());
            println!("{to}: {} with {n} edits{by} ({}) laid over {}; it loads", region.meta.name_en, names.join(", "), pack.display());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

fn patch(command: PatchCommand) -> ExitCode {
    use tidewatch_core::region::edit::patch;
    let result = match command {
        PatchCommand::Export { dir, base, out } => (|| -> Result<bool, tidewatch_core::Error> {
            let rows = patch::export(&Region::load(&dir)?, &Region::load(&base)?);
            std::fs::write(&out, patch::to_csv(&rows)?)?;
            let unnoted = rows.iter().filter(|r| r.who.is_empty()).count();
            println!("{} corrections written to {} ({unnoted} without an editor's note)", rows.len(), out.display());
            Ok(true)
        })(),
        PatchCommand::Apply { dir, patch: file, out } => (|| -> Result<bool, tidewatch_core::Error> {
            let text = std::fs::read_to_string(&file)?;
            let rows = patch::parse(&file.display().to_string(), &text)?;
            let today = chrono::Local::now().date_naive();
            let report = patch::apply(&dir, &rows, &out, today)?;
            for r in &report.applied {
                println!("applied: {r}");
            }
            for r in &report.already {
                println!("already in the pack: {r}");
            }
            for (r, why) in &report.conflicts {
                println!("CONFLICT: {r}: {why}");
            }
            println!(
                "{} applied, {} already there, {} conflicts; the pack is in {}",
                report.applied.len(),
                report.already.len(),
                report.conflicts.len(),
                out.display()
            );
            Ok(report.conflicts.is_empty())
        })(),
    };
    match result {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

fn import_roads(dir: &std::path::Path, file: &std::path::Path) -> ExitCode {
    match tidewatch_osm::import_roads(dir, file) {
        Ok(report) => {
            print!("{report}");
            ExitCode::SUCCESS
        }
        Err(tidewatch_core::Error::Pack(errors)) => {
            eprintln!("error: {}: {errors}", dir.display());
            ExitCode::from(1)
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

fn region_check(dir: &std::path::Path, json: bool) -> ExitCode {
    let result = Region::load(dir);
    let (counts, errors) = match &result {
        Ok(region) => (region.counts(), Vec::new()),
        Err(PackErrors(errors)) => (Default::default(), errors.clone()),
    };
    if json {
        let mut v = serde_json::to_value(&counts).expect("counts serialise");
        v["errors"] = errors
            .iter()
            .map(|e| serde_json::json!({"file": e.file, "line": e.line, "field": e.field, "message": e.to_string()}))
            .collect();
        println!("{}", serde_json::to_string_pretty(&v).expect("json"));
    } else {
        match &result {
            Ok(region) => {
                println!("{} ({}): OK", region.meta.name_en, dir.display());
                let c = &counts;
                println!(
                    "  islands {}  places {}  roads {}  bridges {}  ferry routes {}  sailings {}\n  incident types {}  units {}  officers {}  holiday dates {}\n  rows marked as estimates: {}",
                    c.islands, c.places, c.roads, c.bridges, c.ferry_routes, c.sailings, c.incident_types, c.units, c.officers, c.holidays, c.estimated
                );
            }
            Err(e) => println!("{}: {e}", dir.display()),
        }
    }
    if errors.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}
