//! Corrections that last: the region editor's edits of a desk's copy, exported as a patch
//! (one CSV row per correction: who, when, what, where it came from) and applied to a newer
//! version of the shipped pack, so that an office keeps its corrections across an update.
//!
//! Export compares the edited copy with the pack it was copied from (`base`): every place
//! moved or renamed, every timetable list changed, every bridge or route closed or
//! reopened is one row, with the value before (`old`) and after (`new`). Apply replays the
//! rows through the editor's own [`save`](super::save) (same checks, same staging copy,
//! same `manual edit by <who> on <when>` note) on the newer pack: a row whose field the
//! newer pack still holds at `old` is applied, one already at `new` is skipped, and one
//! the newer pack changed itself is a conflict: reported, not applied.

use std::path::Path;

use chrono::NaiveDate;

use super::{timetables, EditResult, RegionEdit};
use crate::region::{LinkStatus, Region};
use crate::Error;

pub const HEADER: [&str; 10] = ["who", "when", "kind", "id", "from", "day_type", "old", "new", "what", "source"];

/// One correction.
#[derive(Debug, Clone, PartialEq)]
pub struct PatchRow {
    /// The operator the edit note names; empty when the row carries no note.
    pub who: String,
    /// `YYYY-MM-DD` from the note; empty when none.
    pub when: String,
    pub edit: RegionEdit,
    /// The value in the pack the correction was made on, as `new` writes it.
    pub old: String,
    /// What the edit note said, and the row's `source` (the edit note and what it replaced).
    pub what: String,
    pub source: String,
}

impl PatchRow {
    /// The value the edit writes, in the patch's words.
    pub fn new_value(&self) -> String {
        match &self.edit {
            RegionEdit::MovePlace { lon, lat, .. } => coords(*lon, *lat),
            RegionEdit::RenamePlace { name_zh, name_en, .. } => format!("{name_zh}|{name_en}"),
            RegionEdit::SetTimetable { departures, .. } => departures.join(" "),
            RegionEdit::SetLinkStatus { closed, reason, .. } => status_text(*closed, reason),
        }
    }

    fn kind(&self) -> &'static str {
        match self.edit {
            RegionEdit::MovePlace { .. } => "move_place",
            RegionEdit::RenamePlace { .. } => "rename_place",
            RegionEdit::SetTimetable { .. } => "set_timetable",
            RegionEdit::SetLinkStatus { .. } => "set_link_status",
        }
    }

    /// A short name for reports: `move_place pier_damao`.
    pub fn label(&self) -> String {
        match &self.edit {
            RegionEdit::SetTimetable { route, from, day_type, .. } => format!("set_timetable {route} from {from} ({day_type})"),
            e => format!("{} {}", self.kind(), e.row_id()),
        }
    }
}

fn coords(lon: f64, lat: f64) -> String {
    format!("{lon:.6} {lat:.6}")
}

fn status_text(closed: bool, reason: &str) -> String {
    if closed {
        format!("closed: {}", reason.trim())
    } else {
        "open".into()
    }
}

fn link_text(s: &LinkStatus) -> String {
    match s {
        LinkStatus::Open => "open".into(),
        LinkStatus::Closed { reason } => status_text(true, reason),
    }
}

/// `manual edit by <who> on <YYYY-MM-DD>: <what>; earlier source: …` → (who, when, what).
fn edit_note(source: &str) -> Option<(String, String, String)> {
    let rest = source.strip_prefix("manual edit by ")?;
    let (who, rest) = rest.split_once(" on ")?;
    let (when, rest) = rest.split_at_checked(10)?;
    NaiveDate::parse_from_str(when, "%Y-%m-%d").ok()?;
    let what = rest.strip_prefix(": ").unwrap_or(rest);
    let what = what.split("; earlier source: ").next().unwrap_or(what);
    Some((who.to_string(), when.to_string(), what.to_string()))
}

fn row(edit: RegionEdit, old: String, source: &str) -> PatchRow {
    let (who, when, what) = edit_note(source).unwrap_or_default();
    PatchRow { who, when, edit, old, what, source: source.to_string() }
}

/// The corrections that turn `base` into `edited`.
pub fn export(edited: &Region, base: &Region) -> Vec<PatchRow> {
    let mut out = Vec::new();
    for p in &edited.places {
        let Some(b) = base.place(&p.id) else { continue };
        if coords(p.lon, p.lat) != coords(b.lon, b.lat) {
            let edit = RegionEdit::MovePlace { place: p.id.0.clone(), lon: p.lon, lat: p.lat };
            out.push(row(edit, coords(b.lon, b.lat), &p.provenance.source));
        }
        if (&p.name_zh, &p.name_en) != (&b.name_zh, &b.name_en) {
            let edit = RegionEdit::RenamePlace { place: p.id.0.clone(), name_zh: p.name_zh.clone(), name_en: p.name_en.clone() };
            out.push(row(edit, format!("{}|{}", b.name_zh, b.name_en), &p.provenance.source));
        }
    }
    let links = edited.bridges.iter().map(|b| (&b.id.0, &b.status, &b.provenance.source));
    let routes = edited.ferry_routes.iter().map(|r| (&r.id.0, &r.status, &r.provenance.source));
    for (id, status, source) in links.chain(routes) {
        let before = base.bridges.iter().find(|b| b.id.0 == *id).map(|b| &b.status);
        let before = before.or_else(|| base.ferry_routes.iter().find(|r| r.id.0 == *id).map(|r| &r.status));
        if let Some(before) = before.filter(|b| link_text(b) != link_text(status)) {
            let (closed, reason) = match status {
                LinkStatus::Open => (false, String::new()),
                LinkStatus::Closed { reason } => (true, reason.clone()),
            };
            out.push(row(RegionEdit::SetLinkStatus { link: id.clone(), closed, reason }, link_text(before), source));
        }
    }
    out.extend(timetable_rows(edited, base));
    out
}

fn timetable_rows(edited: &Region, base: &Region) -> Vec<PatchRow> {
    let mut out = Vec::new();
    for route in &edited.ferry_routes {
        let before = timetables(base, &route.id.0);
        for t in timetables(edited, &route.id.0) {
            let old = before.iter().find(|b| b.from == t.from && b.day_type == t.day_type).map(|b| b.departures.join(" "));
            if old.as_deref() == Some(t.departures.join(" ").as_str()) || (old.is_none() && t.departures.is_empty()) {
                continue;
            }
            // the note of any row the editor wrote in this list (an emptied list has none)
            let source = edited
                .sailings
                .iter()
                .filter(|s| s.route == route.id && s.from.0 == t.from && edit_note(&s.provenance.source).is_some())
                .map(|s| s.provenance.source.clone())
                .next()
                .unwrap_or_default();
            let edit = RegionEdit::SetTimetable {
                route: route.id.0.clone(),
                from: t.from.clone(),
                day_type: t.day_type.clone(),
                departures: t.departures.clone(),
            };
            out.push(row(edit, old.unwrap_or_default(), &source));
        }
    }
    out
}

/// The patch as CSV text (header first).
pub fn to_csv(rows: &[PatchRow]) -> Result<String, Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let io = |e: csv::Error| Error::invalid("patch", e.to_string());
    w.write_record(HEADER).map_err(io)?;
    for r in rows {
        let (id, from, day_type) = match &r.edit {
            RegionEdit::SetTimetable { route, from, day_type, .. } => (route.clone(), from.clone(), day_type.clone()),
            e => (e.row_id().to_string(), String::new(), String::new()),
        };
        w.write_record([&r.who, &r.when, r.kind(), &id, &from, &day_type, &r.old, &r.new_value(), &r.what, &r.source]).map_err(io)?;
    }
    let bytes = w.into_inner().map_err(|e| Error::invalid("patch", e.to_string()))?;
    String::from_utf8(bytes).map_err(|e| Error::invalid("patch", e.to_string()))
}

/// Reads a patch; an error names `name:line` and the column.
pub fn parse(name: &str, text: &str) -> Result<Vec<PatchRow>, Error> {
    let mut r = csv::ReaderBuilder::new().from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let header = r.headers().map_err(|e| Error::invalid(format!("{name}:1"), e.to_string()))?.clone();
    if HEADER.iter().any(|h| !header.iter().any(|c| c == *h)) {
        return Err(Error::invalid(format!("{name}:1"), format!("the header must have the columns {}", HEADER.join(","))));
    }
    let mut out = Vec::new();
    for (i, rec) in r.records().enumerate() {
        let at = format!("{name}:{}", i + 2);
        let rec = rec.map_err(|e| Error::invalid(at.clone(), e.to_string()))?;
        let get = |c: &str| header.iter().position(|h| h == c).and_then(|k| rec.get(k)).unwrap_or("").to_string();
        let edit =
            parse_edit(&get("kind"), &get("id"), &get("from"), &get("day_type"), &get("new")).map_err(|m| Error::invalid(at.clone(), m))?;
        let when = get("when");
        if !when.is_empty() && NaiveDate::parse_from_str(&when, "%Y-%m-%d").is_err() {
            return Err(Error::invalid(at, format!("when '{when}' is not YYYY-MM-DD")));
        }
        out.push(PatchRow { who: get("who"), when, edit, old: get("old"), what: get("what"), source: get("source") });
    }
    Ok(out)
}

fn parse_edit(kind: &str, id: &str, from: &str, day_type: &str, new: &str) -> Result<RegionEdit, String> {
    if id.is_empty() {
        return Err("id is empty".into());
    }
    Ok(match kind {
        "move_place" => {
            let v: Vec<f64> = new.split_whitespace().filter_map(|x| x.parse().ok()).filter(|x: &f64| x.is_finite()).collect();
            let [lon, lat] = v[..] else { return Err(format!("new '{new}' is not 'lon lat'")) };
            RegionEdit::MovePlace { place: id.into(), lon, lat }
        }
        "rename_place" => {
            let Some((zh, en)) = new.split_once('|') else { return Err(format!("new '{new}' is not 'name_zh|name_en'")) };
            RegionEdit::RenamePlace { place: id.into(), name_zh: zh.into(), name_en: en.into() }
        }
        "set_timetable" => RegionEdit::SetTimetable {
            route: id.into(),
            from: from.into(),
            day_type: day_type.into(),
            departures: new.split_whitespace().map(str::to_string).collect(),
        },
        "set_link_status" => match new.strip_prefix("closed:") {
            Some(reason) => RegionEdit::SetLinkStatus { link: id.into(), closed: true, reason: reason.trim().into() },
            None if new == "open" => RegionEdit::SetLinkStatus { link: id.into(), closed: false, reason: String::new() },
            None => return Err(format!("new '{new}' is not 'open' or 'closed: <reason>'")),
        },
        other => return Err(format!("kind '{other}' is not move_place, rename_place, set_timetable or set_link_status")),
    })
}

/// What became of each row.
#[derive(Debug, Default)]
pub struct ApplyReport {
    pub applied: Vec<String>,
    pub already: Vec<String>,
    /// The row and why it was not applied.
    pub conflicts: Vec<(String, String)>,
}

/// The value `edit`'s field has in `region` now, in the patch's words (`None`: the row is
/// gone from the pack).
fn current(region: &Region, edit: &RegionEdit) -> Option<String> {
    match edit {
        RegionEdit::MovePlace { place, .. } => region.place(&place.as_str().into()).map(|p| coords(p.lon, p.lat)),
        RegionEdit::RenamePlace { place, .. } => region.place(&place.as_str().into()).map(|p| format!("{}|{}", p.name_zh, p.name_en)),
        RegionEdit::SetTimetable { route, from, day_type, .. } => {
            region.ferry_routes.iter().find(|r| r.id.0 == *route)?;
            let lists = timetables(region, route);
            Some(lists.iter().find(|t| t.from == *from && t.day_type == *day_type).map(|t| t.departures.join(" ")).unwrap_or_default())
        }
        RegionEdit::SetLinkStatus { link, .. } => {
            let b = region.bridges.iter().find(|b| b.id.0 == *link).map(|b| &b.status);
            b.or_else(|| region.ferry_routes.iter().find(|r| r.id.0 == *link).map(|r| &r.status)).map(link_text)
        }
    }
}

/// Applies `rows` to the pack at `pack`, writing the result to `out` (a copy of `pack`
/// first; `out` may be `pack` itself). `today` dates rows whose edit note had no date.
pub fn apply(pack: &Path, rows: &[PatchRow], out: &Path, today: NaiveDate) -> Result<ApplyReport, Error> {
    let mut region = Region::load(pack)?;
    if out != pack {
        if out.exists() {
            return Err(Error::invalid("out", format!("{} exists; name a new folder", out.display())));
        }
        super::copy_dir(pack, out)?;
        region.dir = out.to_path_buf();
    }
    let mut report = ApplyReport::default();
    for r in rows {
        let label = r.label();
        let new = r.new_value();
        match current(&region, &r.edit) {
            None => report.conflicts.push((label, "the newer pack has no such row".into())),
            Some(now) if now == new => report.already.push(label),
            Some(now) if now != r.old => {
                report.conflicts.push((label, format!("the patch changes '{}' to '{new}', but the newer pack has '{now}'", r.old)))
            }
            Some(_) => {
                let who = if r.who.is_empty() { "patch" } else { r.who.as_str() };
                let when = NaiveDate::parse_from_str(&r.when, "%Y-%m-%d").unwrap_or(today);
                match super::save(&region, out, &r.edit, who, when) {
                    Ok(EditResult::Saved { region: saved, .. }) => {
                        region = *saved;
                        report.applied.push(label);
                    }
                    Ok(EditResult::Refused(problems)) => {
                        let why: Vec<String> = problems.iter().map(|p| format!("{}: {}", p.at, p.message)).collect();
                        report.conflicts.push((label, format!("the newer pack refuses it: {}", why.join("; "))));
                    }
                    Err(e) => report.conflicts.push((label, e.to_string())),
                }
            }
        }
    }
    Ok(report)
}
