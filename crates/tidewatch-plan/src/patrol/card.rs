//! Printable patrol cards (issue #18): one team's shift — its checkpoint and raid slots and
//! its visit list, with times and places — as a PDF, A4 or phone-sized.
//!
//! The text is set in the PDF's standard Simplified Chinese font `STSong-Light` (every
//! reader supplies it; nothing is embedded, the file stays a few kilobytes), as the tips
//! poster does (`tidewatch-service` `tips/poster.rs`, whose font helpers these repeat: the
//! service crate is not a dependency of the plan's).

use chrono::DateTime;
use chrono_tz::Tz;
use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref, Str, TextStr};
use serde::Serialize;

use super::checkpoint::{Operation, OperationKind, Purpose};
use super::visit::VisitList;
use tidewatch_core::Error;

const MM: f32 = 72.0 / 25.4;

/// The page: A4, or a phone's screen (90 × 160 mm, read on the phone or printed small).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PageSize {
    A4,
    Phone,
}

impl PageSize {
    pub fn parse(s: &str) -> Option<PageSize> {
        match s {
            "a4" => Some(PageSize::A4),
            "phone" => Some(PageSize::Phone),
            _ => None,
        }
    }

    /// Width and height in mm, margin in mm, text size in mm.
    fn layout(self) -> (f32, f32, f32, f32) {
        match self {
            PageSize::A4 => (210.0, 297.0, 15.0, 4.2),
            PageSize::Phone => (90.0, 160.0, 5.0, 3.2),
        }
    }
}

/// One team's card: its shift's operations and its visit list.
pub struct Card<'a> {
    pub tz: Tz,
    pub visits: &'a VisitList,
    pub operations: &'a [Operation],
}

fn hm(tz: Tz, t: i64) -> String {
    DateTime::from_timestamp(t, 0).unwrap_or_default().with_timezone(&tz).format("%H:%M").to_string()
}

/// The card's lines, top to bottom; a `true` flag marks a heading.
pub fn lines(card: &Card) -> Vec<(bool, String)> {
    let v = card.visits;
    let tz = card.tz;
    let mut out = vec![
        (true, format!("巡逻卡 Patrol card　{}（{}）", v.call_sign, v.team)),
        (false, format!("{}　班次 shift {}　出发 from {}", v.date, v.shift, v.base)),
        (true, "卡点与突击检查 Checkpoints and raids".to_string()),
    ];
    if card.operations.is_empty() {
        out.push((false, "（无 none this shift）".to_string()));
    }
    for o in card.operations {
        let kind = match o.kind {
            OperationKind::Checkpoint => "卡点 checkpoint",
            OperationKind::Raid => "突击 raid",
        };
        let purpose = match o.purpose {
            Purpose::Routine => "",
            Purpose::Peak => "　高峰 peak",
            Purpose::DrunkDriving => "　酒驾 drunk driving",
        };
        out.push((false, format!("{}–{}　{kind}{purpose}", hm(tz, o.start_utc), hm(tz, o.end_utc))));
        out.push((false, format!("　　{}（{}，{}）路程 {} min", o.name_zh, o.site, o.island, o.travel_min)));
    }
    out.push((true, "巡逻点位 Visits (stop 10–16 min)".to_string()));
    for (i, s) in v.stops.iter().enumerate() {
        out.push((false, format!("{:>2}. {}–{}　{}（{}）", i + 1, hm(tz, s.arrive_utc), hm(tz, s.leave_utc), s.name_zh, s.island)));
        out.push((false, format!("　　{}　停 {} min，路程 {} min", s.name_en, s.stop_min, s.travel_min)));
    }
    out.push((false, format!("{} 返回 back at {}", hm(tz, v.back_utc), v.base)));
    out.push((false, format!("seed {}: tidewatch patrol visits --seed {}", v.seed, v.seed)));
    out
}

/// Text in the `UniGB-UCS2-H` encoding (UCS-2 big-endian; "□" beyond the BMP). The pack's
/// middle dot (U+00B7, "金塘大桥·金塘端") has no glyph there: it is set as "・".
fn ucs2(text: &str) -> Vec<u8> {
    text.chars()
        .map(|c| if c == '\u{b7}' { '\u{30fb}' } else { c })
        .flat_map(|c| u16::try_from(u32::from(c)).unwrap_or(0x25A1).to_be_bytes())
        .collect()
}

/// Width in ems: ASCII half an em, the rest a full em.
fn ems(text: &str) -> f32 {
    text.chars().map(|c| if c.is_ascii() { 0.5 } else { 1.0 }).sum()
}

/// The card as a PDF, as many pages as its lines need.
pub fn pdf(card: &Card, size: PageSize) -> Result<Vec<u8>, Error> {
    let (w, h, margin, text) = size.layout();
    let lines = lines(card);
    let per_page = ((h - 2.0 * margin) / (text * 1.5)).floor().max(1.0) as usize;
    let pages: Vec<&[(bool, String)]> = lines.chunks(per_page).collect();
    let (catalog, tree, song, cid, descriptor, info) = (Ref::new(1), Ref::new(2), Ref::new(3), Ref::new(4), Ref::new(5), Ref::new(6));
    let page_refs: Vec<(Ref, Ref)> = (0..pages.len()).map(|i| (Ref::new(7 + 2 * i as i32), Ref::new(8 + 2 * i as i32))).collect();
    let mut pdf = Pdf::new();
    pdf.catalog(catalog).pages(tree);
    pdf.pages(tree).kids(page_refs.iter().map(|p| p.0)).count(pages.len() as i32);
    for ((page, contents), chunk) in page_refs.iter().zip(&pages) {
        let mut p = pdf.page(*page);
        p.media_box(Rect::new(0.0, 0.0, w * MM, h * MM)).parent(tree).contents(*contents);
        p.resources().fonts().pair(Name(b"Song"), song);
        p.finish();
        let mut c = Content::new();
        for (i, (heading, line)) in chunk.iter().enumerate() {
            // Shrink a line that would run past the margin rather than cut it.
            let want = if *heading { text * 1.15 } else { text } * MM;
            let fit = (w - 2.0 * margin) * MM / ems(line).max(1.0);
            c.begin_text();
            c.set_font(Name(b"Song"), want.min(fit));
            c.next_line(margin * MM, (h - margin - text * 1.5 * (i as f32 + 1.0)) * MM);
            c.show(Str(&ucs2(line)));
            c.end_text();
        }
        pdf.stream(*contents, &c.finish());
    }
    crate::print::song_font(&mut pdf, song, cid, descriptor);
    let v = card.visits;
    pdf.document_info(info).title(TextStr(&format!("巡逻卡 {} {} {}", v.team, v.date, v.shift)));
    Ok(pdf.finish())
}
