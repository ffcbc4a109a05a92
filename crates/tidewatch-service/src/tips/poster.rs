//! A printable poster for an island or a pier: a QR code that opens the tips page with the
//! island preselected (`tidewatch tips poster`). PNG (the code with a quiet zone, for any
//! printer), SVG (the code with the title and the island's name in zh-CN, set by the
//! viewer's fonts) or an A4 PDF (the same page; the Chinese text in the PDF's standard
//! Simplified Chinese font `STSong-Light`, which every PDF reader supplies, so nothing is
//! embedded and the file stays a few kilobytes).

use image::{ImageFormat, Rgb, RgbImage};
use qrcode::{Color, EcLevel, QrCode};
use tidewatch_core::region::Region;
use tidewatch_core::Error;

/// What a poster is for: an island, or a pier (any gazetteer place) on it, whose page opens
/// with that island (and place) chosen.
#[derive(Debug, Clone, PartialEq)]
pub struct Spot {
    pub island: String,
    pub place: Option<String>,
    /// The name printed on the poster, in zh-CN and English.
    pub name_zh: String,
    pub name_en: String,
}

impl Spot {
    /// An island of the pack; refused naming `island` when the pack has none.
    pub fn island(region: &Region, island: &str) -> Result<Spot, Error> {
        let i = region.island(&island.into()).ok_or_else(|| Error::invalid("island", format!("no island '{island}' in the region")))?;
        Ok(Spot { island: i.id.0.clone(), place: None, name_zh: i.name_zh.clone(), name_en: i.name_en.clone() })
    }

    /// A place of the pack (a pier, a village…), with its island's name before its own;
    /// refused naming `pier` when the pack has none.
    pub fn place(region: &Region, place: &str) -> Result<Spot, Error> {
        let p = region.place(&place.into()).ok_or_else(|| Error::invalid("pier", format!("no place '{place}' in the region")))?;
        let island = Spot::island(region, &p.island.0)?;
        Ok(Spot {
            place: Some(p.id.0.clone()),
            name_zh: format!("{}　{}", island.name_zh, p.name_zh),
            name_en: p.name_en.clone(),
            ..island
        })
    }

    /// The page's address under `base` (e.g. `https://cc.example:8640`).
    pub fn url(&self, base: &str) -> String {
        let mut query = form_urlencoded::Serializer::new(String::new());
        query.append_pair("island", &self.island);
        if let Some(place) = &self.place {
            query.append_pair("place", place);
        }
        format!("{}/tips/?{}", base.trim_end_matches('/'), query.finish())
    }
}

fn code(url: &str) -> Result<QrCode, Error> {
    QrCode::with_error_correction_level(url.as_bytes(), EcLevel::M)
        .map_err(|e| Error::invalid("url", format!("too long for a QR code: {e}")))
}

/// The poster as a PNG: the QR code, `scale` pixels a module, with a four-module margin.
pub fn png(spot: &Spot, base: &str, scale: u32) -> Result<Vec<u8>, Error> {
    let qr = code(&spot.url(base))?;
    let (n, margin, scale) = (qr.width() as u32, 4, scale.clamp(2, 64));
    let side = (n + 2 * margin) * scale;
    let colors = qr.to_colors();
    let image = RgbImage::from_fn(side, side, |x, y| {
        let (mx, my) = ((x / scale) as i64 - margin as i64, (y / scale) as i64 - margin as i64);
        let dark = mx >= 0 && my >= 0 && (mx as u32) < n && (my as u32) < n && colors[(my as u32 * n + mx as u32) as usize] == Color::Dark;
        if dark {
            Rgb([0, 0, 0])
        } else {
            Rgb([255, 255, 255])
        }
    });
    let mut out = Vec::new();
    image
        .write_to(&mut std::io::Cursor::new(&mut out), ImageFormat::Png)
        .map_err(|e| Error::Io(std::io::Error::other(format!("the poster: {e}"))))?;
    Ok(out)
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// The poster as an A4 SVG: title, the island, the code and the address under it.
pub fn svg(spot: &Spot, base: &str) -> Result<String, Error> {
    let (zh, en) = (&spot.name_zh, &spot.name_en);
    let url = spot.url(base);
    let qr = code(&url)?;
    let n = qr.width();
    let colors = qr.to_colors();
    let (size, x0, y0) = (140.0_f64, 35.0_f64, 95.0_f64);
    let m = size / n as f64;
    let mut modules = String::new();
    for (i, c) in colors.iter().enumerate() {
        if *c == Color::Dark {
            let (x, y) = (x0 + (i % n) as f64 * m, y0 + (i / n) as f64 * m);
            modules.push_str(&format!("<rect x=\"{x:.3}\" y=\"{y:.3}\" width=\"{:.3}\" height=\"{:.3}\"/>", m + 0.01, m + 0.01));
        }
    }
    Ok(format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="210mm" height="297mm" viewBox="0 0 210 297">
<rect width="210" height="297" fill="#fff"/>
<text x="105" y="40" font-size="13" text-anchor="middle" font-family="sans-serif" font-weight="bold">随手拍 · 群众吹哨 警力报到</text>
<text x="105" y="58" font-size="7" text-anchor="middle" font-family="sans-serif">看到隐患、拥堵、事故、治安问题？扫码拍照告诉我们</text>
<text x="105" y="75" font-size="12" text-anchor="middle" font-family="sans-serif">{zh}（{en}）</text>
<g fill="#000">{modules}</g>
<text x="105" y="255" font-size="5" text-anchor="middle" font-family="monospace">{url}</text>
<text x="105" y="270" font-size="7" text-anchor="middle" font-family="sans-serif">紧急情况请直接拨打 110</text>
</svg>
"##,
        zh = escape(zh),
        en = escape(en),
        url = escape(&url),
    ))
}

/// A4 in points, and millimetres to points: the PDF repeats the SVG's layout (given in mm
/// from the top).
const A4: (f32, f32) = (595.28, 841.89);
const MM: f32 = 72.0 / 25.4;

/// Text in the `UniGB-UCS2-H` encoding: each character as its UCS-2 code (big-endian); one
/// outside the Basic Multilingual Plane, which that encoding cannot name, as "□".
fn ucs2(text: &str) -> Vec<u8> {
    text.chars().flat_map(|c| u16::try_from(u32::from(c)).unwrap_or(0x25A1).to_be_bytes()).collect()
}

/// The width of `text` in the Chinese font, in ems: ASCII is half an em (the widths the PDF
/// gives those CIDs), everything else a full em.
fn cjk_width(text: &str) -> f32 {
    text.chars().map(|c| if c.is_ascii() { 0.5 } else { 1.0 }).sum()
}

/// One line of text centred at `y_mm` from the top, at `size_mm` or smaller so that it
/// fits the page's 180 mm; `mono` sets it in Courier (ASCII only: the address), else in the
/// Chinese font.
fn centred(content: &mut pdf_writer::Content, text: &str, y_mm: f32, size_mm: f32, mono: bool) {
    use pdf_writer::{Name, Str};
    let (font, bytes, ems) = if mono {
        (Name(b"Mono"), text.as_bytes().to_vec(), 0.6 * text.len() as f32)
    } else {
        (Name(b"Song"), ucs2(text), cjk_width(text))
    };
    let size = (size_mm * MM).min(180.0 * MM / ems.max(1.0));
    content.begin_text();
    content.set_font(font, size);
    content.next_line((A4.0 - ems * size) / 2.0, A4.1 - y_mm * MM);
    content.show(Str(&bytes));
    content.end_text();
}

/// The page's fonts: `Song` (STSong-Light through UniGB-UCS2-H, not embedded) and `Mono`
/// (Courier, one of the 14 standard fonts).
fn write_fonts(pdf: &mut pdf_writer::Pdf, song: pdf_writer::Ref, refs: [pdf_writer::Ref; 3]) {
    use pdf_writer::Name;
    let [cid, descriptor, mono] = refs;
    tidewatch_plan::print::song_font(pdf, song, cid, descriptor);
    pdf.type1_font(mono).base_font(Name(b"Courier"));
}

/// The poster as an A4 PDF: the SVG's page (title, island, the code, the address, 110).
pub fn pdf(spot: &Spot, base: &str) -> Result<Vec<u8>, Error> {
    use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref, TextStr};
    let (zh, en) = (&spot.name_zh, &spot.name_en);
    let url = spot.url(base);
    let qr = code(&url)?;
    let [catalog, pages, page, contents, song, cid, descriptor, mono, info] = std::array::from_fn(|i| Ref::new(i as i32 + 1));
    let mut pdf = Pdf::new();
    pdf.catalog(catalog).pages(pages);
    pdf.pages(pages).kids([page]).count(1);
    let mut p = pdf.page(page);
    p.media_box(Rect::new(0.0, 0.0, A4.0, A4.1)).parent(pages).contents(contents);
    p.resources().fonts().pair(Name(b"Song"), song).pair(Name(b"Mono"), mono);
    p.finish();
    write_fonts(&mut pdf, song, [cid, descriptor, mono]);
    pdf.document_info(info).title(TextStr(&format!("随手拍 {zh}")));

    let mut content = Content::new();
    centred(&mut content, "随手拍　群众吹哨　警力报到", 40.0, 13.0, false);
    centred(&mut content, "看到隐患、拥堵、事故、治安问题？扫码拍照告诉我们", 58.0, 7.0, false);
    centred(&mut content, &format!("{zh}（{en}）"), 75.0, 12.0, false);
    modules(&mut content, &qr);
    centred(&mut content, &url, 255.0, 5.0, true);
    centred(&mut content, "紧急情况请直接拨打 110", 270.0, 7.0, false);
    pdf.stream(contents, &content.finish());
    Ok(pdf.finish())
}

/// The code's dark modules as black squares, 140 mm wide, 95 mm from the top (the quiet
/// zone is the white page around it).
fn modules(content: &mut pdf_writer::Content, qr: &QrCode) {
    let n = qr.width();
    let (size, x0, top) = (140.0 * MM, 35.0 * MM, A4.1 - 95.0 * MM);
    let m = size / n as f32;
    content.set_fill_gray(0.0);
    for (i, c) in qr.to_colors().iter().enumerate() {
        if *c == Color::Dark {
            let (col, row) = ((i % n) as f32, (i / n) as f32);
            // A hair wider than a module, so neighbours leave no seam when printed.
            content.rect(x0 + col * m, top - (row + 1.0) * m, m + 0.05, m + 0.05);
        }
    }
    content.fill_nonzero();
}
