//! A generated province-size extract (PBF through the real reader): how long an import
//! takes. Slow tier, measured not asserted:
//! `cargo test --release -p tidewatch-osm --test province -- --ignored --nocapture`
//! (`PROVINCE_NODES`, default 3,000,000, roughly the road nodes of a province's extract).

use std::path::PathBuf;
use std::time::Instant;

use tidewatch_osm::pbf_write::{write_pbf, Node, WayRec};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// A grid of roads over the Zhejiang box (118–123E, 27–31.2N): rows and columns cut into
/// ways of 50 nodes that share their end nodes, so every cut is a junction.
fn province(nodes_wanted: usize) -> (Vec<Node>, Vec<WayRec>) {
    let (lon0, lat0, w, h) = (118.0, 27.0, 5.0, 4.2);
    let step = (w * h / nodes_wanted as f64).sqrt();
    let (nx, ny) = ((w / step) as i64, (h / step) as i64);
    let id = |i: i64, j: i64| j * nx + i + 1;
    let mut nodes = Vec::with_capacity((nx * ny) as usize);
    for j in 0..ny {
        for i in 0..nx {
            nodes.push((id(i, j), lon0 + i as f64 * step, lat0 + j as f64 * step));
        }
    }
    let mut ways = Vec::new();
    let tag = |k: i64| {
        let highway = ["residential", "tertiary", "secondary", "service"][(k % 4) as usize];
        let mut t = vec![("highway".to_string(), highway.to_string())];
        if k % 7 == 0 {
            t.push(("oneway".into(), "yes".into()));
        }
        t
    };
    for j in 0..ny {
        for start in (0..nx - 1).step_by(49) {
            let refs: Vec<i64> = (start..(start + 50).min(nx)).map(|i| id(i, j)).collect();
            ways.push((ways.len() as i64 + 1, refs, tag(j + start)));
        }
    }
    for i in 0..nx {
        for start in (0..ny - 1).step_by(49) {
            let refs: Vec<i64> = (start..(start + 50).min(ny)).map(|j| id(i, j)).collect();
            ways.push((ways.len() as i64 + 1, refs, tag(i + start)));
        }
    }
    (nodes, ways)
}

#[test]
#[ignore = "slow tier: a province-size extract, measured"]
fn a_province_size_extract_imports() {
    let n: usize = std::env::var("PROVINCE_NODES").ok().and_then(|v| v.parse().ok()).unwrap_or(3_000_000);
    let dir = tempfile::tempdir().unwrap();
    let t = Instant::now();
    let (nodes, ways) = province(n);
    let file = dir.path().join("province.osm.pbf");
    write_pbf(&mut std::io::BufWriter::new(std::fs::File::create(&file).unwrap()), &nodes, &ways).unwrap();
    let size = std::fs::metadata(&file).unwrap().len();
    println!("generated {} nodes, {} ways, {:.1} MB PBF in {:.1} s", nodes.len(), ways.len(), size as f64 / 1e6, t.elapsed().as_secs_f64());
    drop((nodes, ways));
    let pack = dir.path().join("pack");
    std::fs::create_dir(&pack).unwrap();
    for e in std::fs::read_dir(repo().join("assets/regions/dinghai")).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), pack.join(e.file_name())).unwrap();
    }
    let t = Instant::now();
    let report = tidewatch_osm::import_roads(&pack, &file).unwrap();
    println!("import (read, graph, write, load check) in {:.1} s\n{report}", t.elapsed().as_secs_f64());
    let t = Instant::now();
    let region = tidewatch_core::region::Region::load(&pack).unwrap();
    println!("the imported pack loads in {:.2} s: {} places, {} roads", t.elapsed().as_secs_f64(), region.places.len(), region.roads.len());
    assert!(region.roads.len() > 10_000, "the grid over the islands was imported");
}
