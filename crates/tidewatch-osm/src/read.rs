//! Reading an extract: `.osm.pbf` (osmpbf), `.osm` (XML, quick-xml) or `.geojson`/`.json`
//! (LineString and MultiLineString features). Only nodes inside `bounds` are kept, so a
//! province-size file costs the memory of the pack's area. Every error names the file and
//! the element (`way 17`, `node 4`, `feature 3`, or the byte offset of broken XML).

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use tidewatch_core::region::Bounds;
use tidewatch_core::Error;

use crate::input_error;
use crate::model::OsmData;

/// Reads `path` by its extension.
pub fn read(path: &Path, bounds: &Bounds) -> Result<OsmData, Error> {
    let name = path.file_name().map(|n| n.to_string_lossy().to_lowercase()).unwrap_or_default();
    if name.ends_with(".osm.pbf") || name.ends_with(".pbf") {
        read_pbf(path, bounds)
    } else if name.ends_with(".osm") || name.ends_with(".xml") {
        read_xml(path, bounds)
    } else if name.ends_with(".geojson") || name.ends_with(".json") {
        read_geojson(path, bounds)
    } else {
        Err(input_error(path, "unknown extract type: expected .osm.pbf, .osm or .geojson"))
    }
}

fn in_bounds(b: &Bounds, lon: f64, lat: f64) -> bool {
    b.contains(lon, lat)
}

/// A node's coordinates as OSM allows them (finite, on the globe).
fn valid_coords(lon: f64, lat: f64) -> bool {
    lon.is_finite() && lat.is_finite() && (-180.0..=180.0).contains(&lon) && (-90.0..=90.0).contains(&lat)
}

// ------------------------------------------------------------------------------ PBF

pub fn read_pbf(path: &Path, bounds: &Bounds) -> Result<OsmData, Error> {
    use osmpbf::{Element, ElementReader};
    let reader = ElementReader::from_path(path).map_err(|e| input_error(path, format!("cannot read: {e}")))?;
    let mut data = OsmData::default();
    let mut bad: Option<String> = None;
    let mut node = |data: &mut OsmData, id: i64, lon: f64, lat: f64| {
        data.nodes_read += 1;
        if !valid_coords(lon, lat) {
            bad.get_or_insert_with(|| format!("node {id}: coordinates {lat}, {lon} are not on the globe"));
        } else if in_bounds(bounds, lon, lat) {
            data.nodes.insert(id, (lon, lat));
        }
    };
    reader
        .for_each(|element| match element {
            Element::Node(n) => node(&mut data, n.id(), n.lon(), n.lat()),
            Element::DenseNode(n) => node(&mut data, n.id(), n.lon(), n.lat()),
            Element::Way(w) => {
                let tags: BTreeMap<String, String> = w.tags().map(|(k, v)| (k.to_owned(), v.to_owned())).collect();
                data.keep_way(w.id(), w.refs().collect(), tags);
            }
            Element::Relation(_) => {}
        })
        .map_err(|e| input_error(path, format!("not a readable OSM PBF file: {e}")))?;
    match bad {
        Some(message) => Err(input_error(path, message)),
        None => Ok(data),
    }
}

// ------------------------------------------------------------------------------ XML

/// The element being read: a way collects its `nd` and `tag` children.
struct OpenWay {
    id: i64,
    nodes: Vec<i64>,
    tags: BTreeMap<String, String>,
}

pub fn read_xml(path: &Path, bounds: &Bounds) -> Result<OsmData, Error> {
    use quick_xml::events::Event;
    let file = std::fs::File::open(path).map_err(|e| input_error(path, format!("cannot open: {e}")))?;
    let mut reader = quick_xml::Reader::from_reader(std::io::BufReader::new(file));
    let mut data = OsmData::default();
    let mut way: Option<OpenWay> = None;
    let mut buf = Vec::new();
    loop {
        let at = reader.buffer_position();
        let event = reader
            .read_event_into(&mut buf)
            .map_err(|e| input_error(path, format!("broken XML at byte {}: {e}", reader.error_position())))?;
        match event {
            Event::Start(e) => {
                let attrs = attributes(path, at, &e)?;
                xml_element(path, bounds, e.name().as_ref(), &attrs, &mut data, &mut way, true)?;
            }
            Event::Empty(e) => {
                // `<way …/>`: a way with no children, read like `<way …></way>`
                let attrs = attributes(path, at, &e)?;
                xml_element(path, bounds, e.name().as_ref(), &attrs, &mut data, &mut way, false)?;
            }
            Event::End(e) if e.name().as_ref() == "way" => {
                if let Some(w) = way.take() {
                    data.keep_way(w.id, w.nodes, w.tags);
                }
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    if way.is_some() {
        return Err(input_error(path, "the file ends inside a <way>"));
    }
    Ok(data)
}

fn attributes(path: &Path, at: u64, e: &quick_xml::events::BytesStart) -> Result<HashMap<String, String>, Error> {
    let mut out = HashMap::new();
    for a in e.attributes() {
        let a = a.map_err(|err| input_error(path, format!("broken attribute near byte {at}: {err}")))?;
        let value = a
            .normalized_value(quick_xml::XmlVersion::Implicit1_0)
            .map_err(|err| input_error(path, format!("broken attribute value near byte {at}: {err}")))?;
        out.insert(a.key.as_ref().to_owned(), value.into_owned());
    }
    Ok(out)
}

fn xml_element(
    path: &Path,
    bounds: &Bounds,
    name: &str,
    attrs: &HashMap<String, String>,
    data: &mut OsmData,
    way: &mut Option<OpenWay>,
    opens_way: bool,
) -> Result<(), Error> {
    let what = |kind: &str| format!("{kind} {}", attrs.get("id").map(String::as_str).unwrap_or("(no id)"));
    let int = |key: &str, kind: &str| -> Result<i64, Error> {
        let v = attrs.get(key).ok_or_else(|| input_error(path, format!("{}: no {key}", what(kind))))?;
        v.parse().map_err(|_| input_error(path, format!("{}: {key} '{v}' is not a whole number", what(kind))))
    };
    let float = |key: &str| -> Result<f64, Error> {
        let v = attrs.get(key).ok_or_else(|| input_error(path, format!("{}: no {key}", what("node"))))?;
        v.parse().map_err(|_| input_error(path, format!("{}: {key} '{v}' is not a number", what("node"))))
    };
    match name {
        "node" => {
            let (id, lon, lat) = (int("id", "node")?, float("lon")?, float("lat")?);
            if !valid_coords(lon, lat) {
                return Err(input_error(path, format!("node {id}: coordinates {lat}, {lon} are not on the globe")));
            }
            data.nodes_read += 1;
            if in_bounds(bounds, lon, lat) {
                data.nodes.insert(id, (lon, lat));
            }
        }
        "way" => {
            let id = int("id", "way")?;
            if way.is_some() {
                return Err(input_error(path, format!("way {id}: starts inside another way")));
            }
            let w = OpenWay { id, nodes: Vec::new(), tags: BTreeMap::new() };
            if opens_way {
                *way = Some(w);
            } else {
                data.keep_way(w.id, w.nodes, w.tags);
            }
        }
        "nd" => {
            if let Some(w) = way.as_mut() {
                let r = int("ref", "nd")?;
                w.nodes.push(r);
            }
        }
        "tag" => {
            if let Some(w) = way.as_mut() {
                let (Some(k), Some(v)) = (attrs.get("k"), attrs.get("v")) else {
                    return Err(input_error(path, format!("way {}: a tag without k or v", w.id)));
                };
                w.tags.insert(k.clone(), v.clone());
            }
        }
        _ => {}
    }
    Ok(())
}

// -------------------------------------------------------------------------- GeoJSON

/// GeoJSON has no node ids: positions are shared by their coordinates (to 1e-7°, the
/// OSM precision), so lines meeting at a point make a junction there.
pub fn read_geojson(path: &Path, bounds: &Bounds) -> Result<OsmData, Error> {
    let text = std::fs::read_to_string(path).map_err(|e| input_error(path, format!("cannot read: {e}")))?;
    let doc: serde_json::Value = serde_json::from_str(&text).map_err(|e| input_error(path, format!("not JSON: {e}")))?;
    let features = doc
        .get("features")
        .and_then(|f| f.as_array())
        .ok_or_else(|| input_error(path, "not a GeoJSON FeatureCollection (no features array)"))?;
    let mut data = OsmData::default();
    let mut ids: HashMap<(i64, i64), i64> = HashMap::new();
    for (i, f) in features.iter().enumerate() {
        let tags = feature_tags(f);
        let Some(geometry) = f.get("geometry").filter(|g| !g.is_null()) else { continue };
        let lines = feature_lines(geometry).map_err(|m| input_error(path, format!("feature {i}: {m}")))?;
        let way_id = f.get("id").and_then(|v| v.as_i64()).unwrap_or(i as i64 + 1);
        for (li, line) in lines.iter().enumerate() {
            let mut refs = Vec::with_capacity(line.len());
            for &(lon, lat) in line {
                let key = ((lon * 1e7).round() as i64, (lat * 1e7).round() as i64);
                let next = ids.len() as i64 + 1;
                let id = *ids.entry(key).or_insert(next);
                if id == next {
                    data.nodes_read += 1;
                    if in_bounds(bounds, lon, lat) {
                        data.nodes.insert(id, (lon, lat));
                    }
                }
                refs.push(id);
            }
            // a MultiLineString's parts become ways of their own, numbered after the feature
            let id = if lines.len() == 1 { way_id } else { way_id.saturating_mul(1000).saturating_add(li as i64) };
            data.keep_way(id, refs, tags.clone());
        }
    }
    Ok(data)
}

fn feature_tags(f: &serde_json::Value) -> BTreeMap<String, String> {
    let Some(props) = f.get("properties").and_then(|p| p.as_object()) else { return BTreeMap::new() };
    props
        .iter()
        .filter_map(|(k, v)| match v {
            serde_json::Value::String(s) => Some((k.clone(), s.clone())),
            serde_json::Value::Number(n) => Some((k.clone(), n.to_string())),
            serde_json::Value::Bool(b) => Some((k.clone(), if *b { "yes" } else { "no" }.to_owned())),
            _ => None,
        })
        .collect()
}

/// The lines of a LineString or MultiLineString; other geometries have none.
fn feature_lines(g: &serde_json::Value) -> Result<Vec<Vec<(f64, f64)>>, String> {
    let coords = g.get("coordinates");
    match g.get("type").and_then(|t| t.as_str()) {
        Some("LineString") => Ok(vec![line(coords)?]),
        Some("MultiLineString") => {
            let parts = coords.and_then(|c| c.as_array()).ok_or("MultiLineString without a coordinates array")?;
            parts.iter().map(|p| line(Some(p))).collect()
        }
        Some(_) => Ok(Vec::new()),
        None => Err("geometry without a type".into()),
    }
}

fn line(coords: Option<&serde_json::Value>) -> Result<Vec<(f64, f64)>, String> {
    let arr = coords.and_then(|c| c.as_array()).ok_or("LineString without a coordinates array")?;
    let mut out = Vec::with_capacity(arr.len());
    for (k, p) in arr.iter().enumerate() {
        let pos = p.as_array().filter(|a| a.len() >= 2);
        let (lon, lat) = match pos.map(|a| (a[0].as_f64(), a[1].as_f64())) {
            Some((Some(lon), Some(lat))) => (lon, lat),
            _ => return Err(format!("coordinates[{k}] is not a [lon, lat] pair of numbers")),
        };
        if !valid_coords(lon, lat) {
            return Err(format!("coordinates[{k}] {lon}, {lat} is not on the globe"));
        }
        out.push((lon, lat));
    }
    Ok(out)
}
