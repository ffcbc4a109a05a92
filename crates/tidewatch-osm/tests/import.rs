//! `import-roads` on small extracts written for the tests (tests/data/osm): the same
//! network as OSM XML, GeoJSON and PBF gives the same graph; one-way, bridge and tunnel
//! tags, ferries as candidates, places snapped, each island's connectivity, generated
//! roads kept where the import does not cover an island; bad input names file and element
//! and never writes half a pack.

use std::path::{Path, PathBuf};

use tidewatch_core::region::Region;
use tidewatch_osm::graph::build_import;
use tidewatch_osm::highways::HighwayTable;
use tidewatch_osm::{import_roads, pbf_write, read};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn data(name: &str) -> PathBuf {
    repo().join("tests/data/osm").join(name)
}

/// A copy of the Dinghai pack in a temporary folder.
fn pack_copy() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let src = repo().join("assets/regions/dinghai");
    for e in std::fs::read_dir(&src).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), tmp.path().join(e.file_name())).unwrap();
    }
    tmp
}

fn file_text(dir: &Path, f: &str) -> String {
    std::fs::read_to_string(dir.join(f)).unwrap()
}

fn osm_rows(dir: &Path, f: &str) -> Vec<String> {
    file_text(dir, f).lines().filter(|l| l.starts_with("osm_")).map(str::to_owned).collect()
}

#[test]
fn an_osm_xml_extract_becomes_the_islands_road_graph() {
    let pack = pack_copy();
    let report = import_roads(pack.path(), &data("damao.osm")).unwrap();
    assert!(report.contains("island damao: 8 road nodes, 8 segments, 2 connected components (1 that no place reaches left out); one graph joins every place"), "{report}");
    assert!(report.contains("island zhoushan: no imported roads; its generated roads stay"), "{report}");
    assert!(report.contains("highway=footway (1)"), "{report}");
    assert!(report.contains("missing from the extract or at sea: 3"), "{report}");
    assert!(report.contains("wrote 6 road nodes, 7 road segments (2 one-way, 1 bridges, 1 tunnels), 2 place connectors"), "{report}");
    let region = Region::load(pack.path()).expect("the imported pack loads");
    let roads = osm_rows(pack.path(), "roads.csv");
    assert_eq!(roads.len(), 9, "{roads:#?}");
    let oneway: Vec<&String> = roads.iter().filter(|r| r.contains(",yes,")).collect();
    assert_eq!(oneway.len(), 2, "way 102 is one-way: {oneway:#?}");
    assert!(oneway.iter().all(|r| r.starts_with("osm_w102_")));
    assert!(roads.iter().any(|r| r.starts_with("osm_w103_1,osm_n5,osm_n6,village,") && r.ends_with(",bridge")), "{roads:#?}");
    assert!(roads.iter().any(|r| r.starts_with("osm_w108_1,osm_n3,osm_n6,village,") && r.ends_with(",tunnel")), "{roads:#?}");
    // the place connectors are estimates; the OSM segments are not
    let snaps: Vec<&String> = roads.iter().filter(|r| r.starts_with("osm_snap_")).collect();
    assert_eq!(snaps.len(), 2);
    assert!(snaps.iter().all(|r| r.contains(",estimate")));
    assert!(roads.iter().filter(|r| r.starts_with("osm_w")).all(|r| r.contains("ODbL") && r.contains(",medium,")));
    // Damao's generated road is replaced, the main island's stay
    let generated = |island: &str| {
        region
            .roads
            .iter()
            .filter(|r| r.provenance.source.starts_with("generated"))
            .filter(|r| region.place(&r.from).unwrap().island.0 == island)
            .count()
    };
    assert_eq!(generated("damao"), 0);
    assert!(generated("zhoushan") > 50);
    // the ferry is a candidate next to the route it matches, not a route
    let ferries = file_text(pack.path(), "ferry_candidates.csv");
    let row = ferries.lines().nth(1).expect("one candidate");
    assert!(row.starts_with("200,Dinghai - Damao,") && row.contains(",pier_damao,") && row.contains(",pier_dinghai,"), "{row}");
    assert!(row.contains(",ferry_dinghai_damao,"), "{row}");
}

#[test]
fn importing_twice_gives_the_same_pack() {
    let pack = pack_copy();
    import_roads(pack.path(), &data("damao.osm")).unwrap();
    let first = (file_text(pack.path(), "places.csv"), file_text(pack.path(), "roads.csv"));
    import_roads(pack.path(), &data("damao.osm")).unwrap();
    assert!(first == (file_text(pack.path(), "places.csv"), file_text(pack.path(), "roads.csv")));
}

#[test]
fn geojson_and_pbf_give_the_graph_of_the_xml() {
    let region = Region::load(&repo().join("assets/regions/dinghai")).unwrap();
    let table = HighwayTable::of_pack(&repo().join("assets/regions/dinghai"), &region).unwrap();
    let xml = read::read(&data("damao.osm"), &region.meta.bounds).unwrap();
    let summary = |d: &tidewatch_osm::OsmData| {
        let imp = build_import(&region, d, &table);
        let mut segs: Vec<(i64, u32, String, bool, &str, i64)> =
            imp.segments.iter().map(|s| (s.way, s.part, s.class.clone(), s.oneway, s.structure, s.length_m.round() as i64)).collect();
        segs.sort();
        (segs, imp.snaps.len(), imp.ferries.len(), imp.islands.iter().map(|r| r.replaces_generated).collect::<Vec<_>>())
    };
    let want = summary(&xml);
    assert_eq!(want.0.len(), 7);
    let geo = read::read(&data("damao.geojson"), &region.meta.bounds).unwrap();
    assert_eq!(summary(&geo), want, "GeoJSON");
    // the same elements through the PBF writer and osmpbf
    let dir = tempfile::tempdir().unwrap();
    let pbf = dir.path().join("damao.osm.pbf");
    let mut nodes: Vec<pbf_write::Node> = xml.nodes.iter().map(|(&id, &(lon, lat))| (id, lon, lat)).collect();
    nodes.sort_by_key(|n| n.0);
    let ways: Vec<pbf_write::WayRec> =
        xml.ways.iter().map(|w| (w.id, w.nodes.clone(), w.tags.iter().map(|(k, v)| (k.clone(), v.clone())).collect())).collect();
    pbf_write::write_pbf(&mut std::fs::File::create(&pbf).unwrap(), &nodes, &ways).unwrap();
    let from_pbf = read::read(&pbf, &region.meta.bounds).unwrap();
    // the format stores 1e-7 degrees
    assert_eq!(from_pbf.nodes.len(), xml.nodes.len());
    for (id, (lon, lat)) in &xml.nodes {
        let (l2, b2) = from_pbf.nodes[id];
        assert!((lon - l2).abs() < 1e-7 && (lat - b2).abs() < 1e-7, "node {id}");
    }
    assert_eq!(summary(&from_pbf), want, "PBF");
}

fn refused(pack: &Path, file: &Path) -> String {
    let before = (file_text(pack, "places.csv"), file_text(pack, "roads.csv"));
    let err = import_roads(pack, file).expect_err("bad input imported").to_string();
    assert!(before == (file_text(pack, "places.csv"), file_text(pack, "roads.csv")), "a refused import changed the pack");
    err
}

#[test]
fn bad_extracts_name_the_file_and_the_element() {
    let pack = pack_copy();
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| {
        let p = dir.path().join(name);
        std::fs::write(&p, text).unwrap();
        p
    };
    let xml = std::fs::read_to_string(data("damao.osm")).unwrap();
    let cases = [
        (write("lat.osm", &xml.replace(r#"lat="29.953""#, r#"lat="north""#)), "node 2: lat 'north' is not a number"),
        (write("far.osm", &xml.replace(r#"lat="29.953""#, r#"lat="95""#)), "node 2: coordinates 95"),
        (write("ref.osm", &xml.replace(r#"<nd ref="4"/>"#, r#"<nd ref="x4"/>"#)), "nd (no id): ref 'x4' is not a whole number"),
        (write("cut.osm", &xml[..xml.find("</way>").unwrap()]), "ends inside a <way>"),
        (write("tag.osm", &xml.replace(r#"k="bridge" v="yes""#, r#"k="bridge""#)), "way 103: a tag without k or v"),
        (write("broken.osm", &xml.replace("<nd ref=\"5\"/>", "<nd ref=\"5\"")), "byte"),
        (
            write(
                "bad.geojson",
                r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"LineString","coordinates":[[122.05,29.95],[122.05,"x"]]}}]}"#,
            ),
            "feature 0: coordinates[1] is not a [lon, lat] pair",
        ),
        (
            write(
                "nan.geojson",
                r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"LineString","coordinates":[[122.05,29.95],[500,29.9]]}}]}"#,
            ),
            "feature 0: coordinates[1] 500, 29.9 is not on the globe",
        ),
        (write("notfc.geojson", r#"{"type":"Feature"}"#), "not a GeoJSON FeatureCollection"),
        (write("junk.osm.pbf", "this is not a pbf file at all"), "not a readable OSM PBF file"),
        (write("roads.shp", "x"), "unknown extract type"),
    ];
    for (file, want) in cases {
        let err = refused(pack.path(), &file);
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        assert!(err.contains(&name) && err.contains(want), "{name}: {err}");
    }
}

#[test]
fn a_highway_class_the_pack_lacks_is_refused_naming_the_table_row() {
    let pack = pack_copy();
    std::fs::write(pack.path().join("osm_highways.csv"), "highway,class\nprimary,national\nresidential,lane\n").unwrap();
    let err = refused(pack.path(), &data("damao.osm"));
    assert!(err.contains("osm_highways.csv:3: highway=residential maps to road class 'lane'"), "{err}");
}

/// Mutated extracts (bytes flipped, cut, duplicated; seeded): never a panic, and either a
/// pack that loads or a refusal that leaves the pack as it was.
#[test]
fn mutated_extracts_never_panic_or_half_write() {
    let cases: u64 = std::env::var("FUZZ_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(48);
    let pack = pack_copy();
    let dir = tempfile::tempdir().unwrap();
    let sources = [("osm", std::fs::read(data("damao.osm")).unwrap()), ("geojson", std::fs::read(data("damao.geojson")).unwrap())];
    let mut rng = tidewatch_core::rng::Rng::new(19);
    for case in 0..cases {
        let (ext, src) = &sources[(case % 2) as usize];
        let mut bytes = src.clone();
        mutate(&mut bytes, &mut rng);
        let file = dir.path().join(format!("case{case}.{ext}"));
        std::fs::write(&file, &bytes).unwrap();
        let result = std::panic::catch_unwind(|| import_roads(pack.path(), &file));
        let result = result.unwrap_or_else(|_| panic!("case {case} panicked"));
        if let Err(e) = result {
            assert!(e.to_string().contains(&format!("case{case}")) || matches!(e, tidewatch_core::Error::Pack(_)), "case {case}: {e}");
        }
        Region::load(pack.path()).unwrap_or_else(|e| panic!("case {case} left a pack that does not load: {e}"));
    }
}

fn mutate(bytes: &mut Vec<u8>, rng: &mut tidewatch_core::rng::Rng) {
    let n = bytes.len();
    match rng.below(4) {
        0 => {
            for _ in 0..1 + rng.below(8) {
                let i = rng.below(n);
                bytes[i] = rng.below(256) as u8;
            }
        }
        1 => bytes.truncate(rng.below(n)),
        2 => {
            let (a, len) = (rng.below(n), rng.below(200));
            let piece: Vec<u8> = bytes[a..(a + len).min(n)].to_vec();
            let at = rng.below(n);
            bytes.splice(at..at, piece);
        }
        _ => {
            // digits swapped for other digits: coordinates move, ids change
            for b in bytes.iter_mut() {
                if b.is_ascii_digit() && rng.below(40) == 0 {
                    *b = b'0' + rng.below(10) as u8;
                }
            }
        }
    }
}
