//! Report files for the office: CSV and XLSX (one sheet for response times, one for KPIs).

use std::path::Path;

use rust_xlsxwriter::Workbook;

use super::kpi::Kpis;
use super::response::{ResponseReport, Segment};
use crate::Error;

const STAT_COLUMNS: [&str; 5] = ["count", "mean_s", "p50_s", "p90_s", "max_s"];

fn header(r: &ResponseReport) -> Vec<String> {
    let mut h: Vec<String> = r.by.iter().map(|s| s.to_string()).collect();
    if h.is_empty() {
        h.push("group".into());
    }
    h.extend(["incidents", "within_target", "overrides"].map(String::from));
    for s in Segment::ALL {
        for c in STAT_COLUMNS {
            h.push(format!("{}_{c}", s.name()));
        }
    }
    h
}

fn rows(r: &ResponseReport) -> Vec<Vec<String>> {
    let groups = if r.groups.is_empty() { std::slice::from_ref(&r.total) } else { &r.groups[..] };
    groups
        .iter()
        .map(|g| {
            let mut row = g.key.clone();
            row.push(g.incidents.to_string());
            row.push(g.within_target.map(|w| format!("{w:.4}")).unwrap_or_default());
            row.push(g.overrides.to_string());
            for s in Segment::ALL {
                match g.segments.get(s.name()) {
                    Some(st) => row.extend([
                        st.count.to_string(),
                        format!("{:.1}", st.mean),
                        st.p50.to_string(),
                        st.p90.to_string(),
                        st.max.to_string(),
                    ]),
                    None => row.extend(std::iter::repeat_n(String::new(), STAT_COLUMNS.len())),
                }
            }
            row
        })
        .collect()
}

/// The journal's head as a report prints it (no comma: it is one CSV field unquoted).
pub fn head_line(r: &ResponseReport) -> String {
    match &r.journal_head {
        Some(h) => format!("# journal head: seq {} hash {}", h.seq, h.hash),
        None => "# journal head: none (the journal is empty)".into(),
    }
}

pub fn write_csv(r: &ResponseReport, out: &mut dyn std::io::Write) -> Result<(), Error> {
    let mut w = csv::WriterBuilder::new().flexible(true).from_writer(out);
    let io = |e: csv::Error| Error::Io(std::io::Error::other(e));
    if r.synthetic {
        w.write_record(["# SYNTHETIC DEMO DATA: not real incidents"]).map_err(io)?;
    }
    w.write_record(header(r)).map_err(io)?;
    for row in rows(r) {
        w.write_record(row).map_err(io)?;
    }
    w.write_record([head_line(r)]).map_err(io)?;
    w.flush()?;
    Ok(())
}

pub fn write_xlsx(r: &ResponseReport, k: &Kpis, path: &Path) -> Result<(), Error> {
    let x = |e: rust_xlsxwriter::XlsxError| Error::Io(std::io::Error::other(e.to_string()));
    let mut book = Workbook::new();
    let sheet = book.add_worksheet().set_name("response").map_err(x)?;
    let mut line = 0u32;
    if r.synthetic {
        sheet.write_string(line, 0, "SYNTHETIC DEMO DATA: not real incidents").map_err(x)?;
        line += 1;
    }
    sheet.write_string(line, 0, format!("{} – {} ({})", r.from, r.to, r.time_zone)).map_err(x)?;
    line += 1;
    for (c, h) in header(r).iter().enumerate() {
        sheet.write_string(line, c as u16, h).map_err(x)?;
    }
    for row in rows(r) {
        line += 1;
        for (c, v) in row.iter().enumerate() {
            match v.parse::<f64>() {
                Ok(n) if c >= r.by.len().max(1) => sheet.write_number(line, c as u16, n).map_err(x)?,
                _ => sheet.write_string(line, c as u16, v).map_err(x)?,
            };
        }
    }
    sheet.write_string(line + 2, 0, head_line(r)).map_err(x)?;
    let sheet = book.add_worksheet().set_name("kpis").map_err(x)?;
    let j = &k.joint_work;
    let mut figures: Vec<(String, f64)> = vec![
        ("incidents".into(), k.incidents as f64),
        ("inhabited islands".into(), k.inhabited_islands as f64),
        ("share of inhabited islands with zero incidents".into(), k.zero_incident_share),
        ("change in incidents year on year".into(), k.total_change.unwrap_or(f64::NAN)),
        ("vehicles checked".into(), j.vehicles_checked as f64),
        ("checkpoint raids".into(), j.checkpoints as f64),
        ("violations".into(), j.violations as f64),
        ("drunk-driving cases".into(), j.drunk_driving as f64),
        ("patrol (duty) hours".into(), j.patrol_hours),
        ("service stalls".into(), j.service_stalls as f64),
        ("people served".into(), j.people_served as f64),
        ("hazards passed between lines".into(), j.hazards_passed as f64),
        ("tips received".into(), j.tips_received as f64),
        ("tips closed".into(), j.tips_closed as f64),
        ("overrides of the recommendation".into(), k.overrides as f64),
    ];
    for t in &k.by_type {
        figures.push((format!("change year on year: {}", t.incident_type), t.change.unwrap_or(f64::NAN)));
    }
    let mut line = 0u32;
    if k.synthetic {
        sheet.write_string(0, 0, "SYNTHETIC DEMO DATA: not real incidents").map_err(x)?;
        line = 1;
    }
    for (name, v) in figures {
        sheet.write_string(line, 0, name).map_err(x)?;
        if v.is_finite() {
            sheet.write_number(line, 1, v).map_err(x)?;
        }
        line += 1;
    }
    book.save(path).map_err(x)?;
    Ok(())
}
