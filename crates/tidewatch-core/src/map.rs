//! What the desk draws: a region flattened into map layers (coordinates resolved,
//! estimates flagged) so the UI needs no knowledge of the pack's cross-references.

use serde::Serialize;

use crate::region::{Bounds, Region};

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct MapView {
    pub region: RegionHeader,
    /// `islands.geojson` with `estimated` added to each feature's properties.
    #[ts(type = "import('./types').IslandCollection")]
    pub islands: serde_json::Value,
    pub places: Vec<MapPlace>,
    pub roads: Vec<MapRoad>,
    pub bridges: Vec<MapLink>,
    pub ferry_routes: Vec<MapFerry>,
    pub units: Vec<MapUnit>,
    /// Pack rows whose confidence is `low` or `estimate`.
    pub estimated_rows: usize,
}

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct RegionHeader {
    pub id: String,
    pub name_zh: String,
    pub name_en: String,
    pub time_zone: String,
    pub attribution: String,
    pub bounds: Bounds,
}

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct MapPlace {
    pub id: String,
    pub kind: &'static str,
    pub name_zh: String,
    pub name_en: String,
    pub pinyin: String,
    pub lon: f64,
    pub lat: f64,
    pub island: String,
    pub confidence: crate::region::Confidence,
    pub estimated: bool,
}

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct MapRoad {
    pub id: String,
    pub from: [f64; 2],
    pub to: [f64; 2],
    pub class: String,
    pub estimated: bool,
}

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct MapLink {
    pub id: String,
    pub name_zh: String,
    pub name_en: String,
    pub from: [f64; 2],
    pub to: [f64; 2],
    pub closed: bool,
    pub estimated: bool,
}

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct MapFerry {
    pub id: String,
    pub name_zh: String,
    pub name_en: String,
    pub vessel: crate::region::VesselClass,
    pub from: [f64; 2],
    pub to: [f64; 2],
    pub suspended: bool,
    pub estimated: bool,
}

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct MapUnit {
    pub id: String,
    pub call_sign: String,
    pub kind: &'static str,
    pub base: String,
    pub lon: f64,
    pub lat: f64,
    pub status: &'static str,
}

pub fn map_view(region: &Region) -> MapView {
    let at = |id: &crate::ids::PlaceId| {
        let p = region.place(id).expect("validated pack: every reference resolves");
        [p.lon, p.lat]
    };
    let mut islands = region.islands_geojson.clone();
    if let Some(features) = islands.get_mut("features").and_then(|f| f.as_array_mut()) {
        for (feature, island) in features.iter_mut().zip(&region.islands) {
            if let Some(props) = feature.get_mut("properties").and_then(|p| p.as_object_mut()) {
                props.insert("estimated".into(), island.provenance.confidence.is_estimate().into());
            }
        }
    }
    MapView {
        region: RegionHeader {
            id: region.meta.id.clone(),
            name_zh: region.meta.name_zh.clone(),
            name_en: region.meta.name_en.clone(),
            time_zone: region.meta.time_zone.name().to_string(),
            attribution: region.meta.attribution.clone(),
            bounds: region.meta.bounds,
        },
        islands,
        places: region
            .places
            .iter()
            .map(|p| MapPlace {
                id: p.id.0.clone(),
                kind: p.kind.name(),
                name_zh: p.name_zh.clone(),
                name_en: p.name_en.clone(),
                pinyin: p.pinyin.clone(),
                lon: p.lon,
                lat: p.lat,
                island: p.island.0.clone(),
                confidence: p.provenance.confidence,
                estimated: p.provenance.confidence.is_estimate(),
            })
            .collect(),
        roads: region
            .roads
            .iter()
            .map(|r| MapRoad {
                id: r.id.clone(),
                from: at(&r.from),
                to: at(&r.to),
                class: r.class.clone(),
                estimated: r.provenance.confidence.is_estimate(),
            })
            .collect(),
        bridges: region
            .bridges
            .iter()
            .map(|b| MapLink {
                id: b.id.0.clone(),
                name_zh: b.name_zh.clone(),
                name_en: b.name_en.clone(),
                from: at(&b.from),
                to: at(&b.to),
                closed: b.status.is_closed(),
                estimated: b.provenance.confidence.is_estimate(),
            })
            .collect(),
        ferry_routes: region
            .ferry_routes
            .iter()
            .map(|f| MapFerry {
                id: f.id.0.clone(),
                name_zh: f.name_zh.clone(),
                name_en: f.name_en.clone(),
                vessel: f.vessel,
                from: at(&f.from),
                to: at(&f.to),
                suspended: f.status.is_closed(),
                estimated: f.provenance.confidence.is_estimate(),
            })
            .collect(),
        units: region
            .units
            .iter()
            .map(|u| {
                let [lon, lat] = at(&u.base);
                MapUnit {
                    id: u.id.0.clone(),
                    call_sign: u.call_sign.clone(),
                    kind: u.kind.name(),
                    base: u.base.0.clone(),
                    lon,
                    lat,
                    status: "available",
                }
            })
            .collect(),
        estimated_rows: region.counts().estimated,
    }
}
