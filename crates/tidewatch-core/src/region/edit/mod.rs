//! Editing a region pack from the desk (administrators): move or rename a place, change a
//! ferry timetable, close or reopen a bridge or ferry route.
//!
//! An edit never touches the pack it was loaded from in place. It is applied to a staging
//! copy, the staging copy is loaded with the real loader ([`Region::load`]), and only a pack
//! without errors replaces the desk's editable copy (`user_copy`, in the app-data
//! directory). A refused edit leaves every file as it was and says, for each loader error,
//! which form field (and which departure) it belongs to.

mod csv_text;
pub mod overlay;
pub mod patch;

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{DayType, PackError, ProblemKind, ProblemParams, Region};
use crate::geo_math::haversine_m;
use crate::time::TimeOfDay;
use crate::Error;
use csv_text::CsvText;

/// One change an administrator saves.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RegionEdit {
    /// New coordinates for a place (it must stay on its island).
    MovePlace {
        place: String,
        lon: f64,
        lat: f64,
    },
    RenamePlace {
        place: String,
        name_zh: String,
        name_en: String,
    },
    /// The departures of one route, from one of its piers, on one `day_type` as the file
    /// writes it (`weekday`, `weekend`, `holiday`, `daily`): replaces that list.
    SetTimetable {
        route: String,
        from: String,
        day_type: String,
        departures: Vec<String>,
    },
    /// Closes (with a reason) or reopens a bridge or a ferry route in the pack.
    SetLinkStatus {
        link: String,
        closed: bool,
        reason: String,
    },
}

impl RegionEdit {
    /// The id of the place, route or bridge edited.
    pub fn row_id(&self) -> &str {
        match self {
            RegionEdit::MovePlace { place, .. } | RegionEdit::RenamePlace { place, .. } => place,
            RegionEdit::SetTimetable { route, .. } => route,
            RegionEdit::SetLinkStatus { link, .. } => link,
        }
    }
}

/// A problem with an edit, placed next to the form field it is about.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct EditProblem {
    /// The pack column it is about (`lon`, `depart`, `closed_reason`, ...); `None` when it
    /// is about the pack as a whole (e.g. a road graph the move disconnects).
    pub field: Option<String>,
    /// For a timetable: which departure of the list.
    pub index: Option<usize>,
    /// In English; a UI words the problem in its own language from `kind` and `params`
    /// when it knows the kind, and shows this with it.
    pub message: String,
    /// Where the loader found it in the staged copy, `file:line`.
    pub at: String,
    /// What the problem is, for those an edit can cause; `None` for any other loader error.
    #[ts(inline)]
    pub kind: Option<ProblemKind>,
    #[ts(inline)]
    pub params: ProblemParams,
}

/// One row an edit changed, for the journal.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RowChange {
    pub file: String,
    pub row: String,
    pub change: String,
}

pub enum EditResult {
    /// The new pack is in `user_copy`; the region is loaded from it.
    Saved { region: Box<Region>, change: RowChange },
    /// Nothing was written.
    Refused(Vec<EditProblem>),
}

/// Applies `edit` to the pack of `region` and, when the result loads cleanly, makes it the
/// pack in `user_copy` (created on the first edit). `operator` and `date` go into the
/// edited rows' `source`.
pub fn save(region: &Region, user_copy: &Path, edit: &RegionEdit, operator: &str, date: NaiveDate) -> Result<EditResult, Error> {
    let note = format!("manual edit by {operator} on {date}");
    let staging = sibling(user_copy, "staging")?;
    copy_dir(&region.dir, &staging)?;
    let outcome = stage(region, &staging, edit, &note).and_then(|staged| match staged {
        Err(problems) => Ok(EditResult::Refused(problems)),
        Ok((written, change)) => match Region::load(&staging) {
            Err(errors) => Ok(EditResult::Refused(problems(&errors.0, &written, edit.row_id()))),
            Ok(mut new_region) => {
                swap_in(&staging, user_copy)?;
                new_region.dir = user_copy.to_path_buf();
                Ok(EditResult::Saved { region: Box::new(new_region), change })
            }
        },
    });
    // Gone after a swap; after a refusal or an error it is discarded.
    let _ = std::fs::remove_dir_all(&staging);
    outcome
}

/// The rows an edit wrote, per file: (file, 1-based line, edit item).
type Written = Vec<(String, u64, usize)>;

/// Writes the edit into the staging copy: the rows written and the journal line, or the
/// problems found before the loader runs (unknown ids are errors, not problems).
fn stage(region: &Region, dir: &Path, edit: &RegionEdit, note: &str) -> Result<Result<(Written, RowChange), Vec<EditProblem>>, Error> {
    let mut files: Vec<CsvText> = Vec::new();
    let change = match edit {
        RegionEdit::MovePlace { place, lon, lat } => {
            let old = region.place(&place.as_str().into()).ok_or_else(|| Error::unknown("place", place.clone()))?;
            if !lon.is_finite() || !lat.is_finite() {
                return Ok(Err(vec![problem(
                    "lon",
                    None,
                    ProblemKind::NotANumber,
                    "the coordinates are not numbers".into(),
                    "places.csv",
                )]));
            }
            let mut places = open(dir, "places.csv")?;
            let row = places.find("id", place).ok_or_else(|| Error::unknown("place", place.clone()))?;
            let what = format!("moved from {:.5},{:.5} to {lon:.5},{lat:.5}", old.lon, old.lat);
            places.set(row, "lon", &coordinate(*lon))?;
            places.set(row, "lat", &coordinate(*lat))?;
            mark(&mut places, row, note, &what)?;
            files.push(places);
            files.push(regenerate_roads(region, dir, place, (*lon, *lat))?);
            RowChange { file: "places.csv".into(), row: place.clone(), change: what }
        }
        RegionEdit::RenamePlace { place, name_zh, name_en } => {
            let old = region.place(&place.as_str().into()).ok_or_else(|| Error::unknown("place", place.clone()))?;
            if name_zh.trim().is_empty() {
                return Ok(Err(vec![problem("name_zh", None, ProblemKind::NameEmpty, "name_zh is empty".into(), "places.csv")]));
            }
            let mut places = open(dir, "places.csv")?;
            let row = places.find("id", place).ok_or_else(|| Error::unknown("place", place.clone()))?;
            let what = format!("renamed from {} / {} to {} / {}", old.name_zh, old.name_en, name_zh.trim(), name_en.trim());
            places.set(row, "name_zh", name_zh.trim())?;
            places.set(row, "name_en", name_en.trim())?;
            mark(&mut places, row, note, &what)?;
            files.push(places);
            RowChange { file: "places.csv".into(), row: place.clone(), change: what }
        }
        RegionEdit::SetTimetable { route, from, day_type, departures } => {
            let r = region.ferry_routes.iter().find(|r| r.id.0 == *route).ok_or_else(|| Error::unknown("ferry route", route.clone()))?;
            if r.from.0 != *from && r.to.0 != *from {
                return Err(Error::invalid("from", format!("'{from}' is not a pier of route '{route}'")));
            }
            if !["weekday", "weekend", "holiday", "daily"].contains(&day_type.as_str()) {
                return Err(Error::invalid("day_type", format!("'{day_type}' is not weekday, weekend, holiday or daily")));
            }
            let mut problems = Vec::new();
            for (i, d) in departures.iter().enumerate() {
                if departures[..i].iter().any(|x| x.trim() == d.trim()) {
                    let mut p =
                        problem("depart", Some(i), ProblemKind::ListedTwice, format!("{} is listed twice", d.trim()), "sailings.csv");
                    p.params.value = Some(d.trim().to_string());
                    problems.push(p);
                }
            }
            if !problems.is_empty() {
                return Ok(Err(problems));
            }
            let mut sailings = open(dir, "sailings.csv")?;
            let what = set_timetable(&mut sailings, route, from, day_type, departures, note);
            files.push(sailings);
            RowChange { file: "sailings.csv".into(), row: format!("{route} from {from} ({day_type})"), change: what }
        }
        RegionEdit::SetLinkStatus { link, closed, reason } => {
            let file = if region.bridges.iter().any(|b| b.id.0 == *link) {
                "bridges.csv"
            } else if region.ferry_routes.iter().any(|f| f.id.0 == *link) {
                "ferry_routes.csv"
            } else {
                return Err(Error::unknown("bridge or ferry route", link.clone()));
            };
            if *closed && reason.trim().is_empty() {
                return Ok(Err(vec![problem("closed_reason", None, ProblemKind::ReasonMissing, "say why it is closed".into(), file)]));
            }
            let mut csv = open(dir, file)?;
            csv.ensure_column("status");
            csv.ensure_column("closed_reason");
            let row = csv.find("id", link).ok_or_else(|| Error::unknown("bridge or ferry route", link.clone()))?;
            let what = if *closed { format!("closed: {}", reason.trim()) } else { "reopened".to_string() };
            csv.set(row, "status", if *closed { "closed" } else { "open" })?;
            csv.set(row, "closed_reason", if *closed { reason.trim() } else { "" })?;
            mark(&mut csv, row, note, &what)?;
            files.push(csv);
            RowChange { file: file.into(), row: link.clone(), change: what }
        }
    };
    let mut written = Vec::new();
    for f in &files {
        let (text, rows) = f.render();
        std::fs::write(dir.join(&f.name), text)?;
        written.extend(rows.into_iter().map(|(line, item)| (f.name.clone(), line, item)));
    }
    Ok(Ok((written, change)))
}

/// Replaces the rows of one (route, from, day_type) list. Departures already in the file
/// keep their rows (and sources); new ones get rows noting the edit; the list goes where
/// the old one was (or after the route's other rows), in time order.
fn set_timetable(f: &mut CsvText, route: &str, from: &str, day_type: &str, departures: &[String], note: &str) -> String {
    let in_list =
        |f: &CsvText, r: &csv_text::Record| f.get(r, "route") == route && f.get(r, "from") == from && f.get(r, "day_type") == day_type;
    let at = f
        .records
        .iter()
        .position(|r| in_list(f, r))
        .or_else(|| f.records.iter().rposition(|r| f.get(r, "route") == route).map(|i| i + 1))
        .unwrap_or(f.records.len());
    let mut old: Vec<csv_text::Record> = Vec::new();
    let mut i = 0;
    let mut insert_at = at;
    while i < f.records.len() {
        if in_list(f, &f.records[i]) {
            old.push(f.records.remove(i));
            if i < at {
                insert_at -= 1;
            }
        } else {
            i += 1;
        }
    }
    let old_times: Vec<String> = old.iter().map(|r| f.get(r, "depart").to_string()).collect();
    let mut order: Vec<usize> = (0..departures.len()).collect();
    order.sort_by_key(|&i| departures[i].trim().to_string());
    let mut rows = Vec::new();
    for i in order {
        let d = departures[i].trim();
        match old_times.iter().position(|t| t == d) {
            Some(k) => {
                let mut kept = std::mem::replace(&mut old[k], f.new_record(0));
                kept.edit_item = Some(i);
                rows.push(kept);
            }
            None => {
                let mut r = f.new_record(i);
                for (col, v) in
                    [("route", route), ("from", from), ("day_type", day_type), ("depart", d), ("source", note), ("confidence", "medium")]
                {
                    if let Some(c) = f.column(col) {
                        r.fields[c] = v.to_string();
                    }
                }
                rows.push(r);
            }
        }
    }
    for (k, r) in rows.into_iter().enumerate() {
        f.records.insert(insert_at + k, r);
    }
    let new: Vec<&str> = departures.iter().map(|d| d.trim()).collect();
    let removed: Vec<&str> = old_times.iter().map(String::as_str).filter(|t| !new.contains(t)).collect();
    let added: Vec<&str> = new.iter().copied().filter(|t| !old_times.iter().any(|o| o == t)).collect();
    let mut what = Vec::new();
    if !added.is_empty() {
        what.push(format!("added {}", added.join(" ")));
    }
    if !removed.is_empty() {
        what.push(format!("removed {}", removed.join(" ")));
    }
    if what.is_empty() {
        "no change".into()
    } else {
        what.join("; ")
    }
}

/// Generated road links (`source` starting `generated`) are straight line × detour factor:
/// moving one of their ends changes their length, so they are recomputed. Measured roads
/// keep their lengths.
fn regenerate_roads(region: &Region, dir: &Path, place: &str, at: (f64, f64)) -> Result<CsvText, Error> {
    let mut roads = open(dir, "roads.csv")?;
    let detour = region.meta.defaults.detour_factor;
    for row in 0..roads.records.len() {
        let r = &roads.records[row];
        let (from, to) = (roads.get(r, "from").to_string(), roads.get(r, "to").to_string());
        if (from != place && to != place) || !roads.get(r, "source").starts_with("generated") {
            continue;
        }
        let other = if from == place { &to } else { &from };
        let Some(o) = region.place(&other.as_str().into()) else { continue };
        let length = (haversine_m(at, (o.lon, o.lat)) * detour).round().max(1.0);
        roads.set(row, "length_m", &format!("{length:.0}"))?;
        // Not the edited row itself: a loader error here is about the pack as a whole.
        roads.records[row].edit_item = None;
    }
    Ok(roads)
}

fn mark(f: &mut CsvText, row: usize, note: &str, what: &str) -> Result<(), Error> {
    let earlier = f.get(&f.records[row], "source").to_string();
    let source = if earlier.is_empty() { format!("{note}: {what}") } else { format!("{note}: {what}; earlier source: {earlier}") };
    f.set(row, "source", &source)?;
    // A person checked it on a map or a notice, but it has no citable source of its own.
    f.set(row, "confidence", "medium")
}

fn open(dir: &Path, name: &str) -> Result<CsvText, Error> {
    CsvText::parse(name, &std::fs::read_to_string(dir.join(name))?)
}

fn coordinate(x: f64) -> String {
    let s = format!("{x:.6}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

fn problem(field: &str, index: Option<usize>, kind: ProblemKind, message: String, file: &str) -> EditProblem {
    EditProblem { field: Some(field.into()), index, message, at: file.into(), kind: Some(kind), params: ProblemParams::default() }
}

/// The loader's errors as the form shows them. An error on the edited row usually makes
/// the loader drop that row, and then every reference to it fails too ("'x' is not a
/// place"); those echoes are left out when the cause itself is on the form.
fn problems(errors: &[PackError], written: &Written, row_id: &str) -> Vec<EditProblem> {
    let all: Vec<EditProblem> = errors.iter().map(|e| place_problem(e, written)).collect();
    let echo = format!("'{row_id}' is not");
    if all.iter().any(|p| p.field.is_some()) {
        all.into_iter().filter(|p| p.field.is_some() || !p.message.contains(&echo)).collect()
    } else {
        all
    }
}

/// A loader error on a row the edit wrote belongs to the edit's field; any other is about
/// the pack as a whole.
fn place_problem(e: &PackError, written: &Written) -> EditProblem {
    let on_edit = e.line.and_then(|line| written.iter().find(|(f, l, _)| *f == e.file && *l == line));
    let at = match e.line {
        Some(line) => format!("{}:{line}", e.file),
        None => e.file.clone(),
    };
    match on_edit {
        Some((_, _, item)) => EditProblem {
            field: e.field.clone(),
            index: (e.file == "sailings.csv").then_some(*item),
            message: e.message.clone(),
            at,
            kind: e.kind,
            params: e.params.clone(),
        },
        None => EditProblem { field: None, index: None, message: e.message.clone(), at, kind: e.kind, params: e.params.clone() },
    }
}

/// `<dir>/../.<name>.<what>-<pid>-<n>`, a name nothing uses yet: on the same file system, so
/// renames are atomic. Unique by the process and a counter, not the wall clock (the core
/// never reads it); a leftover of a crashed run with the same pid is stepped over.
fn sibling(dir: &Path, what: &str) -> Result<PathBuf, Error> {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let parent = dir.parent().ok_or_else(|| Error::invalid("pack", format!("{} has no parent folder", dir.display())))?;
    std::fs::create_dir_all(parent)?;
    let name = dir.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_else(|| "region".into());
    loop {
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let path = parent.join(format!(".{name}.{what}-{}-{n}", std::process::id()));
        if !path.exists() {
            return Ok(path);
        }
    }
}

fn copy_dir(from: &Path, to: &Path) -> Result<(), Error> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), target)?;
        }
    }
    Ok(())
}

/// Puts the validated staging folder where the editable copy lives. The old copy is moved
/// aside first and put back if the swap fails.
fn swap_in(staging: &Path, user_copy: &Path) -> Result<(), Error> {
    if !user_copy.exists() {
        std::fs::rename(staging, user_copy)?;
        return Ok(());
    }
    let previous = sibling(user_copy, "previous")?;
    std::fs::rename(user_copy, &previous)?;
    if let Err(e) = std::fs::rename(staging, user_copy) {
        std::fs::rename(&previous, user_copy)?;
        return Err(e.into());
    }
    let _ = std::fs::remove_dir_all(&previous);
    Ok(())
}

/// One ferry list as the editor shows it: a route's departures from one pier on one
/// `day_type` (as the file writes it).
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct Timetable {
    pub from: String,
    pub day_type: String,
    pub departures: Vec<String>,
}

/// A route's timetables: for both piers, weekday / weekend / holiday (empty lists included
/// so departures can be added), and `daily` where the file has it.
pub fn timetables(region: &Region, route: &str) -> Vec<Timetable> {
    let Some(r) = region.ferry_routes.iter().find(|r| r.id.0 == route) else {
        return Vec::new();
    };
    let name = |types: &[DayType]| match types {
        [DayType::Weekday] => "weekday",
        [DayType::Weekend] => "weekend",
        [DayType::Holiday] => "holiday",
        _ => "daily",
    };
    let mut out = Vec::new();
    for from in [&r.from, &r.to] {
        for day_type in ["daily", "weekday", "weekend", "holiday"] {
            let mut departures: Vec<TimeOfDay> = region
                .sailings
                .iter()
                .filter(|s| s.route == r.id && &s.from == from && name(&s.day_types) == day_type)
                .map(|s| s.depart)
                .collect();
            if day_type == "daily" && departures.is_empty() {
                continue;
            }
            departures.sort();
            out.push(Timetable {
                from: from.0.clone(),
                day_type: day_type.into(),
                departures: departures.iter().map(|t| t.to_string()).collect(),
            });
        }
    }
    out
}
