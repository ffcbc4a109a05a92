//! `journal import` under damaged input: a valid export mutated at random (bytes, cut
//! lines, multi-byte text, huge numbers, wrong types, lines moved, dropped or repeated).
//! The import must never panic, and must either import a chain that verifies or refuse
//! with an error naming a line, writing nothing.
//!
//! The default run is short (64 cases, a few seconds); `FUZZ_CASES=5000 cargo test
//! --release -p tidewatch --test fuzz_import` runs longer.

mod support;

use std::sync::OnceLock;

use proptest::prelude::*;
use tidewatch_journal::{verify, Journal};
use tidewatch_workstation::desk::{export_events, import_events};

use support::demo::demo_journal;

/// A valid export of a two-day synthetic history, made once.
fn base() -> &'static [Vec<u8>] {
    static BASE: OnceLock<Vec<Vec<u8>>> = OnceLock::new();
    BASE.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("base.db");
        demo_journal(&db, "2026-08-01", "2026-08-03", 12.0, 21);
        let mut out = Vec::new();
        export_events(&Journal::open(&db).unwrap(), &mut out).unwrap();
        out.split_inclusive(|&b| b == b'\n').map(<[u8]>::to_vec).collect()
    })
}

#[derive(Debug, Clone)]
enum Mutation {
    /// Overwrite bytes of a line at a position with random bytes (maybe not UTF-8).
    Bytes {
        line: usize,
        at: usize,
        bytes: Vec<u8>,
    },
    /// Cut a line short at a byte (maybe inside a character).
    CutLine {
        line: usize,
        at: usize,
    },
    /// Put multi-byte text inside a JSON string of a line.
    Multibyte {
        line: usize,
        nth: usize,
        text: String,
    },
    /// Replace the text of a JSON string value with multi-byte characters of the same
    /// byte length (a 64-byte hash of 32 two-byte characters).
    SameLength {
        line: usize,
        nth: usize,
    },
    /// Replace a number of a line with one no event field can hold.
    HugeNumber {
        line: usize,
        nth: usize,
        which: usize,
    },
    /// Replace a value of a line with one of another type.
    WrongType {
        line: usize,
        nth: usize,
        which: usize,
    },
    Swap {
        a: usize,
        b: usize,
    },
    Drop {
        line: usize,
    },
    Repeat {
        line: usize,
    },
    /// Cut the file at a byte.
    CutFile {
        at: usize,
    },
}

const HUGE: [&str; 6] = ["99999999999999999999999999", "1e400", "-9223372036854775809", "18446744073709551616", "-0.0", "4294967296"];
const WRONG: [&str; 7] = ["\"x\"", "null", "[]", "{}", "true", "\"ｈａｓｈ\"", "[1,2,{\"kind\":3}]"];

fn mutation() -> impl Strategy<Value = Mutation> {
    let n = any::<usize>();
    prop_oneof![
        (n, n, proptest::collection::vec(any::<u8>(), 1..8)).prop_map(|(line, at, bytes)| Mutation::Bytes { line, at, bytes }),
        (n, n).prop_map(|(line, at)| Mutation::CutLine { line, at }),
        (n, n, "[é漢字🌊ß\u{0301}]{1,40}").prop_map(|(line, nth, text)| Mutation::Multibyte { line, nth, text }),
        (n, n).prop_map(|(line, nth)| Mutation::SameLength { line, nth }),
        (n, n, n).prop_map(|(line, nth, which)| Mutation::HugeNumber { line, nth, which }),
        (n, n, n).prop_map(|(line, nth, which)| Mutation::WrongType { line, nth, which }),
        (n, n).prop_map(|(a, b)| Mutation::Swap { a, b }),
        n.prop_map(|line| Mutation::Drop { line }),
        n.prop_map(|line| Mutation::Repeat { line }),
        n.prop_map(|at| Mutation::CutFile { at }),
    ]
}

/// Byte ranges of the `nth` (mod count) match of `is_match` runs in `line`.
fn nth_run(line: &[u8], nth: usize, start: impl Fn(&[u8], usize) -> Option<usize>) -> Option<(usize, usize)> {
    let runs: Vec<(usize, usize)> = (0..line.len()).filter_map(|i| start(line, i).map(|end| (i, end))).collect();
    (!runs.is_empty()).then(|| runs[nth % runs.len()])
}

/// A run of digits starting at `i` (not inside a longer run).
fn number_at(l: &[u8], i: usize) -> Option<usize> {
    let digit = |b: u8| b.is_ascii_digit();
    if !digit(l[i]) || (i > 0 && (digit(l[i - 1]) || l[i - 1] == b'.' || l[i - 1] == b'-')) {
        return None;
    }
    Some((i..l.len()).find(|&j| !(digit(l[j]) || l[j] == b'.')).unwrap_or(l.len()))
}

/// A JSON value after `":` at `i`, up to the next `,` or `}` (crude, as fuzz should be).
fn value_at(l: &[u8], i: usize) -> Option<usize> {
    if i < 2 || l[i - 1] != b':' || l[i - 2] != b'"' {
        return None;
    }
    Some((i..l.len()).find(|&j| l[j] == b',' || l[j] == b'}').unwrap_or(l.len()))
}

/// The text of a JSON string value starting at `i` (after `":"`), up to its closing quote.
fn string_value_at(l: &[u8], i: usize) -> Option<usize> {
    if i < 3 || &l[i - 3..i] != b"\":\"" {
        return None;
    }
    (i..l.len()).find(|&j| l[j] == b'"' && l[j - 1] != b'\\')
}

fn apply(lines: &mut Vec<Vec<u8>>, m: &Mutation) {
    if lines.is_empty() {
        return;
    }
    let k = lines.len();
    let splice = |l: &mut Vec<u8>, (a, b): (usize, usize), with: &[u8]| {
        l.splice(a..b, with.iter().copied());
    };
    match m {
        Mutation::Bytes { line, at, bytes } => {
            let l = &mut lines[line % k];
            let a = at % l.len().max(1);
            let b = (a + bytes.len()).min(l.len());
            splice(l, (a, b), bytes);
        }
        Mutation::CutLine { line, at } => {
            let l = &mut lines[line % k];
            l.truncate(at % l.len().max(1));
            l.push(b'\n');
        }
        Mutation::Multibyte { line, nth, text } => {
            let l = &mut lines[line % k];
            let quote = nth_run(l, *nth, |l, i| (l[i] == b'"').then_some(i + 1));
            if let Some((_, after)) = quote {
                splice(l, (after, after), text.as_bytes());
            }
        }
        Mutation::SameLength { line, nth } => {
            let l = &mut lines[line % k];
            if let Some((a, b)) = nth_run(l, *nth, string_value_at) {
                let text = "é".repeat((b - a) / 2) + if (b - a) % 2 == 1 { "a" } else { "" };
                splice(l, (a, b), text.as_bytes());
            }
        }
        Mutation::HugeNumber { line, nth, which } => {
            let l = &mut lines[line % k];
            if let Some(r) = nth_run(l, *nth, number_at) {
                splice(l, r, HUGE[which % HUGE.len()].as_bytes());
            }
        }
        Mutation::WrongType { line, nth, which } => {
            let l = &mut lines[line % k];
            if let Some(r) = nth_run(l, *nth, value_at) {
                splice(l, r, WRONG[which % WRONG.len()].as_bytes());
            }
        }
        Mutation::Swap { a, b } => lines.swap(a % k, b % k),
        Mutation::Drop { line } => {
            lines.remove(line % k);
        }
        Mutation::Repeat { line } => {
            let l = lines[line % k].clone();
            lines.insert(line % k, l);
        }
        Mutation::CutFile { at } => {
            let mut all: Vec<u8> = lines.concat();
            all.truncate(at % all.len().max(1));
            *lines = all.split_inclusive(|&b| b == b'\n').map(<[u8]>::to_vec).collect();
        }
    }
}

fn cases() -> u32 {
    std::env::var("FUZZ_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(64)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn import_never_panics_and_either_verifies_or_names_a_line(ms in proptest::collection::vec(mutation(), 1..4)) {
        let mut lines = base().to_vec();
        for m in &ms {
            apply(&mut lines, m);
        }
        let input = lines.concat();
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("import.db");
        let mut j = Journal::open(&db).unwrap();
        match import_events(&mut j, &mut input.as_slice(), chrono::Utc::now().timestamp()) {
            Ok(s) => {
                drop(j);
                let r = verify(&db).unwrap();
                prop_assert!(r.ok, "imported a chain that does not verify: {r:?}");
                prop_assert_eq!(r.events as u64, s.events + 1, "every event and the import itself");
            }
            Err(e) => {
                let msg = e.to_string();
                prop_assert!(msg.starts_with("line "), "the error names no line: {msg}");
                prop_assert_eq!(j.last_seq(), 0, "a refused file writes nothing");
            }
        }
    }
}

#[test]
fn the_unmutated_export_imports() {
    let input = base().concat();
    let dir = tempfile::tempdir().unwrap();
    let mut j = Journal::open(&dir.path().join("import.db")).unwrap();
    let s = import_events(&mut j, &mut input.as_slice(), chrono::Utc::now().timestamp()).unwrap();
    assert_eq!(s.events as usize, base().len() - 1, "every line but the head");
    assert!(s.rechained.is_none());
}
