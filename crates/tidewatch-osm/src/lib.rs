//! OpenStreetMap extracts into a region pack's road graph (`tidewatch region import-roads`).
//!
//! [`read`] turns a `.osm.pbf`, `.osm` (XML) or GeoJSON file into [`OsmData`] (highway and
//! ferry ways, and the nodes inside the pack's bounds); [`graph`] builds the road graph on
//! the pack's islands (classes from the pack's highway table, one-way and bridge/tunnel
//! tags, places and piers snapped, each island's connectivity), and [`write`] writes it
//! into the pack after the pack loader has checked a staging copy. [`pbf_write`] is a
//! minimal PBF writer for tests and the province-size benchmark.

pub mod graph;
pub mod highways;
pub mod model;
pub mod pbf_write;
pub mod read;
pub mod report;
pub mod write;

pub use graph::{build_import, Import, IslandReport};
pub use model::{OsmData, Way};

/// An input or pack problem, named by file and element (`roads.osm: way 17: …`).
pub fn input_error(file: &std::path::Path, message: impl Into<String>) -> tidewatch_core::Error {
    tidewatch_core::Error::InvalidInput { field: file.display().to_string(), message: message.into() }
}

/// Reads `extract`, imports it into the pack at `dir` and returns the report (text).
/// Errors: the pack does not load, the extract is unreadable (file and element named), or
/// the imported pack would not load (nothing is written then).
pub fn import_roads(dir: &std::path::Path, extract: &std::path::Path) -> Result<String, tidewatch_core::Error> {
    let region = tidewatch_core::region::Region::load(dir).map_err(tidewatch_core::Error::Pack)?;
    let table = highways::HighwayTable::of_pack(dir, &region)?;
    let data = read::read(extract, &region.meta.bounds)?;
    let imp = build_import(&region, &data, &table);
    let name = extract.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    write::write_import(dir, &region, &imp, &name)?;
    Ok(report::text(&name, &data, &imp))
}
