//! `tidewatch`: the core, headless. Checks region packs and answers "who gets there
//! first?" from the command line, in a readable table or JSON for other tools.
//! One file per command family.

// These shadow std's macros in every module declared below them: std's panic (exit 101)
// when standard output is closed or full; `out` exits quietly or with a message instead.
macro_rules! println {
    () => { $crate::out::line(format_args!("")) };
    ($($arg:tt)*) => { $crate::out::line(format_args!($($arg)*)) };
}
macro_rules! print {
    ($($arg:tt)*) => { $crate::out::text(format_args!($($arg)*)) };
}
macro_rules! eprintln {
    () => { $crate::out::error(format_args!("\n")) };
    ($($arg:tt)*) => { $crate::out::error(format_args!("{}\n", format_args!($($arg)*))) };
}
macro_rules! eprint {
    ($($arg:tt)*) => { $crate::out::error(format_args!($($arg)*)) };
}

mod args;
mod bench_cmd;
mod device_cmd;
mod field_cmd;
mod journal_cmd;
mod out;
mod patrol_cmd;
mod patrol_publish_cmd;
mod pg_cmd;
mod reach_cmd;
mod recommend_cmd;
mod region_cmd;
mod roster_cmd;
mod serve_cmd;
mod shell_cmd;
mod sim_cmd;
mod tips_cmd;
mod verdict;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(name = "tidewatch", version, about = "Tidewatch island dispatch desk: the core on the command line")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Region packs.
    Region {
        #[command(subcommand)]
        command: region_cmd::RegionCommand,
    },
    /// Rank every eligible free unit for an incident by real ETA.
    Recommend(recommend_cmd::RecommendArgs),
    /// The reach map: every inhabited island by its best police ETA and how (issue #16).
    Reach(reach_cmd::ReachArgs),
    /// Response-time report and district KPIs from a journal.
    Report(journal_cmd::ReportArgs),
    /// Synthetic demo history.
    Demo {
        #[command(subcommand)]
        command: journal_cmd::DemoCommand,
    },
    /// Tamper evidence of a journal.
    Audit {
        #[command(subcommand)]
        command: journal_cmd::AuditCommand,
    },
    /// Online backup of a journal (a read snapshot, verified; exit 1 if the journal is tampered).
    Backup {
        #[arg(long)]
        db: std::path::PathBuf,
        #[arg(long)]
        out: std::path::PathBuf,
    },
    /// Restore a journal from a backup whose hash chain verifies (refused while the journal
    /// is in use).
    Restore {
        #[arg(long)]
        from: std::path::PathBuf,
        #[arg(long)]
        db: std::path::PathBuf,
        /// Allow a backup with no events (it leaves the journal empty).
        #[arg(long)]
        allow_empty: bool,
    },
    /// Load benchmarks of the core (see the README's performance section).
    Bench {
        #[command(subcommand)]
        command: bench_cmd::BenchCommand,
    },
    /// Export and import a journal's events.
    Journal {
        #[command(subcommand)]
        command: journal_cmd::JournalCommand,
    },
    /// What-if replay of a period of calls against a roster (or two, side by side).
    Sim(sim_cmd::SimArgs),
    /// The command-centre service: several desks on one journal in PostgreSQL (HTTP and a
    /// WebSocket; see docs/service.md).
    Serve(serve_cmd::ServeArgs),
    /// The service's first administrator, on a new database (the first-run step of an
    /// installed service; docs/install.md). The password is read from standard input.
    FirstAdministrator(serve_cmd::FirstAdministratorArgs),
    /// Crews' phones registered to units, reporting positions to the service.
    Device {
        #[command(subcommand)]
        command: device_cmd::DeviceCommand,
    },
    /// Citizens' tips (随手拍): the printable QR poster for an island.
    Tips {
        #[command(subcommand)]
        command: tips_cmd::TipsCommand,
    },
    /// Field crews simulated: units driven along real routes, posting positions to a service.
    Field {
        #[command(subcommand)]
        command: field_cmd::FieldCommand,
    },
    /// Tidal shift rosters (plan, check, export, demand) and the shift scheduling benchmark.
    Roster {
        #[command(subcommand)]
        command: roster_cmd::RosterCommand,
    },
    /// Patrol plans: standby positions per tide window (maximal covering, HiGHS).
    Patrol {
        #[command(subcommand)]
        command: patrol_cmd::PatrolCommand,
    },
    /// Shell completions on standard output (the packages install them).
    Completions { shell: clap_complete::Shell },
    /// Man pages, one per command, written into a directory (the packages install them).
    Man {
        #[arg(long)]
        dir: std::path::PathBuf,
    },
}

fn main() -> ExitCode {
    // As `Cli::parse()`, but --help and --version into a full or closed output are handled.
    let cli = Cli::try_parse().unwrap_or_else(|e| {
        if let Err(w) = e.print() {
            if !e.use_stderr() {
                out::failed(w)
            }
        }
        std::process::exit(e.exit_code())
    });
    let code = run(cli.command);
    out::flush();
    code
}

fn run(command: Command) -> ExitCode {
    match command {
        Command::Region { command } => region_cmd::run(command),
        Command::Recommend(args) => recommend_cmd::run(&args),
        Command::Reach(args) => reach_cmd::run(&args),
        Command::Report(args) => journal_cmd::report(args),
        Command::Sim(args) => sim_cmd::run(&args),
        Command::Demo { command } => journal_cmd::demo(command),
        Command::Audit { command } => journal_cmd::audit(command),
        Command::Backup { db, out } => journal_cmd::backup_cmd(&db, &out),
        Command::Restore { from, db, allow_empty } => journal_cmd::restore_cmd(&from, &db, allow_empty),
        Command::Journal { command } => journal_cmd::journal(command),
        Command::Bench { command } => bench_cmd::run(command),
        Command::Roster { command } => roster_cmd::run(command),
        Command::Patrol { command } => patrol_cmd::run(command),
        Command::Serve(args) => serve_cmd::run(args),
        Command::FirstAdministrator(args) => serve_cmd::first_administrator(args),
        Command::Completions { shell } => shell_cmd::completions(shell),
        Command::Man { dir } => shell_cmd::man(&dir),
        Command::Field { command } => field_cmd::run(command),
        Command::Device { command } => device_cmd::run(command),
        Command::Tips { command } => tips_cmd::run(command),
    }
}
