//! `tidewatch tips poster`: a printable QR poster opening the citizens' tips page with an
//! island preselected (docs/service.md, "Citizens' tips"). Thin over
//! `tidewatch_service::tips::poster`.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Subcommand;
use tidewatch_core::region::Region;

#[derive(Subcommand)]
pub enum TipsCommand {
    /// A poster for an island or a pier: PNG (the QR code) or SVG (A4, with the title and
    /// the island's name), by the file's extension.
    Poster {
        /// The island's id (islands.geojson), e.g. jintang.
        #[arg(long)]
        island: String,
        /// The service's address as people's phones reach it, e.g. https://cc.example:8640.
        #[arg(long)]
        url: String,
        /// The region pack.
        #[arg(long, default_value = "assets/regions/dinghai")]
        region: PathBuf,
        /// Where to write the poster (.png or .svg).
        #[arg(long)]
        out: PathBuf,
    },
}

pub fn run(command: TipsCommand) -> ExitCode {
    let TipsCommand::Poster { island, url, region, out } = command;
    if !(url.starts_with("https://") || url.starts_with("http://")) {
        eprintln!("error: --url: an http:// or https:// address, e.g. https://cc.example:8640");
        return ExitCode::from(2);
    }
    let region = match Region::load(&region) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let extension = out.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
    let poster = match extension.as_deref() {
        Some("png") => tidewatch_service::tips::poster::png(&region, &island, &url, 12),
        Some("svg") => tidewatch_service::tips::poster::svg(&region, &island, &url).map(String::into_bytes),
        _ => {
            eprintln!("error: --out: a .png or .svg file");
            return ExitCode::from(2);
        }
    };
    let poster = match poster {
        Ok(p) => p,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    if let Err(e) = std::fs::write(&out, poster) {
        eprintln!("error: cannot write {}: {e}", out.display());
        return ExitCode::FAILURE;
    }
    println!("{} → {}", out.display(), tidewatch_service::tips::poster::page_url(&url, &island));
    ExitCode::SUCCESS
}
