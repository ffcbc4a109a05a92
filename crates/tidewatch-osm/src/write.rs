//! Writing an import into a pack: `places.csv` gains the road nodes (`osm_n<id>`,
//! `junction`), `roads.csv` the segments (`osm_w<way>_<part>`) and the place connectors
//! (`osm_snap_<place>`), with `oneway` and `structure` columns; the generated roads of
//! the islands the import covers go. Rows of an earlier import (`osm_…`) are replaced, so
//! importing again is safe. Ferry ways go to `ferry_candidates.csv`, for a person to turn
//! into `ferry_routes.csv` and `sailings.csv`. Everything is written to a staging copy
//! and loaded with the pack loader first; the pack changes only if that copy loads.

use std::path::{Path, PathBuf};

use tidewatch_core::region::Region;
use tidewatch_core::Error;

use crate::graph::{Import, PREFIX};
use crate::input_error;

/// The ferry ways found, as candidates for the timetable file.
pub const FERRY_FILE: &str = "ferry_candidates.csv";
const ODBL: &str = "© OpenStreetMap contributors, ODbL 1.0";

/// Writes `imp` into the pack at `dir` (read as `region`); `extract` is named in sources.
pub fn write_import(dir: &Path, region: &Region, imp: &Import, extract: &str) -> Result<(), Error> {
    let staging = staging_dir(dir)?;
    let result = write_files(&staging, region, imp, extract).and_then(|()| {
        Region::load(&staging).map_err(Error::Pack)?;
        for f in ["places.csv", "roads.csv", FERRY_FILE] {
            replace_file(&staging.join(f), &dir.join(f))?;
        }
        Ok(())
    });
    let _ = std::fs::remove_dir_all(&staging);
    result
}

/// A fresh copy of the pack's files beside it (same file system, so the swap is a rename).
fn staging_dir(dir: &Path) -> Result<PathBuf, Error> {
    let name = dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "pack".into());
    let staging = dir.with_file_name(format!(".{name}.import-staging"));
    let _ = std::fs::remove_dir_all(&staging);
    std::fs::create_dir_all(&staging)?;
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        if entry.file_type()?.is_file() {
            std::fs::copy(entry.path(), staging.join(entry.file_name()))?;
        }
    }
    Ok(staging)
}

fn replace_file(from: &Path, to: &Path) -> Result<(), Error> {
    let tmp = to.with_extension("csv.importing");
    std::fs::copy(from, &tmp)?;
    std::fs::rename(&tmp, to)?;
    Ok(())
}

fn write_files(dir: &Path, region: &Region, imp: &Import, extract: &str) -> Result<(), Error> {
    write_places(&dir.join("places.csv"), imp, extract)?;
    write_roads(&dir.join("roads.csv"), region, imp, extract)?;
    write_ferries(&dir.join(FERRY_FILE), imp, extract)
}

/// The rows of a CSV file (header first), as read.
fn read_table(path: &Path) -> Result<(csv::StringRecord, Vec<csv::StringRecord>), Error> {
    let mut r = csv::ReaderBuilder::new().flexible(true).from_path(path).map_err(|e| input_error(path, format!("cannot read: {e}")))?;
    let header = r.headers().map_err(|e| input_error(path, format!("header: {e}")))?.clone();
    let rows = r.records().collect::<Result<Vec<_>, _>>().map_err(|e| input_error(path, e.to_string()))?;
    Ok((header, rows))
}

fn write_table(path: &Path, header: &csv::StringRecord, rows: &[csv::StringRecord]) -> Result<(), Error> {
    let mut w = csv::WriterBuilder::new().flexible(true).from_path(path).map_err(|e| input_error(path, e.to_string()))?;
    w.write_record(header).map_err(|e| input_error(path, e.to_string()))?;
    for row in rows {
        w.write_record(row).map_err(|e| input_error(path, e.to_string()))?;
    }
    w.flush()?;
    Ok(())
}

/// A row in `header`'s column order from (column, value) pairs; other columns empty.
fn row_of(header: &csv::StringRecord, values: &[(&str, String)]) -> csv::StringRecord {
    header.iter().map(|h| values.iter().find(|(k, _)| *k == h).map(|(_, v)| v.as_str()).unwrap_or("")).collect()
}

fn is_imported(row: &csv::StringRecord) -> bool {
    row.get(0).is_some_and(|id| id.starts_with(PREFIX))
}

fn write_places(path: &Path, imp: &Import, extract: &str) -> Result<(), Error> {
    let (header, mut rows) = read_table(path)?;
    rows.retain(|r| !is_imported(r));
    for (&node, &(lon, lat, island)) in &imp.junctions {
        let island_id = imp.islands[island].island.clone();
        rows.push(row_of(
            &header,
            &[
                ("id", format!("{PREFIX}n{node}")),
                ("kind", "junction".into()),
                ("name_zh", "道路节点".into()),
                ("name_en", "Road node".into()),
                ("pinyin", "daolu jiedian".into()),
                ("lon", format!("{lon:.7}")),
                ("lat", format!("{lat:.7}")),
                ("island", island_id),
                ("source", format!("OpenStreetMap node {node} ({extract}; {ODBL})")),
                ("confidence", "medium".into()),
            ],
        ));
    }
    write_table(path, &header, &rows)
}

// long: one pass over the road rows, the segments and the connectors, each a short arm
fn write_roads(path: &Path, region: &Region, imp: &Import, extract: &str) -> Result<(), Error> {
    let (mut header, mut rows) = read_table(path)?;
    for col in ["oneway", "structure"] {
        if !header.iter().any(|h| h == col) {
            header.push_field(col);
        }
    }
    let width = header.len();
    let replaced = imp.replaced_islands();
    let island_of = |place: &str| region.places.iter().find(|p| p.id.0 == place).map(|p| p.island.0.clone());
    let source_col = header.iter().position(|h| h == "source");
    let from_col = header.iter().position(|h| h == "from");
    rows.retain(|r| {
        let generated = source_col.and_then(|c| r.get(c)).is_some_and(|s| s.starts_with("generated"));
        let island = from_col.and_then(|c| r.get(c)).and_then(island_of);
        // drop an earlier import's rows, and generated roads of islands the import joins
        let superseded = generated && island.is_some_and(|i| replaced.contains(&i));
        !(is_imported(r) || superseded)
    });
    for r in &mut rows {
        while r.len() < width {
            r.push_field("");
        }
    }
    for s in &imp.segments {
        let tags =
            format!("highway={}{}", s.highway, if s.structure.is_empty() { String::new() } else { format!("; {}=yes", s.structure) });
        rows.push(row_of(
            &header,
            &[
                ("id", format!("{PREFIX}w{}_{}", s.way, s.part)),
                ("from", format!("{PREFIX}n{}", s.from)),
                ("to", format!("{PREFIX}n{}", s.to)),
                ("class", s.class.clone()),
                ("length_m", format!("{}", s.length_m.round().max(1.0))),
                ("source", format!("OpenStreetMap way {} ({tags}; {extract}; {ODBL})", s.way)),
                ("confidence", "medium".into()),
                ("oneway", if s.oneway { "yes".into() } else { String::new() }),
                ("structure", s.structure.to_owned()),
            ],
        ));
    }
    for snap in &imp.snaps {
        rows.push(row_of(
            &header,
            &[
                ("id", format!("{PREFIX}snap_{}", snap.place)),
                ("from", snap.place.clone()),
                ("to", format!("{PREFIX}n{}", snap.node)),
                ("class", snap.class.clone()),
                ("length_m", format!("{}", (snap.metres * region.meta.defaults.detour_factor).round().max(1.0))),
                ("source", format!("estimate: place to the nearest OpenStreetMap road node, {:.0} m × detour factor", snap.metres)),
                ("confidence", "estimate".into()),
            ],
        ));
    }
    write_table(path, &header, &rows)
}

fn write_ferries(path: &Path, imp: &Import, extract: &str) -> Result<(), Error> {
    let header: csv::StringRecord = [
        "osm_way",
        "name",
        "from_lon",
        "from_lat",
        "from_pier",
        "from_pier_m",
        "to_lon",
        "to_lat",
        "to_pier",
        "to_pier_m",
        "existing_route",
        "source",
    ]
    .into_iter()
    .collect();
    let pier = |p: &Option<(String, f64)>| match p {
        Some((id, m)) => (id.clone(), format!("{m:.0}")),
        None => (String::new(), String::new()),
    };
    let rows: Vec<csv::StringRecord> = imp
        .ferries
        .iter()
        .map(|f| {
            let ((a, am), (b, bm)) = (pier(&f.piers[0]), pier(&f.piers[1]));
            [
                f.way.to_string(),
                f.name.clone(),
                format!("{:.7}", f.ends[0].0),
                format!("{:.7}", f.ends[0].1),
                a,
                am,
                format!("{:.7}", f.ends[1].0),
                format!("{:.7}", f.ends[1].1),
                b,
                bm,
                f.existing_route.clone().unwrap_or_default(),
                format!("OpenStreetMap way {} route=ferry ({extract}; {ODBL}); candidate, no timetable", f.way),
            ]
            .into_iter()
            .collect()
        })
        .collect();
    write_table(path, &header, &rows)
}
