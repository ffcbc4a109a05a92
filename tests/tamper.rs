//! Tamper evidence without blind spots: every way of changing a journal behind the desk's
//! back that issue #11 lists, and what catches it (the chain, a seal kept outside the file,
//! the read models rebuilt from the events, the accounts compared with their events, the
//! import's hash check).

mod support;

use std::path::{Path, PathBuf};

use rusqlite::{params, Connection};
use sha2::{Digest, Sha256};
use tidewatch_core::ids::IncidentId;
use tidewatch_journal::{hex, verify, verify_sealed, AuditReport, EventBody, Journal, Seal};

use support::{demo::demo_journal, path_str as s};

const NOW: i64 = 1_790_000_000;

/// A three-day synthetic history written through the desk, then `notes` notes (events that
/// touch no read model, so removing them leaves the tables consistent: only a seal sees it).
fn seeded(dir: &Path, notes: i64) -> PathBuf {
    let db = dir.join("journal.db");
    demo_journal(&db, "2026-05-01", "2026-05-04", 20.0, 11);
    let mut j = Journal::open(&db).unwrap();
    for i in 0..notes {
        j.append(None, NOW + i, NOW + i, "op", &EventBody::Note { text: format!("shift note {i}") }).unwrap();
    }
    db
}

fn sealed(db: &Path) -> Seal {
    let s = tidewatch_journal::seal(db, Some("dinghai".into()), NOW).unwrap();
    let head = Journal::open(db).unwrap().head().unwrap().unwrap();
    assert_eq!((s.seq, s.hash.as_str()), (head.seq, head.hash.as_str()));
    s
}

/// A SQL shell on the file, with the append-only triggers dropped (what an attacker with
/// the file can do).
fn shell(db: &Path) -> Connection {
    let c = Connection::open(db).unwrap();
    c.execute_batch("PRAGMA foreign_keys = OFF; DROP TRIGGER IF EXISTS events_no_update; DROP TRIGGER IF EXISTS events_no_delete;")
        .unwrap();
    c
}

fn last_seq(db: &Path) -> i64 {
    Journal::open(db).unwrap().last_seq()
}

/// The CLI's exit code, stdout and stderr.
fn tidewatch(args: &[&str]) -> (i32, String, String) {
    let out = support::tidewatch(args);
    (out.status.code().unwrap_or(-1), support::stdout(&out), support::stderr(&out))
}

fn bad(r: &AuditReport) -> &str {
    assert!(!r.ok, "the audit passed: {r:?}");
    r.problem.as_deref().unwrap_or("")
}

#[test]
fn a_seal_catches_a_cut_tail_of_one_and_of_a_hundred_events() {
    for cut in [1, 100] {
        let dir = tempfile::tempdir().unwrap();
        let db = seeded(dir.path(), 120);
        let seal = sealed(&db);
        let head = last_seq(&db);
        shell(&db).execute("DELETE FROM events WHERE seq > ?1", [head - cut]).unwrap();

        // The cut notes touched no read model: the chain and the tables still agree, so
        // without a seal the audit cannot tell a cut tail from a journal that ended there.
        assert!(verify(&db).unwrap().ok);
        let r = verify_sealed(&db, Some(&seal)).unwrap();
        assert!(bad(&r).contains(&format!("the last {cut} event")), "{r:?}");
        assert_eq!(r.first_bad_seq, Some(head - cut + 1));

        let seal_file = dir.path().join("seal.json");
        seal.write(&seal_file).unwrap();
        let (code, out, _) = tidewatch(&["audit", "verify", "--db", s(&db), "--seal", s(&seal_file)]);
        assert_eq!(code, 1, "{out}");
        assert!(out.contains("TAMPERED"), "{out}");
    }
}

#[test]
fn deleting_every_event_is_caught_by_the_read_models_or_by_a_seal() {
    let dir = tempfile::tempdir().unwrap();
    let db = seeded(dir.path(), 0);
    let seal = sealed(&db);
    let wiped = dir.path().join("wiped.db");
    std::fs::copy(&db, &wiped).unwrap();

    // Only the events: the reports' tables still hold rows no event explains.
    shell(&db).execute("DELETE FROM events", []).unwrap();
    let r = verify(&db).unwrap();
    assert!(bad(&r).contains("has no event behind it"), "{r:?}");

    // Everything: indistinguishable from a new journal, except against a seal.
    shell(&wiped).execute_batch("DELETE FROM events; DELETE FROM incidents; DELETE FROM joint_work; DELETE FROM unit_status;").unwrap();
    assert!(verify(&wiped).unwrap().ok);
    let (code, out, _) = tidewatch(&["audit", "verify", "--db", s(&wiped)]);
    assert_eq!(code, 0);
    assert!(out.contains("OK, 0 events") && out.contains("no seal given"), "not a silent OK: {out}");
    let r = verify_sealed(&wiped, Some(&seal)).unwrap();
    assert!(bad(&r).contains("every event was deleted"), "{r:?}");
    assert_eq!(r.first_bad_seq, Some(1));
}

#[test]
fn a_forged_append_after_the_seal_is_reported_as_not_covered() {
    let dir = tempfile::tempdir().unwrap();
    let db = seeded(dir.path(), 0);
    let seal = sealed(&db);
    let seal_file = dir.path().join("seal.json");
    seal.write(&seal_file).unwrap();
    assert!(seal.write(&seal_file).is_err(), "a seal is never overwritten");
    let r = verify_sealed(&db, Some(&seal)).unwrap();
    assert_eq!((r.ok, r.after_seal), (true, Some(0)));
    let (_, out, _) = tidewatch(&["audit", "verify", "--db", s(&db), "--seal", s(&seal_file)]);
    assert!(out.contains("nothing was written after the seal"), "{out}");

    // Someone appends a made-up event with a valid hash (the chain is unkeyed).
    Journal::open(&db).unwrap().append(None, NOW, NOW, "op", &EventBody::Note { text: "all quiet".into() }).unwrap();
    let r = verify_sealed(&db, Some(&seal)).unwrap();
    assert_eq!((r.ok, r.after_seal), (true, Some(1)), "{r:?}");
    let (code, out, _) = tidewatch(&["audit", "verify", "--db", s(&db), "--seal", s(&seal_file)]);
    assert_eq!(code, 0);
    assert!(out.contains("1 event after the seal, which the seal does not cover"), "{out}");
    assert!(!out.contains("nothing was written after the seal"), "{out}");
}

/// The chain's formula, as an attacker who read the source would recompute it.
#[allow(clippy::too_many_arguments)]
fn chain_hash(
    prev: &[u8],
    seq: i64,
    incident: Option<i64>,
    kind: &str,
    at: i64,
    rec: i64,
    op: &str,
    unit: Option<&str>,
    payload: &str,
) -> Vec<u8> {
    let mut h = Sha256::new();
    h.update(prev);
    h.update(seq.to_le_bytes());
    h.update(incident.unwrap_or(-1).to_le_bytes());
    for s in [kind, op, unit.unwrap_or(""), payload] {
        h.update((s.len() as u64).to_le_bytes());
        h.update(s.as_bytes());
    }
    h.update(at.to_le_bytes());
    h.update(rec.to_le_bytes());
    let out: [u8; 32] = h.finalize().into();
    out.to_vec()
}

/// Recomputes every hash from `from` on, so the edited chain verifies again.
fn rechain(c: &Connection, from: i64) {
    type Row = (i64, Option<i64>, String, i64, i64, String, Option<String>, String);
    let rows: Vec<Row> = c
        .prepare("SELECT seq, incident_id, kind, at_utc, recorded_utc, operator, unit_id, payload FROM events WHERE seq >= ?1 ORDER BY seq")
        .unwrap()
        .query_map([from], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?, r.get(7)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let mut prev: Vec<u8> = c.query_row("SELECT hash FROM events WHERE seq = ?1", [from - 1], |r| r.get(0)).unwrap();
    for (seq, inc, kind, at, rec, op, unit, payload) in rows {
        let h = chain_hash(&prev, seq, inc, &kind, at, rec, &op, unit.as_deref(), &payload);
        c.execute("UPDATE events SET prev_hash = ?2, hash = ?3 WHERE seq = ?1", params![seq, prev, h]).unwrap();
        prev = h;
    }
}

#[test]
fn an_edit_re_chained_passes_the_chain_but_not_the_seal() {
    let dir = tempfile::tempdir().unwrap();
    let db = seeded(dir.path(), 5);
    let seal = sealed(&db);
    let c = shell(&db);
    let note: i64 = c.query_row("SELECT MIN(seq) FROM events WHERE kind = 'note'", [], |r| r.get(0)).unwrap();
    c.execute("UPDATE events SET payload = ?2 WHERE seq = ?1", params![note, r#"{"kind":"note","text":"nothing happened"}"#]).unwrap();
    let r = verify(&db).unwrap();
    assert_eq!(r.first_bad_seq, Some(note), "an edit alone breaks the chain: {r:?}");

    rechain(&c, note);
    assert!(verify(&db).unwrap().ok, "re-chained: the unkeyed chain alone cannot tell");
    let r = verify_sealed(&db, Some(&seal)).unwrap();
    assert!(bad(&r).contains("was rewritten at or before event"), "{r:?}");
    assert_eq!(r.first_bad_seq, Some(seal.seq));
}

#[test]
fn an_edited_incidents_row_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let db = seeded(dir.path(), 0);
    let c = shell(&db);
    let (id, p): (i64, i64) = c
        .query_row("SELECT id, priority FROM incidents WHERE priority > 1 ORDER BY id LIMIT 1", [], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap();
    c.execute("UPDATE incidents SET priority = 1 WHERE id = ?1", [id]).unwrap();
    let r = verify(&db).unwrap();
    assert_eq!(bad(&r), format!("incidents row id = {id} was changed: priority is 1 in the table but its events give {p}"));
    assert_eq!(r.first_bad_seq, None);

    // A response time shortened by hand.
    c.execute("UPDATE incidents SET priority = ?2 WHERE id = ?1", [id, p]).unwrap();
    assert!(verify(&db).unwrap().ok);
    c.execute(
        "UPDATE incidents SET on_scene_utc = on_scene_utc - 600 WHERE id = (SELECT MAX(id) FROM incidents WHERE on_scene_utc IS NOT NULL)",
        [],
    )
    .unwrap();
    assert!(bad(&verify(&db).unwrap()).contains("on_scene_utc is"));

    let (code, out, _) = tidewatch(&["audit", "verify", "--db", s(&db)]);
    assert_eq!(code, 1);
    assert!(out.contains("TAMPERED: incidents row id = "), "{out}");
}

#[test]
fn an_edited_or_deleted_joint_work_row_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let db = seeded(dir.path(), 0);
    let c = shell(&db);
    let seq: i64 = c.query_row("SELECT MIN(seq) FROM joint_work WHERE kind = 'patrol'", [], |r| r.get(0)).unwrap();
    c.execute("UPDATE joint_work SET patrol_hours = patrol_hours + 8 WHERE seq = ?1", [seq]).unwrap();
    let r = verify(&db).unwrap();
    assert!(bad(&r).starts_with(&format!("joint_work row seq = {seq} was changed: patrol_hours is ")), "{r:?}");

    c.execute("UPDATE joint_work SET patrol_hours = patrol_hours - 8 WHERE seq = ?1", [seq]).unwrap();
    assert!(verify(&db).unwrap().ok);
    c.execute("DELETE FROM joint_work WHERE seq = ?1", [seq]).unwrap();
    assert_eq!(bad(&verify(&db).unwrap()), format!("joint_work row seq = {seq} is missing: its events create it, so it was deleted"));
}

#[test]
fn an_accounts_row_without_its_event_is_named() {
    use tidewatch_workstation::accounts::{create_account, create_first_administrator, set_disabled, Role};
    let dir = tempfile::tempdir().unwrap();
    let db = seeded(dir.path(), 0);
    {
        let mut j = Journal::open(&db).unwrap();
        let admin = create_first_administrator(&mut j, "admin", "correct horse", NOW).unwrap();
        create_account(&mut j, &admin, "zhao", Role::Supervisor, "battery staple", NOW + 1).unwrap();
        set_disabled(&mut j, &admin, "zhao", true, NOW + 2).unwrap();
    }
    assert!(verify(&db).unwrap().ok, "accounts made through the desk match their events");
    let c = shell(&db);
    let phc: String = c.query_row("SELECT password FROM accounts WHERE username = 'admin'", [], |r| r.get(0)).unwrap();
    c.execute("INSERT INTO accounts (username, role, password, created_utc) VALUES ('eve', 'administrator', ?1, ?2)", params![phc, NOW])
        .unwrap();
    let r = verify(&db).unwrap();
    assert_eq!(bad(&r), "accounts row 'eve' (role 'administrator') has no account_created event: it was added behind the desk's back");

    c.execute("DELETE FROM accounts WHERE username = 'eve'", []).unwrap();
    c.execute("UPDATE accounts SET disabled = 0 WHERE username = 'zhao'", []).unwrap();
    assert!(bad(&verify(&db).unwrap()).starts_with("accounts row 'zhao' was changed: disabled is 0 in the table but its events"));
    c.execute("UPDATE accounts SET disabled = 1, role = 'administrator' WHERE username = 'zhao'", []).unwrap();
    assert!(bad(&verify(&db).unwrap()).contains("role is 'administrator' in the table"));
}

#[test]
fn a_password_hash_no_event_set_is_named() {
    use tidewatch_workstation::accounts::{create_account, create_first_administrator, reset_password, Role};
    let dir = tempfile::tempdir().unwrap();
    let db = seeded(dir.path(), 0);
    {
        let mut j = Journal::open(&db).unwrap();
        let admin = create_first_administrator(&mut j, "admin", "correct horse", NOW).unwrap();
        create_account(&mut j, &admin, "zhao", Role::Supervisor, "battery staple", NOW + 1).unwrap();
        reset_password(&mut j, &admin, "zhao", "another staple", NOW + 2).unwrap();
    }
    assert!(verify(&db).unwrap().ok, "a reset password is the one its event set");
    let c = shell(&db);
    // The administrator's hash copied onto zhao: a valid hash, of a password someone knows.
    c.execute("UPDATE accounts SET password = (SELECT password FROM accounts WHERE username = 'admin') WHERE username = 'zhao'", [])
        .unwrap();
    let seq: i64 = c.query_row("SELECT max(seq) FROM events WHERE kind = 'password_reset'", [], |r| r.get(0)).unwrap();
    assert_eq!(
        bad(&verify(&db).unwrap()),
        format!("accounts row 'zhao' was changed: its password hash is not the one event {seq} set (written behind the desk's back)")
    );
}

fn export(db: &Path, out: &Path) -> String {
    let (code, stdout, stderr) = tidewatch(&["journal", "export", "--db", s(db), "--out", s(out)]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    std::fs::read_to_string(out).unwrap()
}

/// The number (1-based) of the second line of an export whose event has kind `kind` (not
/// the first line: it has a line before it).
fn line_of(text: &str, kind: &str) -> usize {
    let tag = format!("\"kind\":\"{kind}\"");
    text.lines().enumerate().filter(|(_, l)| l.contains(&tag)).nth(1).unwrap().0 + 1
}

fn with_line(text: &str, n: usize, edit: impl Fn(&str) -> String) -> String {
    text.lines().enumerate().map(|(i, l)| if i + 1 == n { edit(l) } else { l.to_string() } + "\n").collect()
}

fn import(dir: &Path, name: &str, text: &str, extra: &[&str]) -> (i32, String, String, PathBuf) {
    let file = dir.join(format!("{name}.jsonl"));
    std::fs::write(&file, text).unwrap();
    let db = dir.join(format!("{name}.db"));
    let mut args = vec!["journal", "import", "--db", s(&db), "--from", s(&file)];
    args.extend_from_slice(extra);
    let (code, out, err) = tidewatch(&args);
    (code, out, err, db)
}

#[test]
fn an_edited_export_is_refused_naming_the_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = seeded(dir.path(), 3);
    let text = export(&db, &dir.path().join("export.jsonl"));
    let (code, out, err, copy) = import(dir.path(), "clean", &text, &[]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("every line's hash verified"), "{out}");
    let seal = sealed(&db);
    let r = verify_sealed(&copy, Some(&seal)).unwrap();
    assert_eq!((r.ok, r.after_seal), (true, Some(1)), "the copy keeps the hashes; its import is journaled after: {r:?}");

    // A patrol's hours raised: refused at that line, and no journal is left behind.
    let n = line_of(&text, "patrol");
    let edited = with_line(&text, n, |l| l.replacen("\"hours\":", "\"hours\":1", 1));
    let (code, _, err, db2) = import(dir.path(), "edited", &edited, &[]);
    assert_eq!(code, 2);
    assert!(err.contains(&format!("line {n} (event {n}, patrol): its hash does not match its contents")), "{err}");
    assert!(!db2.exists(), "nothing written");

    // The edited line's hash recomputed too: the next line no longer links to it.
    let v: serde_json::Value = serde_json::from_str(edited.lines().nth(n - 1).unwrap()).unwrap();
    let forged_hash = {
        let prev: serde_json::Value = serde_json::from_str(text.lines().nth(n - 2).unwrap()).unwrap();
        let prev = tidewatch_journal::parse_hex32(prev["hash"].as_str().unwrap()).unwrap();
        let body: EventBody = serde_json::from_value(v["body"].clone()).unwrap();
        let payload = serde_json::to_string(&body).unwrap();
        hex(&chain_hash(
            &prev,
            n as i64,
            None,
            "patrol",
            v["at_utc"].as_i64().unwrap(),
            v["recorded_utc"].as_i64().unwrap(),
            v["operator"].as_str().unwrap(),
            body.unit(),
            &payload,
        ))
    };
    let old_hash = v["hash"].as_str().unwrap().to_string();
    let forged = with_line(&edited, n, |l| l.replace(&old_hash, &forged_hash));
    let (code, _, err, _) = import(dir.path(), "forged", &forged, &[]);
    assert_eq!(code, 2);
    assert!(err.contains(&format!("line {} (event {}", n + 1, n + 1)), "{err}");

    // The last events cut off (and the head line with them), or the head line alone.
    let lines: Vec<&str> = text.lines().collect();
    let cut = lines[..lines.len() - 3].join("\n") + "\n";
    let (code, _, err, _) = import(dir.path(), "cut", &cut, &[]);
    assert_eq!(code, 2);
    assert!(err.contains("without its journal_head line"), "{err}");
    let mut short: Vec<&str> = lines[..lines.len() - 3].to_vec();
    short.push(lines[lines.len() - 1]);
    let (code, _, err, _) = import(dir.path(), "short", &(short.join("\n") + "\n"), &[]);
    assert_eq!(code, 2);
    assert!(err.contains(&format!("line {}: the journal_head line names event", short.len())), "{err}");
}

#[test]
fn a_re_chained_import_is_journaled() {
    let dir = tempfile::tempdir().unwrap();
    let db = seeded(dir.path(), 3);
    let text = export(&db, &dir.path().join("export.jsonl"));
    let n = line_of(&text, "patrol");
    let edited = with_line(&text, n, |l| l.replacen("\"hours\":", "\"hours\":1", 1));

    let (code, _, err, _) = import(dir.path(), "anon", &edited, &["--rechain"]);
    assert_eq!(code, 2, "--rechain needs --operator: {err}");
    let (code, out, err, copy) = import(dir.path(), "rechained", &edited, &["--rechain", "--operator", "sup.zhao"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("RE-CHAINED"), "{out}");

    let j = Journal::open(&copy).unwrap();
    let last = j.latest_event("journal_imported").unwrap().expect("journaled");
    assert_eq!(last.seq, j.last_seq(), "the import is the last event");
    assert_eq!(last.operator, "sup.zhao");
    let EventBody::JournalImported { file_sha256, events, rechained } = &last.body else { panic!() };
    let digest: [u8; 32] = Sha256::digest(edited.as_bytes()).into();
    assert_eq!(*file_sha256, hex(&digest));
    assert_eq!(*events as i64, j.last_seq() - 1);
    assert!(rechained.as_deref().unwrap().starts_with(&format!("line {n} (event {n}, patrol)")), "{rechained:?}");
    assert!(verify(&copy).unwrap().ok, "chained anew, the copy verifies");
    // ... but not against a seal of the original: it is not the same chain.
    let r = verify_sealed(&copy, Some(&sealed(&db))).unwrap();
    assert!(bad(&r).contains("rewritten"), "{r:?}");
}

#[test]
fn a_hash_of_multibyte_characters_is_refused_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let db = seeded(dir.path(), 0);
    let text = export(&db, &dir.path().join("export.jsonl"));
    let v: serde_json::Value = serde_json::from_str(text.lines().nth(1).unwrap()).unwrap();
    let hash = v["hash"].as_str().unwrap();
    // 64 bytes, but 32 two-byte characters: slicing it by byte index splits a character.
    let multibyte = "é".repeat(32);
    assert_eq!(multibyte.len(), 64);
    let broken = with_line(&text, 2, |l| l.replace(hash, &multibyte));
    let (code, _, err, _) = import(dir.path(), "multibyte", &broken, &[]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("line 2: field hash: hash is not 64 hex digits"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    // And in a seal file.
    let seal = dir.path().join("seal.json");
    std::fs::write(&seal, format!(r#"{{"format":1,"seq":1,"hash":"{multibyte}","events":1,"sealed_utc":0,"region":null,"journal":"x"}}"#))
        .unwrap();
    let err = Seal::read(&seal).unwrap_err().to_string();
    assert!(err.contains("field hash: not 64 hex digits"), "{err}");
}

#[test]
fn a_wrong_typed_value_names_the_event_the_kind_and_the_field() {
    let dir = tempfile::tempdir().unwrap();
    let db = seeded(dir.path(), 0);
    let c = shell(&db);
    let (seq, id): (i64, i64) = c
        .query_row("SELECT seq, incident_id FROM events WHERE kind = 'received' ORDER BY seq LIMIT 1", [], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap();
    // In the payload: a priority that is not a number.
    c.execute("UPDATE events SET payload = replace(payload, '\"priority\":', '\"priority\":\"high\",\"was\":') WHERE seq = ?1", [seq])
        .unwrap();
    let err = Journal::open(&db).unwrap().incident_events(IncidentId(id)).unwrap_err().to_string();
    assert!(err.contains(&format!("event {seq} (received): field priority: invalid type: string \"high\"")), "{err}");
    let r = verify(&db).unwrap();
    assert_eq!(r.first_bad_seq, Some(seq), "the hash no longer fits either: {r:?}");

    // In a column: a time that is text.
    let db2 = seeded(&dir.path().join("b"), 0);
    let c = shell(&db2);
    let seq: i64 = c.query_row("SELECT MIN(seq) FROM events WHERE kind = 'dispatched'", [], |r| r.get(0)).unwrap();
    c.execute("UPDATE events SET at_utc = 'yesterday' WHERE seq = ?1", [seq]).unwrap();
    let err = Journal::open(&db2).unwrap().events_between(1, seq).unwrap_err().to_string();
    assert!(err.contains(&format!("event {seq} (dispatched): column at_utc holds text")), "{err}");
    let r = verify(&db2).unwrap();
    assert_eq!(r.first_bad_seq, Some(seq));
    assert!(bad(&r).contains("column at_utc holds text"), "{r:?}");

    // In an import line.
    let clean = seeded(&dir.path().join("c"), 0);
    let text = export(&clean, &dir.path().join("export.jsonl"));
    let text = with_line(&text, 1, |l| l.replacen("\"at_utc\":", "\"at_utc\":\"noon\",\"x\":", 1));
    let (code, _, err, _) = import(dir.path(), "typed", &text, &[]);
    assert_eq!(code, 2);
    assert!(err.contains("line 1: field at_utc: invalid type: string \"noon\""), "{err}");
}

#[test]
fn a_report_and_an_export_carry_the_journal_head() {
    let dir = tempfile::tempdir().unwrap();
    let db = seeded(dir.path(), 0);
    let head = Journal::open(&db).unwrap().head().unwrap().unwrap();
    let line = format!("journal head: seq {} hash {}", head.seq, head.hash);
    let report = |extra: &[&str]| {
        let mut args = vec!["report", "--db", s(&db), "--from", "2026-05-01", "--to", "2026-05-03"];
        args.extend_from_slice(extra);
        let (code, out, err) = tidewatch(&args);
        assert_eq!(code, 0, "{err}");
        out
    };
    assert!(report(&[]).contains(&line));
    assert!(report(&["--csv"]).trim_end().ends_with(&format!("# {line}")));
    let json: serde_json::Value = serde_json::from_str(&report(&["--json"])).unwrap();
    assert_eq!(json["response"]["journal_head"]["seq"], head.seq);
    assert_eq!(json["response"]["journal_head"]["hash"], head.hash);
    let text = export(&db, &dir.path().join("export.jsonl"));
    let last: serde_json::Value = serde_json::from_str(text.lines().last().unwrap()).unwrap();
    assert_eq!(last["journal_head"]["seq"], head.seq);
    assert_eq!(last["journal_head"]["hash"], head.hash);
}
