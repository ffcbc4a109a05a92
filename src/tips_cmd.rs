//! `tidewatch tips poster`: a printable QR poster opening the citizens' tips page with an
//! island (or a pier on it) preselected (docs/service.md, "Citizens' tips"). Thin over
//! `tidewatch_service::tips::poster`.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Subcommand;
use tidewatch_core::region::Region;
use tidewatch_service::tips::poster::{self, Spot};

#[derive(Subcommand)]
pub enum TipsCommand {
    /// A poster for an island or a pier: A4 PDF or SVG (the title, the island's or pier's
    /// name, the code and its address) or PNG (the QR code alone), by the file's extension.
    Poster {
        /// The island's id (islands.geojson), e.g. jintang.
        #[arg(long, required_unless_present = "pier", conflicts_with = "pier")]
        island: Option<String>,
        /// Or a pier's (any place's) id (places.csv), e.g. sanjiang_pier: the page opens with
        /// its island and the pier chosen.
        #[arg(long)]
        pier: Option<String>,
        /// The service's address as people's phones reach it, e.g. https://cc.example:8640.
        #[arg(long)]
        url: String,
        /// The region pack.
        #[arg(long, default_value = "assets/regions/dinghai")]
        region: PathBuf,
        /// Where to write the poster (.pdf, .svg or .png).
        #[arg(long)]
        out: PathBuf,
    },
}

pub fn run(command: TipsCommand) -> ExitCode {
    let TipsCommand::Poster { island, pier, url, region, out } = command;
    match make(island, pier, &url, &region, &out) {
        Ok(page) => {
            println!("{} → {page}", out.display());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

/// Writes the poster; the page's address, or what is wrong (naming the argument).
fn make(
    island: Option<String>,
    pier: Option<String>,
    url: &str,
    region: &std::path::Path,
    out: &std::path::Path,
) -> Result<String, String> {
    if !(url.starts_with("https://") || url.starts_with("http://")) {
        return Err("--url: an http:// or https:// address, e.g. https://cc.example:8640".into());
    }
    let extension = out.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
    if !matches!(extension.as_deref(), Some("pdf" | "svg" | "png")) {
        return Err("--out: a .pdf, .svg or .png file".into());
    }
    let region = Region::load(region).map_err(|e| e.to_string())?;
    let spot = match (island, pier) {
        (_, Some(pier)) => Spot::place(&region, &pier),
        (Some(island), None) => Spot::island(&region, &island),
        (None, None) => return Err("--island or --pier: which island or pier the poster is for".into()),
    }
    .map_err(|e| e.to_string())?;
    let poster = match extension.as_deref() {
        Some("png") => poster::png(&spot, url, 12),
        Some("svg") => poster::svg(&spot, url).map(String::into_bytes),
        _ => poster::pdf(&spot, url),
    }
    .map_err(|e| e.to_string())?;
    std::fs::write(out, poster).map_err(|e| format!("cannot write {}: {e}", out.display()))?;
    Ok(spot.url(url))
}
