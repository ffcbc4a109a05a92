//! A minimal `.osm.pbf` writer: dense nodes and ways with tags, zlib blobs. Enough for the
//! tests and the province-size benchmark to feed the real reader (osmpbf) files of any
//! size without shipping binaries; not a general OSM writer.

use std::io::Write;

/// A node (id, lon, lat) and a way (id, node ids, tags) to write.
pub type Node = (i64, f64, f64);
pub type WayRec = (i64, Vec<i64>, Vec<(String, String)>);

/// Elements per block (the format's readers expect blocks of at most a few thousand).
const PER_BLOCK: usize = 8000;

/// Writes `nodes`, then `ways`, as an OSM PBF file.
pub fn write_pbf(out: &mut impl Write, nodes: &[Node], ways: &[WayRec]) -> std::io::Result<()> {
    let mut header = Vec::new();
    bytes_field(&mut header, 4, b"OsmSchema-V0.6");
    bytes_field(&mut header, 4, b"DenseNodes");
    blob(out, "OSMHeader", &header)?;
    for chunk in nodes.chunks(PER_BLOCK) {
        blob(out, "OSMData", &dense_block(chunk))?;
    }
    for chunk in ways.chunks(PER_BLOCK) {
        blob(out, "OSMData", &way_block(chunk))?;
    }
    Ok(())
}

fn varint(buf: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        buf.push((v as u8) | 0x80);
        v >>= 7;
    }
    buf.push(v as u8);
}

fn zigzag(v: i64) -> u64 {
    ((v << 1) ^ (v >> 63)) as u64
}

fn key(buf: &mut Vec<u8>, field: u32, wire: u32) {
    varint(buf, ((field << 3) | wire) as u64);
}

fn bytes_field(buf: &mut Vec<u8>, field: u32, bytes: &[u8]) {
    key(buf, field, 2);
    varint(buf, bytes.len() as u64);
    buf.extend_from_slice(bytes);
}

fn int_field(buf: &mut Vec<u8>, field: u32, v: u64) {
    key(buf, field, 0);
    varint(buf, v);
}

fn packed(buf: &mut Vec<u8>, field: u32, values: impl Iterator<Item = u64>) {
    let mut inner = Vec::new();
    for v in values {
        varint(&mut inner, v);
    }
    bytes_field(buf, field, &inner);
}

/// Deltas, zigzagged (the format's `sint64` delta coding).
fn deltas(values: impl Iterator<Item = i64>) -> impl Iterator<Item = u64> {
    let mut last = 0i64;
    values.map(move |v| {
        let d = v - last;
        last = v;
        zigzag(d)
    })
}

fn blob(out: &mut impl Write, kind: &str, data: &[u8]) -> std::io::Result<()> {
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
    z.write_all(data)?;
    let zipped = z.finish()?;
    let mut blob = Vec::new();
    int_field(&mut blob, 2, data.len() as u64);
    bytes_field(&mut blob, 3, &zipped);
    let mut header = Vec::new();
    bytes_field(&mut header, 1, kind.as_bytes());
    int_field(&mut header, 3, blob.len() as u64);
    out.write_all(&(header.len() as u32).to_be_bytes())?;
    out.write_all(&header)?;
    out.write_all(&blob)
}

/// Coordinates in the default granularity (100 nanodegrees).
fn nano(deg: f64) -> i64 {
    (deg * 1e7).round() as i64
}

fn dense_block(nodes: &[Node]) -> Vec<u8> {
    let mut dense = Vec::new();
    packed(&mut dense, 1, deltas(nodes.iter().map(|n| n.0)));
    packed(&mut dense, 8, deltas(nodes.iter().map(|n| nano(n.2))));
    packed(&mut dense, 9, deltas(nodes.iter().map(|n| nano(n.1))));
    packed(&mut dense, 10, nodes.iter().map(|_| 0));
    let mut group = Vec::new();
    bytes_field(&mut group, 2, &dense);
    block(&[String::new()], &group)
}

fn way_block(ways: &[WayRec]) -> Vec<u8> {
    let mut strings: Vec<String> = vec![String::new()];
    let mut index = std::collections::HashMap::new();
    let mut sid = |s: &str, strings: &mut Vec<String>| -> u64 {
        *index.entry(s.to_owned()).or_insert_with(|| {
            strings.push(s.to_owned());
            strings.len() as u64 - 1
        })
    };
    let mut group = Vec::new();
    for (id, refs, tags) in ways {
        let mut w = Vec::new();
        int_field(&mut w, 1, *id as u64);
        let keys: Vec<u64> = tags.iter().map(|(k, _)| sid(k, &mut strings)).collect();
        let vals: Vec<u64> = tags.iter().map(|(_, v)| sid(v, &mut strings)).collect();
        packed(&mut w, 2, keys.into_iter());
        packed(&mut w, 3, vals.into_iter());
        packed(&mut w, 8, deltas(refs.iter().copied()));
        bytes_field(&mut group, 3, &w);
    }
    block(&strings, &group)
}

fn block(strings: &[String], group: &[u8]) -> Vec<u8> {
    let mut table = Vec::new();
    for s in strings {
        bytes_field(&mut table, 1, s.as_bytes());
    }
    let mut b = Vec::new();
    bytes_field(&mut b, 1, &table);
    bytes_field(&mut b, 2, group);
    b
}
