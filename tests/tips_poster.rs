//! `tidewatch tips poster`: every format opens the tips page for its island or pier. The QR
//! codes are read back with a decoder (the PDF rendered by poppler's pdftoppm first, its
//! text read by pdftotext), so a poster that prints but does not scan fails here.

use std::path::Path;
use std::process::{Command, Output};

const URL: &str = "https://cc.example:8640";

fn poster(args: &[&str]) -> Output {
    let mut all = vec!["tips", "poster", "--region", "assets/regions/dinghai", "--url", URL];
    all.extend_from_slice(args);
    Command::new(env!("CARGO_BIN_EXE_tidewatch")).args(&all).output().unwrap()
}

fn made(args: &[&str]) {
    let out = poster(args);
    assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
}

/// The text of the one QR code in a picture.
fn scan(png: &Path) -> String {
    let picture = image::open(png).unwrap_or_else(|e| panic!("{}: {e}", png.display())).to_luma8();
    let mut prepared = rqrr::PreparedImage::prepare(picture);
    let grids = prepared.detect_grids();
    assert_eq!(grids.len(), 1, "one code in {}", png.display());
    grids[0].decode().unwrap().1
}

/// Runs a poppler tool (installed by scripts/setup-debian.sh).
fn poppler(tool: &str, args: &[&str]) -> Output {
    let out = Command::new(tool)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{tool}: {e} (poppler-utils; scripts/setup-debian.sh installs it)"));
    assert!(out.status.success(), "{tool}: {}", String::from_utf8_lossy(&out.stderr));
    out
}

#[test]
fn an_island_poster_scans_to_its_page() {
    let dir = tempfile::tempdir().unwrap();
    let png = dir.path().join("jintang.png");
    made(&["--island", "jintang", "--out", png.to_str().unwrap()]);
    assert_eq!(scan(&png), format!("{URL}/tips/?island=jintang"));
    let svg = dir.path().join("jintang.svg");
    made(&["--island", "jintang", "--out", svg.to_str().unwrap()]);
    let svg = std::fs::read_to_string(svg).unwrap();
    assert!(svg.contains("金塘") && svg.contains(&format!("{URL}/tips/?island=jintang")), "{svg}");
}

#[test]
fn a_pier_poster_as_pdf_prints_its_names_and_scans_to_the_pier() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("ligang.pdf");
    let out = poster(&["--pier", "pier_ligang", "--out", pdf.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let page = format!("{URL}/tips/?island=jintang&place=pier_ligang");
    assert!(String::from_utf8_lossy(&out.stdout).contains(&page), "it says the page's address");
    let bytes = std::fs::read(&pdf).unwrap();
    assert!(bytes.starts_with(b"%PDF-") && bytes.len() < 64 * 1024, "a small PDF: {} bytes", bytes.len());

    let text = poppler("pdftotext", &[pdf.to_str().unwrap(), "-"]).stdout;
    let text = String::from_utf8(text).unwrap();
    for expected in ["随手拍", "金塘岛", "沥港码头", "Ligang Pier", "110", page.as_str()] {
        assert!(text.contains(expected), "the page reads '{expected}': {text}");
    }
    let base = dir.path().join("page");
    poppler("pdftoppm", &["-r", "100", "-png", "-singlefile", pdf.to_str().unwrap(), base.to_str().unwrap()]);
    assert_eq!(scan(&dir.path().join("page.png")), page);
}

#[test]
fn a_bad_poster_request_names_what_is_wrong() {
    let dir = tempfile::tempdir().unwrap();
    let out = |name: &str| dir.path().join(name).to_str().unwrap().to_string();
    let cases: [(Vec<String>, &str); 5] = [
        (vec!["--island".into(), "atlantis".into(), "--out".into(), out("a.pdf")], "island"),
        (vec!["--pier".into(), "pier_atlantis".into(), "--out".into(), out("a.pdf")], "pier"),
        (vec!["--island".into(), "jintang".into(), "--out".into(), out("a.txt")], "--out"),
        (vec!["--out".into(), out("a.pdf")], "--island"),
        (vec!["--island".into(), "jintang".into(), "--pier".into(), "pier_ligang".into(), "--out".into(), out("a.pdf")], "--pier"),
    ];
    for (args, named) in cases {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let o = poster(&args);
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(named), "{args:?} names {named}: {stderr}");
    }
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0, "nothing written");
}
