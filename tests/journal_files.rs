//! The journal's files: who may write one (the process lock), read-only opening that never
//! creates or changes a file, backups under a busy writer, restores that cannot lose events
//! or fork the chain, and imports that never delete a journal they did not make.
//!
//! The CLI is spawned where the issue (#11) found the faults. `TIDEWATCH_BIN` points the
//! CLI tests at another build (e.g. one without these fixes, to see them fail).

mod support;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use tidewatch_journal::{backup, restore, verify, EventBody, Journal};

use support::{path_str as s, stderr};

fn bin() -> PathBuf {
    std::env::var_os("TIDEWATCH_BIN").map(PathBuf::from).unwrap_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_tidewatch")))
}

fn tw(args: &[&str]) -> Output {
    Command::new(bin()).args(args).output().expect("run tidewatch")
}

/// A journal of `n` notes, written in one batch (fast), closed.
fn notes_journal(path: &Path, n: i64) {
    let mut j = Journal::open(path).unwrap();
    j.begin_batch().unwrap();
    for i in 0..n {
        let body = EventBody::Note { text: format!("note {i}: {}", "x".repeat(100)) };
        j.append(None, 1_700_000_000 + i, 1_700_000_000 + i, "op", &body).unwrap();
    }
    j.commit_batch().unwrap();
}

/// What a directory holds, name → length and SHA-256: to show that a command changed nothing.
fn snapshot(dir: &Path) -> Vec<(String, String)> {
    use sha2::Digest;
    let mut out: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            let bytes = std::fs::read(e.path()).unwrap_or_default();
            let digest: String = sha2::Sha256::digest(&bytes).iter().map(|b| format!("{b:02x}")).collect();
            (e.file_name().to_string_lossy().into_owned(), format!("{} bytes, {digest}", bytes.len()))
        })
        .collect();
    out.sort();
    out
}

/// A running `journal append-loop` (a writer going flat out) and its acknowledgements,
/// read as they come (an unread pipe would stall the writer).
struct Writer {
    child: Child,
    acks: std::sync::mpsc::Receiver<i64>,
}

impl Writer {
    fn start(db: &Path) -> Writer {
        Self::start_counted(db, u64::MAX)
    }

    /// A writer that stops after `count` events (bounded, for one going flat out).
    fn start_counted(db: &Path, count: u64) -> Writer {
        let mut child = Command::new(bin())
            .args(["journal", "append-loop", "--db", s(db), "--count", &count.to_string()])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn the writer");
        let lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let (tx, acks) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in lines.map_while(Result::ok) {
                if tx.send(line.trim_start_matches("ack ").parse::<i64>().unwrap()).is_err() {
                    break;
                }
            }
        });
        let mut w = Writer { child, acks };
        w.wait_acks(3);
        w
    }

    /// Waits for `n` more acknowledgements (the writer is writing); the last one's seq.
    fn wait_acks(&mut self, n: usize) -> i64 {
        let mut last = 0;
        for _ in 0..n {
            last = self.acks.recv_timeout(Duration::from_secs(30)).expect("the writer stopped");
        }
        last
    }

    fn pid(&self) -> u32 {
        self.child.id()
    }
}

impl Drop for Writer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Waits for `child` at most `limit`; kills it and fails the test if it takes longer.
fn finish_within(mut child: Child, limit: Duration, what: &str) -> Output {
    let t = Instant::now();
    while t.elapsed() < limit {
        if child.try_wait().unwrap().is_some() {
            return child.wait_with_output().unwrap();
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = child.kill();
    let _ = child.wait();
    panic!("{what} did not finish in {limit:?}");
}

// ---- the process lock ------------------------------------------------------------------

#[test]
fn a_second_writer_is_refused_and_told_who_holds_the_journal() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("journal.db");
    let mut writer = Writer::start(&db);

    let second = tw(&["journal", "append-loop", "--db", s(&db), "--count", "3"]);
    assert_eq!(second.status.code(), Some(2));
    let err = stderr(&second);
    assert!(err.contains("is in use by another process") && err.contains(&format!("pid {}", writer.pid())), "{err}");
    assert!(err.contains("append-loop"), "names what holds it: {err}");
    // The desk's own path (demo seed opens a Desk) is refused the same way.
    let seed = tw(&["demo", "seed", "--db", s(&db), "--region", s(&support::dinghai_dir()), "--from", "2026-01-01", "--to", "2026-01-02"]);
    assert_eq!(seed.status.code(), Some(2));
    assert!(stderr(&seed).contains(&format!("pid {}", writer.pid())), "{}", stderr(&seed));

    let last = writer.wait_acks(5);
    drop(writer);
    let report = verify(&db).unwrap();
    assert!(report.ok && report.events >= last, "{report:?}");
    // The lock goes with the process: the next writer gets it.
    let after = tw(&["journal", "append-loop", "--db", s(&db), "--count", "2"]);
    assert!(after.status.success(), "{}", stderr(&after));
}

#[test]
fn an_append_reads_the_chain_head_inside_its_transaction() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("journal.db");
    let note = |i: i64| EventBody::Note { text: format!("n{i}") };
    let mut a = Journal::open(&db).unwrap();
    a.append(None, 1, 1, "a", &note(1)).unwrap();
    // Another handle (of this process, sharing its lock) appends behind a's back.
    let mut b = Journal::open(&db).unwrap();
    for i in 2..=4 {
        b.append(None, i, i, "b", &note(i)).unwrap();
    }
    assert_eq!(a.append(None, 5, 5, "a", &note(5)).unwrap().seq, 5, "a follows b's events");
    drop(b);
    // Something that slipped past the lock puts a shorter journal in place (a restore):
    // a's next event follows the restored head, with no gap and no fork.
    let copy = dir.path().join("copy.db");
    backup(&db, &copy).unwrap();
    a.append(None, 6, 6, "a", &note(6)).unwrap();
    let src = rusqlite::Connection::open(&copy).unwrap();
    let mut dst = rusqlite::Connection::open(&db).unwrap();
    rusqlite::backup::Backup::new(&src, &mut dst).unwrap().run_to_completion(1 << 20, Duration::ZERO, None).unwrap();
    drop(dst);
    assert_eq!(a.append(None, 7, 7, "a", &note(7)).unwrap().seq, 6);
    assert_eq!(a.last_seq(), 6);
    let report = verify(&db).unwrap();
    assert!(report.ok && report.events == 6, "{report:?}");
}

// ---- import ----------------------------------------------------------------------------

/// JSON lines of `n` notes, as `journal export` writes them.
fn export_file(dir: &Path, n: i64) -> PathBuf {
    let src = dir.join("source.db");
    notes_journal(&src, n);
    let out = dir.join("events.jsonl");
    let o = tw(&["journal", "export", "--db", s(&src), "--out", s(&out)]);
    assert!(o.status.success(), "{}", stderr(&o));
    out
}

#[test]
fn two_imports_at_once_never_delete_the_winners_journal() {
    let dir = tempfile::tempdir().unwrap();
    let events = export_file(dir.path(), 20_000);
    for round in 0..4 {
        let db = dir.path().join(format!("imported-{round}.db"));
        let spawn = || {
            Command::new(bin())
                .args(["journal", "import", "--db", s(&db), "--from", s(&events)])
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        };
        let (a, b) = (spawn(), spawn());
        let outs = [finish_within(a, Duration::from_secs(60), "import a"), finish_within(b, Duration::from_secs(60), "import b")];
        let won = outs.iter().filter(|o| o.status.success()).count();
        assert_eq!(won, 1, "round {round}: exactly one import makes the journal: {:?}", outs.iter().map(stderr).collect::<Vec<_>>());
        let loser = outs.iter().find(|o| !o.status.success()).unwrap();
        let err = stderr(loser);
        assert!(err.contains("is in use by another process") || err.contains("exists: choose a new file"), "round {round}: {err}");
        let report = verify(&db).unwrap_or_else(|e| panic!("round {round}: the winner's journal is gone: {e}"));
        // 20,000 imported and the import's own `journal_imported` event.
        assert!(report.ok && report.events == 20_001, "round {round}: {report:?}");
    }
}

#[test]
fn a_failed_import_removes_only_the_journal_it_made() {
    let dir = tempfile::tempdir().unwrap();
    let events = export_file(dir.path(), 50);
    let mut text = std::fs::read_to_string(&events).unwrap();
    text.push_str("{\"not\": \"an event\"}\n");
    let bad = dir.path().join("bad.jsonl");
    std::fs::write(&bad, text).unwrap();

    let db = dir.path().join("new.db");
    let o = tw(&["journal", "import", "--db", s(&db), "--from", s(&bad)]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("line 51"), "{}", stderr(&o));
    for suffix in ["", "-wal", "-shm"] {
        assert!(!Path::new(&format!("{}{suffix}", db.display())).exists(), "{suffix} left behind");
    }
    // An existing journal is refused and left exactly as it was.
    // (Its lock file's note now names the import that held the lock for a moment.)
    let existing = dir.path().join("source.db");
    let but_locks = |snap: Vec<(String, String)>| snap.into_iter().filter(|(n, _)| !n.ends_with("-lock")).collect::<Vec<_>>();
    let before = but_locks(snapshot(dir.path()));
    let o = tw(&["journal", "import", "--db", s(&existing), "--from", s(&events)]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("exists: choose a new file"), "{}", stderr(&o));
    assert_eq!(but_locks(snapshot(dir.path())), before);
}

// ---- restore ---------------------------------------------------------------------------

#[test]
fn restore_is_refused_while_the_journal_is_in_use() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("journal.db");
    notes_journal(&db, 40);
    let copy = dir.path().join("copy.db");
    backup(&db, &copy).unwrap();
    let mut writer = Writer::start(&db);

    let o = tw(&["restore", "--from", s(&copy), "--db", s(&db)]);
    assert_eq!(o.status.code(), Some(2), "{}", String::from_utf8_lossy(&o.stdout));
    let err = stderr(&o);
    assert!(err.contains("is in use by another process") && err.contains(&format!("pid {}", writer.pid())), "{err}");
    let last = writer.wait_acks(5);
    drop(writer);
    let report = verify(&db).unwrap();
    assert!(report.ok && report.events >= last, "the writer's events are all there: {report:?}");

    // Once nobody writes it, the restore goes through, and the next writer follows it.
    let o = tw(&["restore", "--from", s(&copy), "--db", s(&db)]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(verify(&db).unwrap().events, 40);
    let o = tw(&["journal", "append-loop", "--db", s(&db), "--count", "2"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let report = verify(&db).unwrap();
    assert!(report.ok && report.events == 42, "{report:?}");
}

#[test]
fn restore_refuses_a_newer_an_empty_or_a_foreign_source() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("journal.db");
    notes_journal(&db, 30);
    let db_before = snapshot(dir.path()).into_iter().find(|(n, _)| n == "journal.db").unwrap();

    let newer = dir.path().join("newer.db");
    backup(&db, &newer).unwrap();
    rusqlite::Connection::open(&newer).unwrap().pragma_update(None, "user_version", 99).unwrap();
    let o = tw(&["restore", "--from", s(&newer), "--db", s(&db)]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("journal from a newer version of Tidewatch (schema 99"), "{}", stderr(&o));

    let empty = dir.path().join("empty.db");
    drop(Journal::open(&empty).unwrap());
    let o = tw(&["restore", "--from", s(&empty), "--db", s(&db)]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("holds no events"), "{}", stderr(&o));

    let foreign = dir.path().join("foreign.db");
    rusqlite::Connection::open(&foreign).unwrap().execute_batch("CREATE TABLE photos (id INTEGER);").unwrap();
    let o = tw(&["restore", "--from", s(&foreign), "--db", s(&db)]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("not a Tidewatch journal"), "{}", stderr(&o));

    assert!(snapshot(dir.path()).contains(&db_before), "every refusal left the journal as it was");
    assert_eq!(verify(&db).unwrap().events, 30);

    // An empty journal only when asked for in so many words.
    let o = tw(&["restore", "--from", s(&empty), "--db", s(&db), "--allow-empty"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(verify(&db).unwrap().events, 0);
}

#[test]
fn restore_in_process_is_refused_while_a_handle_is_open() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("journal.db");
    notes_journal(&db, 5);
    let copy = dir.path().join("copy.db");
    backup(&db, &copy).unwrap();
    let open = Journal::open(&db).unwrap();
    let err = restore(&copy, &db, false).unwrap_err().to_string();
    assert!(err.contains("is open in this process"), "{err}");
    drop(open);
    assert_eq!(restore(&copy, &db, false).unwrap().events, 5);
}

// ---- backup ----------------------------------------------------------------------------

#[test]
fn backup_of_a_tampered_journal_exits_1_naming_the_first_bad_event() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("journal.db");
    notes_journal(&db, 30);
    let good = dir.path().join("good.db");
    let o = tw(&["backup", "--db", s(&db), "--out", s(&good)]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(String::from_utf8_lossy(&o.stdout).contains("backed up 30 events"), "{}", String::from_utf8_lossy(&o.stdout));

    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute_batch("DROP TRIGGER events_no_update; UPDATE events SET operator = 'nobody' WHERE seq = 7;").unwrap();
    drop(conn);
    let copy = dir.path().join("copy.db");
    let o = tw(&["backup", "--db", s(&db), "--out", s(&copy)]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("TAMPERED at event 7"), "{}", stderr(&o));
    assert_eq!(verify(&copy).unwrap().first_bad_seq, Some(7), "the copy is kept, faithful");
    let o = tw(&["restore", "--from", s(&copy), "--db", s(&dir.path().join("restored.db"))]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("fails its audit at event 7"), "{}", stderr(&o));
}

#[test]
fn backup_finishes_while_a_writer_goes_flat_out() {
    // In memory (tmpfs) where there is one: fsync costs nothing there, so the writer commits
    // thousands of times a second (the step-wise backup API restarted on every commit and
    // never finished; on a disk it sometimes got through between two fsyncs).
    let dir = match Path::new("/dev/shm").is_dir() {
        true => tempfile::tempdir_in("/dev/shm").unwrap(),
        false => tempfile::tempdir().unwrap(),
    };
    let db = dir.path().join("journal.db");
    notes_journal(&db, 300_000);
    let mut writer = Writer::start_counted(&db, 150_000);
    writer.wait_acks(2_000);
    let copy = dir.path().join("copy.db");
    let child = Command::new(bin())
        .args(["backup", "--db", s(&db), "--out", s(&copy)])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let t = Instant::now();
    let o = finish_within(child, Duration::from_secs(15), "backup under a busy writer");
    let took = t.elapsed();
    writer.wait_acks(1); // still writing when the backup was done
    assert!(o.status.success(), "{}", stderr(&o));
    drop(writer);
    let report = verify(&copy).unwrap();
    assert!(report.ok && report.events >= 302_003, "{report:?}");
    eprintln!("backup of {} events under a busy writer: {took:?}", report.events);
}

// ---- reading never creates or changes a file ---------------------------------------------

/// Every reading command on `db`, with its output (if any) going outside `db`'s folder.
fn reading_commands(db: &Path, out_dir: &Path) -> Vec<(&'static str, Output)> {
    let region = support::dinghai_dir();
    let out = out_dir.join(format!("out-{}", std::process::id()));
    let _ = std::fs::remove_file(&out);
    let dated = ["--from", "2026-07-01"];
    vec![
        ("report", tw(&["report", "--db", s(db), "--from", "2026-07-01", "--to", "2026-07-02"])),
        ("audit verify", tw(&["audit", "verify", "--db", s(db)])),
        ("journal export", tw(&["journal", "export", "--db", s(db), "--out", s(&out)])),
        ("backup", tw(&["backup", "--db", s(db), "--out", s(&out.with_extension("bak"))])),
        ("sim", tw(&[&["sim", "--region", s(&region), "--db", s(db), "--days", "1"][..], &dated[..]].concat())),
        ("roster demand", tw(&[&["roster", "demand", "--region", s(&region), "--db", s(db), "--days", "1"][..], &dated[..]].concat())),
    ]
}

#[test]
fn reading_commands_never_create_or_change_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let outs = tempfile::tempdir().unwrap();
    let journals = dir.path().join("journals");
    std::fs::create_dir(&journals).unwrap();
    let foreign = journals.join("photos.db");
    rusqlite::Connection::open(&foreign)
        .unwrap()
        .execute_batch("CREATE TABLE photos (id INTEGER); INSERT INTO photos VALUES (1);")
        .unwrap();
    let empty_file = journals.join("empty.db");
    std::fs::write(&empty_file, b"").unwrap();
    let blank = journals.join("blank.db");
    rusqlite::Connection::open(&blank).unwrap().execute_batch("CREATE TABLE t (x); DROP TABLE t;").unwrap();
    let text = journals.join("notes.txt");
    std::fs::write(&text, "not a database at all, but long enough to have a header ".repeat(4)).unwrap();
    let newer = journals.join("newer.db");
    notes_journal(&newer, 3);
    rusqlite::Connection::open(&newer).unwrap().pragma_update(None, "user_version", 99).unwrap();
    let missing = journals.join("missing.db");

    let before = snapshot(&journals);
    for (db, expect) in [
        (&missing, "no such journal"),
        (&foreign, "not a Tidewatch journal"),
        (&empty_file, "not a Tidewatch journal"),
        (&blank, "not a Tidewatch journal"),
        (&text, "not a Tidewatch journal"),
        (&newer, "journal from a newer version"),
    ] {
        for (what, o) in reading_commands(db, outs.path()) {
            assert_eq!(o.status.code(), Some(2), "{what} on {}: {}", db.display(), stderr(&o));
            assert!(stderr(&o).contains(expect), "{what} on {}: {}", db.display(), stderr(&o));
        }
    }
    assert_eq!(snapshot(&journals), before, "no file created or changed");
}

#[test]
fn reading_a_closed_journal_leaves_its_folder_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let outs = tempfile::tempdir().unwrap();
    let db = dir.path().join("journal.db");
    notes_journal(&db, 20);
    let before = snapshot(dir.path());
    for (what, o) in reading_commands(&db, outs.path()) {
        assert!(o.status.success(), "{what}: {}", stderr(&o));
    }
    let after: Vec<String> = snapshot(dir.path()).into_iter().map(|(n, _)| n).collect();
    let names: Vec<String> = before.iter().map(|(n, _)| n.clone()).collect();
    // SQLite may leave its (empty) shared-memory files; the journal itself is unchanged.
    assert!(after.iter().all(|n| names.contains(n) || n.ends_with("-shm") || n.ends_with("-wal")), "{after:?}");
    let journal = |snap: &[(String, String)]| snap.iter().find(|(n, _)| n == "journal.db").unwrap().1.clone();
    assert_eq!(journal(&snapshot(dir.path())), journal(&before), "the journal's bytes are unchanged");
}

// ---- read-only folders -------------------------------------------------------------------

/// Runs the CLI as a user who may not write `ro` (root ignores permissions, so as root it
/// runs as `nobody` through `setpriv`, from a copy of the binary that user can reach).
struct Unprivileged {
    _dir: tempfile::TempDir,
    bin: PathBuf,
    root: bool,
}

impl Unprivileged {
    fn new() -> Unprivileged {
        use std::os::unix::fs::{MetadataExt, PermissionsExt};
        let root = std::fs::metadata("/proc/self").unwrap().uid() == 0;
        let dir = tempfile::tempdir().unwrap();
        let bin = dir.path().join("tidewatch");
        std::fs::copy(self::bin(), &bin).unwrap();
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
        std::fs::set_permissions(&bin, std::fs::Permissions::from_mode(0o755)).unwrap();
        Unprivileged { _dir: dir, bin, root }
    }

    fn run(&self, args: &[&str]) -> Output {
        let mut cmd = if self.root {
            let mut c = Command::new("setpriv");
            c.args(["--reuid=65534", "--regid=65534", "--clear-groups"]).arg(&self.bin);
            c
        } else {
            Command::new(&self.bin)
        };
        cmd.args(args).output().expect("setpriv (util-linux) runs the CLI as nobody")
    }
}

/// A folder nobody may write, reachable by everyone.
fn read_only_folder(parent: &Path, fill: impl FnOnce(&Path)) -> PathBuf {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(parent, std::fs::Permissions::from_mode(0o755)).unwrap();
    let ro = parent.join("evidence");
    std::fs::create_dir(&ro).unwrap();
    fill(&ro);
    for e in std::fs::read_dir(&ro).unwrap() {
        std::fs::set_permissions(e.unwrap().path(), std::fs::Permissions::from_mode(0o644)).unwrap();
    }
    std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o555)).unwrap();
    ro
}

fn writable_by_all(parent: &Path) -> PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let w = parent.join("out");
    std::fs::create_dir(&w).unwrap();
    std::fs::set_permissions(&w, std::fs::Permissions::from_mode(0o777)).unwrap();
    w
}

#[test]
fn a_journal_in_a_read_only_folder_can_be_verified_reported_and_exported() {
    let user = Unprivileged::new();
    let dir = tempfile::tempdir().unwrap();
    // A name with what a URI must escape (the read-only fallback opens it by URI).
    let name = "case 7 #1?%.db";
    let ro = read_only_folder(dir.path(), |ro| notes_journal(&ro.join(name), 25));
    let db = ro.join(name);
    let out = writable_by_all(dir.path());
    let before = snapshot(&ro);
    // The folder really is read-only to that user.
    let denied = user.run(&["journal", "append-loop", "--db", s(&db), "--count", "1"]);
    assert_eq!(denied.status.code(), Some(2), "{}", stderr(&denied));

    let o = user.run(&["audit", "verify", "--db", s(&db)]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(String::from_utf8_lossy(&o.stdout).contains("OK, 25 events"), "{}", String::from_utf8_lossy(&o.stdout));
    let o = user.run(&["report", "--db", s(&db), "--from", "2026-07-01", "--to", "2026-07-02"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = user.run(&["journal", "export", "--db", s(&db), "--out", s(&out.join("events.jsonl"))]);
    assert!(o.status.success(), "{}", stderr(&o));
    // 25 events and the closing `journal_head` line.
    assert_eq!(std::fs::read_to_string(out.join("events.jsonl")).unwrap().lines().count(), 26);
    let o = user.run(&["backup", "--db", s(&db), "--out", s(&out.join("copy.db"))]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(verify(&out.join("copy.db")).unwrap().events, 25);
    assert_eq!(snapshot(&ro), before);
}

#[test]
fn a_crashed_writers_journal_in_a_read_only_folder_is_read_with_its_log() {
    let user = Unprivileged::new();
    let dir = tempfile::tempdir().unwrap();
    let mut acked = 0;
    let ro = read_only_folder(dir.path(), |ro| {
        // A new journal: its schema, too, is still only in the log.
        let db = ro.join("journal.db");
        let mut writer = Writer::start(&db);
        acked = writer.wait_acks(20);
        let _ = writer.child.kill(); // SIGKILL: the log is left beside the journal
        let _ = writer.child.wait();
    });
    assert!(ro.join("journal.db-wal").exists(), "the crash left a write-ahead log");
    let o = user.run(&["audit", "verify", "--db", s(&ro.join("journal.db")), "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(v["events"].as_i64().unwrap() >= acked, "every acknowledged event is read: {v}");
}
