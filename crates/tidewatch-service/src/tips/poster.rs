//! A printable poster for an island or a pier: a QR code that opens the tips page with the
//! island preselected (`tidewatch tips poster`). PNG (the code with a quiet zone, for any
//! printer) or SVG (the code with the title and the island's name in zh-CN, set by the
//! viewer's fonts).

use image::{ImageFormat, Rgb, RgbImage};
use qrcode::{Color, EcLevel, QrCode};
use tidewatch_core::region::Region;
use tidewatch_core::Error;

/// The page's address for `island` under `base` (e.g. `https://cc.example:8640`).
pub fn page_url(base: &str, island: &str) -> String {
    let query: String = form_urlencoded::Serializer::new(String::new()).append_pair("island", island).finish();
    format!("{}/tips/?{query}", base.trim_end_matches('/'))
}

fn code(url: &str) -> Result<QrCode, Error> {
    QrCode::with_error_correction_level(url.as_bytes(), EcLevel::M)
        .map_err(|e| Error::invalid("url", format!("too long for a QR code: {e}")))
}

/// The island's zh-CN and English names; refused naming `island` when the pack has none.
fn island_names(region: &Region, island: &str) -> Result<(String, String), Error> {
    let i = region.island(&island.into()).ok_or_else(|| Error::invalid("island", format!("no island '{island}' in the region")))?;
    Ok((i.name_zh.clone(), i.name_en.clone()))
}

/// The poster as a PNG: the QR code, `scale` pixels a module, with a four-module margin.
pub fn png(region: &Region, island: &str, base: &str, scale: u32) -> Result<Vec<u8>, Error> {
    island_names(region, island)?;
    let qr = code(&page_url(base, island))?;
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
pub fn svg(region: &Region, island: &str, base: &str) -> Result<String, Error> {
    let (zh, en) = island_names(region, island)?;
    let url = page_url(base, island);
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
        zh = escape(&zh),
        en = escape(&en),
        url = escape(&url),
    ))
}
