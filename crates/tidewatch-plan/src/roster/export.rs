//! Rosters out of the desk: an XLSX workbook (a summary, one sheet per island, one per
//! officer) and one iCalendar file per officer (RFC 5545, written by hand).

use std::collections::HashSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Datelike, Utc};
use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

use super::model::{Assignment, Roster, RosterOfficer};
use super::report::{Coverage, OfficerReport, Report};
use tidewatch_core::Error;
use tidewatch_report::both;

fn xlsx_err(e: XlsxError) -> Error {
    Error::invalid("xlsx", e.to_string())
}

/// A sheet name Excel accepts (≤ 31 characters, none of `[]:*?/\`), unique in the book.
fn sheet_name(raw: &str, used: &mut HashSet<String>) -> String {
    let clean: String =
        raw.chars().map(|c| if "[]:*?/\\".contains(c) { '_' } else { c }).collect::<String>().trim_matches('\'').chars().take(31).collect();
    let mut name = if clean.is_empty() { "sheet".to_string() } else { clean };
    let mut n = 2;
    while used.contains(&name.to_lowercase()) {
        let suffix = format!(" ({n})");
        name = name.chars().take(31 - suffix.chars().count()).collect::<String>() + &suffix;
        n += 1;
    }
    used.insert(name.to_lowercase());
    name
}

fn local_hm(roster: &Roster, t: DateTime<Utc>) -> String {
    match roster.tz() {
        Ok(tz) => t.with_timezone(&tz).format("%H:%M").to_string(),
        Err(_) => t.format("%H:%MZ").to_string(),
    }
}

/// Weekday names in both readers' languages (the office reads zh-CN, visitors English).
const WEEKDAYS: [&str; 7] = ["一 Mon", "二 Tue", "三 Wed", "四 Thu", "五 Fri", "六 Sat", "日 Sun"];

const AWAY: &str = "不在本岛 away from home island";
const ALL: &str = "全部 all";
const ORDINARY: &str = "平日 ordinary";
const PEAK: &str = "高峰 peak";

/// The workbook's cell formats: headings, peak days' headings, hours short of the need.
struct Styles {
    bold: Format,
    peak: Format,
    short: Format,
}

impl Styles {
    fn new() -> Styles {
        Styles {
            bold: Format::new().set_bold(),
            peak: Format::new().set_bold().set_background_color(0xFCE4D6),
            short: Format::new().set_background_color(0xF8CBAD),
        }
    }
}

/// Writes the workbook: `Summary`, then one sheet per island (officers × days, then on
/// duty / needed per hour × days), then one per officer (their shifts).
pub fn write_xlsx(roster: &Roster, report: &Report, path: &Path) -> Result<(), Error> {
    let mut book = Workbook::new();
    let styles = Styles::new();
    let mut used = HashSet::new();
    summary_sheet(book.add_worksheet(), report, &styles, &mut used).map_err(xlsx_err)?;
    for k in 0..roster.demand.len() {
        island_sheet(book.add_worksheet(), roster, k, &styles, &mut used).map_err(xlsx_err)?;
    }
    for (o, fig) in roster.officers.iter().zip(&report.officer_figures) {
        officer_sheet(book.add_worksheet(), roster, o, fig, &styles, &mut used).map_err(xlsx_err)?;
    }
    book.save(path).map_err(xlsx_err)
}

/// One heading cell per day of the period from column `col0` (peak days marked).
fn day_header(ws: &mut Worksheet, roster: &Roster, styles: &Styles, row: u32, col0: u16) -> Result<(), XlsxError> {
    for d in 0..roster.period.days {
        let date = roster.period.date(d);
        let label = format!("{} {}", date.format("%m-%d"), WEEKDAYS[date.weekday().num_days_from_monday() as usize]);
        let peak = roster.days.get(d as usize).is_some_and(|x| x.peak);
        ws.write_string_with_format(row, col0 + d as u16, label, if peak { &styles.peak } else { &styles.bold })?;
        ws.set_column_width(col0 + d as u16, 12)?;
    }
    Ok(())
}

/// Writes rows one under another: numbers as numbers, unless a format is given.
struct Lines<'w> {
    ws: &'w mut Worksheet,
    row: u32,
}

impl Lines<'_> {
    fn line(&mut self, cells: &[String], fmt: Option<&Format>) -> Result<(), XlsxError> {
        for (c, v) in cells.iter().enumerate() {
            match (v.parse::<f64>(), fmt) {
                (Ok(n), None) => self.ws.write_number(self.row, c as u16, n).map(|_| ())?,
                (_, Some(f)) => self.ws.write_string_with_format(self.row, c as u16, v, f).map(|_| ())?,
                (Err(_), None) => self.ws.write_string(self.row, c as u16, v).map(|_| ())?,
            }
        }
        self.row += 1;
        Ok(())
    }
}

/// The `Summary` sheet: the roster's figures, then coverage by island and kind of day.
fn summary_sheet(ws: &mut Worksheet, report: &Report, styles: &Styles, used: &mut HashSet<String>) -> Result<(), XlsxError> {
    ws.set_name(sheet_name("汇总 Summary", used))?;
    let mut lines = Lines { ws, row: 0 };
    summary_figures(&mut lines, report, styles)?;
    lines.line(&[], None)?;
    coverage_table(&mut lines, report, styles)?;
    lines.ws.set_column_width(0, 28)?;
    Ok(())
}

/// The summary's head: period, counts, overtime, requests, and the solver's objective.
fn summary_figures(lines: &mut Lines, report: &Report, styles: &Styles) -> Result<(), XlsxError> {
    lines.line(&[format!("{} 排班 roster，{} 起 from，{} 天 days", report.region, report.from, report.days)], Some(&styles.bold))?;
    lines.line(
        &[
            both("民警", "officers"),
            report.officers.to_string(),
            both("班次", "shifts"),
            report.shifts.to_string(),
            both("高峰日", "peak days"),
            report.peak_days.to_string(),
        ],
        None,
    )?;
    lines.line(
        &[
            both("加班小时", "overtime h"),
            format!("{:.1}", report.overtime_hours),
            both("满足的申请", "requests honoured"),
            format!("{}/{}", report.requests_honoured, report.requests),
        ],
        None,
    )?;
    if let (Some(o), Some(g)) = (report.objective, report.gap_pct) {
        let part = report.gap_part.clone().unwrap_or_default();
        lines.line(
            &[
                both("目标值", "objective"),
                format!("{o:.1}"),
                both("最大间隙 %", "largest gap %"),
                format!("{g:.2}"),
                both("所在部分", "in part"),
                part,
            ],
            None,
        )?;
    }
    Ok(())
}

/// Coverage of all islands, then of each, for all days, ordinary days and peak days.
fn coverage_table(lines: &mut Lines, report: &Report, styles: &Styles) -> Result<(), XlsxError> {
    let header = [
        ("岛屿", "island"),
        ("日类", "days"),
        ("覆盖率 %", "coverage %"),
        ("交警 %", "traffic %"),
        ("派出所 %", "station %"),
        ("不足小时", "under h"),
        ("超出小时", "over h"),
        ("在岗小时", "on duty h"),
        ("低于底线小时", "floor short h"),
        ("民警", "officers"),
        ("借调班次", "borrowed shifts"),
    ];
    lines.line(&header.map(|(zh, en)| both(zh, en)), Some(&styles.bold))?;
    for (what, c) in [(ALL, &report.all), (ORDINARY, &report.ordinary), (PEAK, &report.peak)] {
        lines.line(&coverage_row(both("（全部岛屿）", "(all islands)"), what, c, report.officers.to_string(), String::new()), None)?;
    }
    for i in &report.islands {
        for (what, c) in [(ALL, &i.all), (ORDINARY, &i.ordinary), (PEAK, &i.peak)] {
            lines.line(&coverage_row(i.name.clone(), what, c, i.officers.to_string(), i.borrowed_shifts.to_string()), None)?;
        }
    }
    Ok(())
}

/// One row of the coverage table.
fn coverage_row(name: String, what: &str, c: &Coverage, officers: String, borrowed: String) -> Vec<String> {
    vec![
        name,
        what.to_string(),
        format!("{:.1}", c.coverage_pct),
        format!("{:.1}", c.traffic_pct),
        format!("{:.1}", c.station_pct),
        c.under_hours.to_string(),
        c.over_hours.to_string(),
        c.on_duty_hours.to_string(),
        c.floor_short_hours.to_string(),
        officers,
        borrowed,
    ]
}

/// Island `k`'s sheet (demand index): its officers' shifts by day, then on duty / needed
/// by hour and day.
fn island_sheet(ws: &mut Worksheet, roster: &Roster, k: usize, styles: &Styles, used: &mut HashSet<String>) -> Result<(), XlsxError> {
    let dem = &roster.demand[k];
    ws.set_name(sheet_name(&format!("{} {}", dem.island, dem.name), used))?;
    ws.write_string_with_format(0, 0, format!("{} — 班次 shifts", dem.name), &styles.bold)?;
    ws.write_string_with_format(1, 0, both("民警", "officer"), &styles.bold)?;
    day_header(ws, roster, styles, 1, 1)?;
    ws.set_column_width(0, 22)?;
    let row = island_shifts(ws, roster, k)?;
    island_hours(ws, roster, k, styles, row + 1)?;
    ws.set_freeze_panes(2, 1)?;
    Ok(())
}

/// From row 2, a row per officer who works on island `k` or lives there, with their
/// shifts' times under the days; returns the row after the last.
fn island_shifts(ws: &mut Worksheet, roster: &Roster, k: usize) -> Result<u32, XlsxError> {
    let island = &roster.demand[k].island;
    let here: Vec<&Assignment> = roster.assignments.iter().filter(|a| &a.island == island).collect();
    let mut people: Vec<&str> = here.iter().map(|a| a.officer.as_str()).collect();
    for o in roster.officers.iter().filter(|o| &o.home_island == island) {
        people.push(o.id.as_str());
    }
    people.sort();
    people.dedup();
    let mut row = 2u32;
    for p in &people {
        let name = roster.officers.iter().find(|o| o.id.as_str() == *p).map_or("", |o| o.name.as_str());
        ws.write_string(row, 0, format!("{p} {name}"))?;
        for a in here.iter().filter(|a| a.officer.as_str() == *p) {
            let text = format!("{}–{}", local_hm(roster, a.start), local_hm(roster, a.end));
            ws.write_string(row, 1 + a.day as u16, text)?;
        }
        row += 1;
    }
    Ok(row)
}

/// From `row`, island `k`'s officers on duty / needed, an hour a row and a day a column
/// (short hours marked).
fn island_hours(ws: &mut Worksheet, roster: &Roster, k: usize, styles: &Styles, mut row: u32) -> Result<(), XlsxError> {
    ws.write_string_with_format(row, 0, both("在岗 / 需要，按小时", "on duty / needed, by hour"), &styles.bold)?;
    row += 1;
    ws.write_string_with_format(row, 0, both("时", "hour"), &styles.bold)?;
    day_header(ws, roster, styles, row, 1)?;
    row += 1;
    let on = on_duty_by_hour(roster, k);
    let dem = &roster.demand[k];
    for h in 0..24u32 {
        ws.write_string(row + h, 0, format!("{h:02}:00"))?;
        for d in 0..roster.period.days {
            let s = (24 * d + h) as usize;
            let need = dem.hours.get(s).map_or(0, |x| x.need.total);
            let text = format!("{}/{}", on[s], need);
            if on[s] < need {
                ws.write_string_with_format(row + h, 1 + d as u16, text, &styles.short)?;
            } else {
                ws.write_string(row + h, 1 + d as u16, text)?;
            }
        }
    }
    Ok(())
}

/// An officer's sheet: who they are, their figures, and a row per shift.
fn officer_sheet(
    ws: &mut Worksheet,
    roster: &Roster,
    o: &RosterOfficer,
    fig: &OfficerReport,
    styles: &Styles,
    used: &mut HashSet<String>,
) -> Result<(), XlsxError> {
    ws.set_name(sheet_name(&format!("{} {}", o.id, o.name), used))?;
    ws.write_string_with_format(0, 0, format!("{} {} ({:?}, {})", o.id, o.name, o.skills, o.home_island), &styles.bold)?;
    ws.write_string(
        1,
        0,
        format!(
            "{} 班 shifts，{:.0} 小时 h（合同 contract {:.0} h，加班 overtime {:.0} h），夜班 nights {}，节假日班 holiday shifts {}",
            fig.shifts, fig.hours, fig.contract_hours, fig.overtime_hours, fig.nights, fig.holiday_shifts
        ),
    )?;
    let header = [
        ("日期", "date"),
        ("星期", "day"),
        ("班次", "shift"),
        ("开始", "start"),
        ("结束", "end"),
        ("小时", "hours"),
        ("岛屿", "island"),
        ("备注", "note"),
    ];
    for (c, (zh, en)) in header.iter().enumerate() {
        ws.write_string_with_format(3, c as u16, both(zh, en), &styles.bold)?;
    }
    let mine = roster.assignments.iter().filter(|a| a.officer == o.id);
    for (row, a) in (4u32..).zip(mine) {
        shift_row(ws, roster, o, a, row)?;
    }
    ws.set_column_width(0, 12)?;
    Ok(())
}

/// One shift of officer `o` on their sheet: date, weekday, template, times, hours, island
/// and a note (away from home, the day's label).
fn shift_row(ws: &mut Worksheet, roster: &Roster, o: &RosterOfficer, a: &Assignment, row: u32) -> Result<(), XlsxError> {
    let date = roster.period.date(a.day);
    let info = roster.days.get(a.day as usize);
    let note = match (a.island != o.home_island, info.and_then(|i| i.label.clone())) {
        (true, Some(l)) => format!("{AWAY}; {l}"),
        (true, None) => AWAY.into(),
        (false, Some(l)) => l,
        (false, None) => String::new(),
    };
    ws.write_string(row, 0, date.to_string())?;
    ws.write_string(row, 1, WEEKDAYS[date.weekday().num_days_from_monday() as usize])?;
    ws.write_string(row, 2, &a.template)?;
    ws.write_string(row, 3, local_hm(roster, a.start))?;
    ws.write_string(row, 4, local_hm(roster, a.end))?;
    ws.write_number(row, 5, a.hours())?;
    ws.write_string(row, 6, a.island.as_str())?;
    ws.write_string(row, 7, note)?;
    Ok(())
}

/// Officers on duty on island `k` (demand index) in each hour of the period.
fn on_duty_by_hour(roster: &Roster, k: usize) -> Vec<u32> {
    let n = roster.period.hours() as usize;
    let mut on = vec![0u32; n];
    let Ok(tz) = roster.tz() else { return on };
    let times: Vec<DateTime<Utc>> = (0..=n as u32).map(|s| roster.period.utc(tz, s)).collect();
    for a in roster.assignments.iter().filter(|a| a.island == roster.demand[k].island) {
        let first = times.partition_point(|t| *t < a.start).min(n);
        let last = times.partition_point(|t| *t < a.end).min(n);
        for x in &mut on[first..last] {
            *x += 1;
        }
    }
    on
}

/// Escapes TEXT values (RFC 5545 §3.3.11).
fn ics_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// Folds a content line at 75 octets (never inside a UTF-8 character), CRLF-terminated.
fn ics_line(out: &mut String, line: &str) {
    let mut width = 0;
    for c in line.chars() {
        let n = c.len_utf8();
        if width + n > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += n;
    }
    out.push_str("\r\n");
}

fn ics_time(t: DateTime<Utc>) -> String {
    t.format("%Y%m%dT%H%M%SZ").to_string()
}

/// One officer's shifts as an iCalendar (`VCALENDAR` of `VEVENT`s, times in UTC).
pub fn officer_ics(roster: &Roster, officer: &tidewatch_core::ids::OfficerId, stamp: DateTime<Utc>) -> Result<String, Error> {
    let o = roster.officer(officer).ok_or_else(|| Error::unknown("officer", officer.as_str()))?;
    let mut out = String::new();
    ics_line(&mut out, "BEGIN:VCALENDAR");
    ics_line(&mut out, "VERSION:2.0");
    ics_line(&mut out, "PRODID:-//Tidewatch//Roster//EN");
    ics_line(&mut out, "CALSCALE:GREGORIAN");
    ics_line(&mut out, "METHOD:PUBLISH");
    ics_line(&mut out, &format!("X-WR-CALNAME:{}", ics_text(&format!("{} {} 值班 duty", o.id, o.name))));
    for a in roster.assignments.iter().filter(|a| &a.officer == officer) {
        let island = roster.demand.iter().find(|d| d.island == a.island).map_or(a.island.to_string(), |d| d.name.clone());
        ics_line(&mut out, "BEGIN:VEVENT");
        ics_line(&mut out, &format!("UID:{}-{}-{}-{}@tidewatch", roster.region, o.id, roster.period.date(a.day), a.template));
        ics_line(&mut out, &format!("DTSTAMP:{}", ics_time(stamp)));
        ics_line(&mut out, &format!("DTSTART:{}", ics_time(a.start)));
        ics_line(&mut out, &format!("DTEND:{}", ics_time(a.end)));
        ics_line(&mut out, &format!("SUMMARY:{}", ics_text(&format!("值班 Duty {} — {}", a.template, island))));
        ics_line(&mut out, &format!("LOCATION:{}", ics_text(&island)));
        let mut desc = format!("{} {}–{} ({} h)", roster.period.date(a.day), local_hm(roster, a.start), local_hm(roster, a.end), a.hours());
        if a.island != o.home_island {
            let _ = write!(desc, "\n{AWAY} {}", o.home_island);
        }
        ics_line(&mut out, &format!("DESCRIPTION:{}", ics_text(&desc)));
        ics_line(&mut out, "TRANSP:OPAQUE");
        ics_line(&mut out, "END:VEVENT");
    }
    ics_line(&mut out, "END:VCALENDAR");
    Ok(out)
}

/// Writes `<officer id>.ics` for every officer into `dir`; returns the files written.
pub fn write_ics(roster: &Roster, dir: &Path, stamp: DateTime<Utc>) -> Result<Vec<PathBuf>, Error> {
    std::fs::create_dir_all(dir)?;
    let mut files = Vec::new();
    for o in &roster.officers {
        let safe: String = o.id.as_str().chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c } else { '_' }).collect();
        let path = dir.join(format!("{safe}.ics"));
        std::fs::write(&path, officer_ics(roster, &o.id, stamp)?)?;
        files.push(path);
    }
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_fold_at_75_octets_on_char_boundaries() {
        let mut s = String::new();
        ics_line(&mut s, &format!("SUMMARY:{}", "长白岛".repeat(20)));
        for l in s.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(l.len() <= 75, "{} octets", l.len());
        }
        let unfolded = s.replace("\r\n ", "");
        assert_eq!(unfolded, format!("SUMMARY:{}\r\n", "长白岛".repeat(20)));
        assert_eq!(ics_text("a,b;c\\d\ne"), "a\\,b\\;c\\\\d\\ne");
    }

    #[test]
    fn sheet_names_are_valid_and_unique() {
        let mut used = HashSet::new();
        let a = sheet_name("off_001 王海涛 [traffic]: a very long name indeed", &mut used);
        assert!(a.chars().count() <= 31 && !a.contains('[') && !a.contains(':'));
        let b = sheet_name("Summary", &mut used);
        let c = sheet_name("summary", &mut used);
        assert_ne!(b.to_lowercase(), c.to_lowercase());
    }
}
