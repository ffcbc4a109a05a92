//! The journal commands on the service's PostgreSQL journal: `audit verify --pg` and
//! `journal import --pg <url> <desk journal>` (docs/service.md).

use std::path::Path;
use std::process::ExitCode;

use tidewatch_core::time::SystemClock;
use tidewatch_core::Error;
use tidewatch_journal_pg::import::{import_sqlite, ImportOptions, ImportReport};
use tidewatch_journal_pg::PgJournal;

use crate::verdict::audit_text;

/// Exit 0, or 2 with the error (as the other journal commands do).
fn finish(result: Result<(), Error>, what: &str) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("tidewatch {what}: {e}");
            ExitCode::from(2)
        }
    }
}

/// The URL without its password, for messages.
fn shown(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else { return url.to_string() };
    match rest.split_once('@') {
        Some((user, host)) => format!("{scheme}://{}@{host}", user.split(':').next().unwrap_or("")),
        None => url.to_string(),
    }
}

/// Exit 0 when the journal passes, 1 when it fails its audit, 2 when it cannot be read.
pub fn audit_verify(url: &str, json: bool) -> ExitCode {
    let checked = PgJournal::connect(url).and_then(|pg| pg.verify());
    match checked {
        Ok(r) => {
            if json {
                println!("{}", serde_json::to_string_pretty(&r).expect("json"));
            } else {
                println!("{}", audit_text(&shown(url), &r, true));
            }
            if r.ok {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            }
        }
        Err(e) => finish(Err(e), "audit verify"),
    }
}

pub fn import(url: &str, desk: &Path, operator: Option<String>) -> ExitCode {
    finish(
        (|| {
            if !desk.is_file() {
                return Err(Error::invalid("desk journal", format!("{} is not a journal file", desk.display())));
            }
            let t = std::time::Instant::now();
            let mut pg = PgJournal::connect(url)?;
            let opts = ImportOptions { operator: operator.unwrap_or_else(|| "journal import".into()), now_utc: SystemClock.clock().now() };
            let r = import_sqlite(&mut pg, desk, &opts)?;
            print_import(url, desk, &r, t.elapsed().as_secs_f64());
            Ok(())
        })(),
        "journal import",
    )
}

fn print_import(url: &str, desk: &Path, r: &ImportReport, seconds: f64) {
    let head = r.head.as_ref().map(|h| format!("; head now {h}")).unwrap_or_default();
    println!(
        "imported {} events and {} accounts from {} into {} in {seconds:.1} s{head}",
        r.events,
        r.accounts,
        desk.display(),
        shown(url)
    );
    if r.appended_after == 0 {
        println!("the service's journal was empty: every event kept its seq and hash (audit verify agrees on both)");
        return;
    }
    println!(
        "appended after the service's event {}: the desk's events renumbered and chained anew, its incidents renumbered after the service's",
        r.appended_after
    );
    if r.conflicts.is_empty() {
        println!("no conflicts: the service's state took every event");
        return;
    }
    println!("{} CONFLICTS for a supervisor (each journaled as a note in the event's place):", r.conflicts.len());
    for c in &r.conflicts {
        let incident = c.incident.map(|i| format!(" incident {i}")).unwrap_or_default();
        println!("  desk event {} ({}{incident}, by {} at {}): {} [note {}]", c.desk_seq, c.kind, c.operator, c.at_utc, c.why, c.note_seq);
    }
}
