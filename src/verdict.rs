//! The audit's verdict in words, for `audit verify --db` and `--pg` alike.

/// The audit's verdict for people: what was checked, and what a check without a seal
/// cannot see.
pub fn audit_text(db: &str, r: &tidewatch_journal::AuditReport, sealed: bool) -> String {
    if !r.ok {
        let at = r.first_bad_seq.map(|s| format!(" at event {s}")).unwrap_or_default();
        return format!("{db}: TAMPERED{at}: {}", r.problem.as_deref().unwrap_or(""));
    }
    let head = r.head.as_ref().map(|h| format!("; head {h}")).unwrap_or_default();
    let mut text = format!("{db}: OK, {} events, hash chain intact, read models and accounts match the events{head}", r.events);
    match r.after_seal {
        Some(0) => text.push_str("\nthe sealed event is the head: nothing was written after the seal"),
        Some(n) => text.push_str(&format!(
            "\nthe sealed event is intact; {n} event{} after the seal, which the seal does not cover (seal again to anchor them)",
            if n == 1 { "" } else { "s" }
        )),
        None if !sealed => text.push_str(
            "\nno seal given: a cut tail, an emptied journal or a re-chained edit show only against a seal (audit seal, audit verify --seal)",
        ),
        None => {}
    }
    text
}
