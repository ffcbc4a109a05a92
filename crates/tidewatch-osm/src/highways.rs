//! The pack's table from OSM `highway` values to its road classes (`osm_highways.csv`:
//! `highway,class`), or the default below when the pack has none. A highway value not in
//! the table (footway, path, construction, …) is not a road a patrol car drives.

use std::collections::HashMap;
use std::path::Path;

use tidewatch_core::region::Region;
use tidewatch_core::Error;

use crate::input_error;

pub const FILE: &str = "osm_highways.csv";

/// Used when the pack has no `osm_highways.csv`; the classes are the Dinghai pack's.
pub const DEFAULT: &[(&str, &str)] = &[
    ("motorway", "expressway"),
    ("motorway_link", "expressway"),
    ("trunk", "expressway"),
    ("trunk_link", "national"),
    ("primary", "national"),
    ("primary_link", "national"),
    ("secondary", "national"),
    ("secondary_link", "village"),
    ("tertiary", "village"),
    ("tertiary_link", "village"),
    ("unclassified", "village"),
    ("residential", "urban"),
    ("living_street", "urban"),
    ("service", "small_island"),
    ("track", "small_island"),
];

/// highway value → (class id, km/h).
pub struct HighwayTable(pub HashMap<String, (String, f64)>);

impl HighwayTable {
    /// The pack's table (or the default), each class checked against `region.toml`.
    pub fn of_pack(dir: &Path, region: &Region) -> Result<HighwayTable, Error> {
        let file = dir.join(FILE);
        let rows: Vec<(usize, String, String)> = if file.exists() {
            read_rows(&file)?
        } else {
            DEFAULT.iter().enumerate().map(|(i, (h, c))| (i + 2, h.to_string(), c.to_string())).collect()
        };
        let mut out = HashMap::new();
        for (line, highway, class) in rows {
            let Some(rc) = region.meta.road_classes.iter().find(|rc| rc.id == class) else {
                let whence = if file.exists() { format!("{FILE}:{line}") } else { "the default highway table".into() };
                return Err(input_error(dir, format!("{whence}: highway={highway} maps to road class '{class}', which region.toml does not define (add it, or an {FILE})")));
            };
            out.insert(highway, (class, rc.speed_kmh));
        }
        Ok(HighwayTable(out))
    }

    pub fn class(&self, highway: &str) -> Option<&(String, f64)> {
        self.0.get(highway)
    }
}

fn read_rows(file: &Path) -> Result<Vec<(usize, String, String)>, Error> {
    let mut reader = csv::Reader::from_path(file).map_err(|e| input_error(file, format!("cannot read: {e}")))?;
    let mut out = Vec::new();
    for (i, rec) in reader.records().enumerate() {
        let rec = rec.map_err(|e| input_error(file, format!("line {}: {e}", i + 2)))?;
        match (rec.get(0).map(str::trim), rec.get(1).map(str::trim)) {
            (Some(h), Some(c)) if !h.is_empty() && !c.is_empty() => out.push((i + 2, h.to_owned(), c.to_owned())),
            _ => return Err(input_error(file, format!("line {}: expected highway,class", i + 2))),
        }
    }
    Ok(out)
}
