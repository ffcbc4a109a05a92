//! Report files for the office: CSV and XLSX (one sheet for response times, one for KPIs).

use std::path::Path;

use rust_xlsxwriter::Workbook;

use super::kpi::Kpis;
use super::response::{ResponseReport, Segment};
use tidewatch_core::Error;

/// (zh-CN, id) of each statistic column, per segment.
const STAT_COLUMNS: [(&str, &str); 5] =
    [("次数", "count"), ("均值秒", "mean_s"), ("P50秒", "p50_s"), ("P90秒", "p90_s"), ("最长秒", "max_s")];

/// A header both readers of the office read: "中文 english_id". The id stays last so a
/// script can still find its column.
pub fn both(zh: &str, en: &str) -> String {
    format!("{zh} {en}")
}

fn group_zh(by: &str) -> &'static str {
    match by {
        "island" => "岛屿",
        "type" => "警情类型",
        "priority" => "优先级",
        "unit" => "警力",
        "hour" => "时段",
        "weekday" => "星期",
        "month" => "月份",
        "route_mode" => "路线方式",
        _ => "分组",
    }
}

fn segment_zh(s: Segment) -> &'static str {
    match s {
        Segment::Processing => "接警处理",
        Segment::Turnout => "出警准备",
        Segment::Travel => "途中",
        Segment::Drive => "车程",
        Segment::FerryWait => "候船",
        Segment::Crossing => "航渡",
        Segment::Response => "响应",
        Segment::OnScene => "现场处置",
    }
}

/// The column headers: ids (the CSV, read by scripts) or, for the office's sheet, each id
/// with its zh-CN name before it.
fn header(r: &ResponseReport, words: bool) -> Vec<String> {
    let label = |zh: &str, id: &str| if words { both(zh, id) } else { id.to_string() };
    let mut h: Vec<String> = r.by.iter().map(|s| label(group_zh(s), s)).collect();
    if h.is_empty() {
        h.push(label("分组", "group"));
    }
    h.extend([label("警情数", "incidents"), label("目标内到场率", "within_target"), label("未采用首选", "overrides")]);
    for s in Segment::ALL {
        for (zh, c) in STAT_COLUMNS {
            h.push(label(&format!("{}{zh}", segment_zh(s)), &format!("{}_{c}", s.name())));
        }
    }
    h
}

const SYNTHETIC: &str = "# SYNTHETIC DEMO DATA: not real incidents · 合成演示数据，非真实警情";

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
        w.write_record([SYNTHETIC]).map_err(io)?;
    }
    w.write_record(header(r, false)).map_err(io)?;
    for row in rows(r) {
        w.write_record(row).map_err(io)?;
    }
    w.write_record([head_line(r)]).map_err(io)?;
    w.flush()?;
    Ok(())
}

/// The KPI sheet's rows: (label in both languages, value; NaN when there is none).
fn kpi_figures(k: &Kpis) -> Vec<(String, f64)> {
    let j = &k.joint_work;
    let nan = |c: Option<f64>| c.unwrap_or(f64::NAN);
    [
        ("警情总数", "incidents", k.incidents as f64),
        ("有人岛", "inhabited islands", k.inhabited_islands as f64),
        ("零警情有人岛占比", "share of inhabited islands with zero incidents", k.zero_incident_share),
        ("计入岛屿", "islands counted for crime", k.kpi_islands as f64),
        ("无刑事治安警情岛屿占比", "share of islands with no reported crime", k.crime_free_share),
        ("警情同比", "change in incidents year on year", nan(k.total_change)),
        ("交通警情同比", "change in traffic incidents year on year", nan(k.traffic.change)),
        ("一般程序交通事故同比", "change in ordinary-procedure traffic accidents year on year", nan(k.ordinary_traffic_accidents.change)),
        ("查车", "vehicles checked", j.vehicles_checked as f64),
        ("设卡", "checkpoints", j.checkpoints as f64),
        ("其中突击清查", "of them surprise raids", j.surprise_raids as f64),
        ("查处违法", "violations", j.violations as f64),
        ("酒驾", "drunk-driving cases", j.drunk_driving as f64),
        ("联勤巡逻时长（小时）", "joint patrol (duty) hours", j.patrol_hours),
        ("便民服务点", "service stalls", j.service_stalls as f64),
        ("服务点所在村", "villages (stall places) visited", j.stall_places as f64),
        ("服务人次", "people served", j.people_served as f64),
        ("其中老人", "of them elderly", j.elderly_served as f64),
        ("隐患移交", "hazards passed between lines", j.hazards_passed as f64),
        ("派出所移交交警的交通隐患", "traffic hazards passed to the traffic police", j.hazards_to_traffic as f64),
        ("交警移交派出所的治安隐患", "public-order hazards passed to the stations", j.hazards_to_stations as f64),
        ("随手拍线索", "tips received", j.tips_received as f64),
        ("已办结线索", "tips closed", j.tips_closed as f64),
        ("未采用首选推荐", "overrides of the recommendation", k.overrides as f64),
    ]
    .into_iter()
    .map(|(zh, en, v)| (both(zh, en), v))
    .chain(plan_figures(k))
    .collect()
}

/// The patrol plan's rows (issue #18), when a plan had operations in the period.
fn plan_figures(k: &Kpis) -> Vec<(String, f64)> {
    let Some(x) = &k.plan_executed else { return Vec::new() };
    let mut rows = vec![
        (both("计划卡点", "planned checkpoints and raids"), f64::from(x.planned)),
        (both("已执行", "of them held"), f64::from(x.held)),
        (both("计划执行率", "plan executed"), x.executed_share.unwrap_or(f64::NAN)),
        (both("卡点查车", "vehicles checked at planned checkpoints"), x.vehicles_checked as f64),
    ];
    for (kind, n) in &x.violations {
        rows.push((both("卡点查处", &format!("violations at planned checkpoints: {kind}")), *n as f64));
    }
    rows
}

pub fn write_xlsx(r: &ResponseReport, k: &Kpis, path: &Path) -> Result<(), Error> {
    std::fs::write(path, xlsx_bytes(r, k)?)?;
    Ok(())
}

/// The workbook of `write_xlsx` in memory (a seat's report travels as bytes).
pub fn xlsx_bytes(r: &ResponseReport, k: &Kpis) -> Result<Vec<u8>, Error> {
    let x = |e: rust_xlsxwriter::XlsxError| Error::Io(std::io::Error::other(e.to_string()));
    let mut book = Workbook::new();
    let sheet = book.add_worksheet().set_name("response").map_err(x)?;
    let mut line = 0u32;
    if r.synthetic {
        sheet.write_string(line, 0, &SYNTHETIC[2..]).map_err(x)?;
        line += 1;
    }
    sheet.write_string(line, 0, format!("{} – {} ({})", r.from, r.to, r.time_zone)).map_err(x)?;
    line += 1;
    for (c, h) in header(r, true).iter().enumerate() {
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
    let mut figures = kpi_figures(k);
    for t in &k.by_type {
        figures.push((both("同比变化", &format!("change year on year: {}", t.incident_type)), t.change.unwrap_or(f64::NAN)));
    }
    let mut line = 0u32;
    if k.synthetic {
        sheet.write_string(0, 0, &SYNTHETIC[2..]).map_err(x)?;
        line = 1;
    }
    for (name, v) in figures {
        sheet.write_string(line, 0, name).map_err(x)?;
        if v.is_finite() {
            sheet.write_number(line, 1, v).map_err(x)?;
        }
        line += 1;
    }
    book.save_to_buffer().map_err(x)
}
