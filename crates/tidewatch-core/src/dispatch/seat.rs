//! Seats: where a desk sits in the "1+2" command, and so which incidents and units are its
//! own. The centre (合成作战中心) sees and acts on everything; the traffic squadron (交警中队)
//! owns the traffic calls (the pack's `[kpi] traffic_types`) and the traffic units; a police
//! station (派出所) owns its area: the incidents whose nearest station is this one, and the
//! units based nearest to it. "Nearest" looks first on the same island (a station on
//! another island is across the water, however close it looks), then anywhere when the
//! island has no station of its own.
//!
//! Pure rules over the region; who may act where (and the storage of a seat) is the
//! service's.

use serde::Serialize;

use crate::dispatch::Board;
use crate::geo_math::haversine_m;
use crate::ids::PlaceId;
use crate::region::{Place, PlaceKind, Region, Unit, UnitKind};
use crate::Error;

/// A desk's place in the command.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Seat {
    /// The command centre: everything is its own.
    Centre,
    /// The traffic squadron: traffic calls and traffic units.
    Traffic,
    /// A police station (a place of kind station): its area.
    Station(PlaceId),
}

impl Seat {
    /// `centre`, `traffic` or `station:<place id of a station>`; anything else is refused
    /// naming the field `seat`.
    pub fn parse(region: &Region, text: &str) -> Result<Seat, Error> {
        match text {
            "centre" => Ok(Seat::Centre),
            "traffic" => Ok(Seat::Traffic),
            _ => {
                let id = text
                    .strip_prefix("station:")
                    .ok_or_else(|| Error::invalid("seat", format!("'{text}' is not a seat: centre, traffic or station:<station id>")))?;
                match region.place(&PlaceId::from(id)) {
                    Some(p) if p.kind == PlaceKind::Station => Ok(Seat::Station(p.id.clone())),
                    _ => Err(Error::invalid("seat", format!("'{id}' is not a police station of {}", region.meta.id))),
                }
            }
        }
    }

    /// The seat as [`Seat::parse`] reads it.
    pub fn name(&self) -> String {
        match self {
            Seat::Centre => "centre".into(),
            Seat::Traffic => "traffic".into(),
            Seat::Station(id) => format!("station:{id}"),
        }
    }

    pub fn is_centre(&self) -> bool {
        *self == Seat::Centre
    }

    /// What the seat owns, in words (for a refusal): "the area of 金塘派出所 (ps_jintang)".
    pub fn area_name(&self, region: &Region) -> String {
        match self {
            Seat::Centre => "every area".into(),
            Seat::Traffic => "the traffic squadron's calls".into(),
            Seat::Station(id) => {
                let name = region.place(id).map_or(id.0.as_str(), |p| p.name_zh.as_str());
                format!("the area of {name} ({id})")
            }
        }
    }

    /// Whether an incident of `incident_type` at (`lon`, `lat`) on `island` (where the desk
    /// located it; None at sea) is this seat's.
    pub fn owns_incident(&self, region: &Region, incident_type: &str, lon: f64, lat: f64, island: Option<&str>) -> bool {
        match self {
            Seat::Centre => true,
            Seat::Traffic => region.meta.kpi.traffic_types.iter().any(|t| t == incident_type),
            Seat::Station(id) => station_for(region, lon, lat, island).is_some_and(|p| &p.id == id),
        }
    }

    /// Whether `unit` is this seat's (a station's: based nearest to it).
    pub fn owns_unit(&self, region: &Region, unit: &Unit) -> bool {
        match self {
            Seat::Centre => true,
            Seat::Traffic => unit.kind == UnitKind::Traffic,
            Seat::Station(id) => region
                .place(&unit.base)
                .and_then(|base| station_for(region, base.lon, base.lat, Some(base.island.as_str())))
                .is_some_and(|p| &p.id == id),
        }
    }

    /// `board` with this seat's incidents first, then its units first (each part in the
    /// board's own order); the centre's board as it is.
    pub fn own_first(&self, region: &Region, board: &mut Board) {
        if self.is_centre() {
            return;
        }
        board.incidents.sort_by_key(|i| !self.owns_incident(region, &i.incident_type, i.lon, i.lat, i.island.as_deref()));
        board.units.sort_by_key(|u| !region.unit(&u.unit.as_str().into()).is_some_and(|unit| self.owns_unit(region, unit)));
    }
}

impl Serialize for Seat {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.name())
    }
}

/// The police station whose area (`lon`, `lat`) on `island` is in: the nearest station on
/// that island, or the nearest anywhere when the island has none (or the point is at sea).
/// None only for a region without stations.
pub fn station_for<'r>(region: &'r Region, lon: f64, lat: f64, island: Option<&str>) -> Option<&'r Place> {
    let stations = || region.places.iter().filter(|p| p.kind == PlaceKind::Station);
    let nearest = |among: &mut dyn Iterator<Item = &'r Place>| {
        among.min_by(|a, b| haversine_m((lon, lat), (a.lon, a.lat)).total_cmp(&haversine_m((lon, lat), (b.lon, b.lat))))
    };
    let on_island = island.and_then(|i| nearest(&mut stations().filter(|p| p.island.0 == i)));
    on_island.or_else(|| nearest(&mut stations()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::UnitId;

    fn dinghai() -> Region {
        Region::load(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/regions/dinghai")).expect("the Dinghai pack")
    }

    fn unit<'r>(region: &'r Region, id: &str) -> &'r Unit {
        region.unit(&UnitId::from(id)).expect(id)
    }

    #[test]
    fn seats_parse_and_name_themselves() {
        let r = dinghai();
        for text in ["centre", "traffic", "station:ps_jintang"] {
            assert_eq!(Seat::parse(&r, text).unwrap().name(), text);
        }
        assert_eq!(serde_json::to_value(Seat::Station("ps_jintang".into())).unwrap(), "station:ps_jintang");
        for bad in ["", "center", "station:", "station:pier_gangwu", "station:nowhere", "ps_jintang", "station:ps_jintang "] {
            match Seat::parse(&r, bad) {
                Err(Error::InvalidInput { field, .. }) => assert_eq!(field, "seat", "{bad:?}"),
                other => panic!("{bad:?} gave {other:?}"),
            }
        }
    }

    #[test]
    fn an_incident_on_jintang_is_ps_jintangs_even_near_the_main_island() {
        let r = dinghai();
        let jintang = Seat::parse(&r, "station:ps_jintang").unwrap();
        let chengdong = Seat::parse(&r, "station:ps_chengdong").unwrap();
        // The Jintang toll station, at the bridge towards Cezi and the main island.
        assert!(jintang.owns_incident(&r, "theft", 121.853, 30.058, Some("jintang")));
        assert_eq!(station_for(&r, 121.853, 30.058, Some("jintang")).map(|p| p.id.0.as_str()), Some("ps_jintang"));
        // Dinghai town is Changguo's, not Jintang's nor Chengdong's.
        assert_eq!(station_for(&r, 122.104, 30.021, Some("zhoushan")).map(|p| p.id.0.as_str()), Some("ps_changguo"));
        assert!(!jintang.owns_incident(&r, "theft", 122.104, 30.021, Some("zhoushan")));
        assert!(!chengdong.owns_incident(&r, "theft", 122.104, 30.021, Some("zhoushan")));
        // A point on the main island as near to ps_jintang as can be stays on the main island.
        let cengang = station_for(&r, 121.95, 30.06, Some("zhoushan")).unwrap();
        assert_eq!(cengang.island.0, "zhoushan");
    }

    #[test]
    fn an_island_without_a_station_goes_to_the_nearest_one_anywhere() {
        let r = dinghai();
        assert!(r.places.iter().all(|p| p.kind != PlaceKind::Station || p.island.0 != "panzhi"), "Panzhi has no station");
        let station = station_for(&r, 122.082, 29.992, Some("panzhi")).expect("a station");
        assert_eq!(station.island.0, "zhoushan");
        assert_eq!(station_for(&r, 122.082, 29.992, None).map(|p| &p.id), Some(&station.id), "at sea: the nearest anywhere");
    }

    #[test]
    fn units_belong_to_the_station_nearest_their_base_and_traffic_to_the_squadron() {
        let r = dinghai();
        let jintang = Seat::parse(&r, "station:ps_jintang").unwrap();
        let traffic = Seat::Traffic;
        assert!(jintang.owns_unit(&r, unit(&r, "jintang_patrol_01")));
        assert!(jintang.owns_unit(&r, unit(&r, "jintang_traffic_01")), "based at the toll station on Jintang");
        assert!(!jintang.owns_unit(&r, unit(&r, "changguo_patrol_01")));
        assert!(traffic.owns_unit(&r, unit(&r, "dh_traffic_01")) && traffic.owns_unit(&r, unit(&r, "jintang_traffic_01")));
        assert!(!traffic.owns_unit(&r, unit(&r, "jintang_patrol_01")));
        assert!(traffic.owns_incident(&r, "traffic_accident", 122.104, 30.021, Some("zhoushan")));
        assert!(!traffic.owns_incident(&r, "theft", 122.104, 30.021, Some("zhoushan")));
        assert!(r.units.iter().all(|u| Seat::Centre.owns_unit(&r, u)));
        // Every unit has exactly one station.
        let stations: Vec<Seat> = r.places.iter().filter(|p| p.kind == PlaceKind::Station).map(|p| Seat::Station(p.id.clone())).collect();
        for u in &r.units {
            assert_eq!(stations.iter().filter(|s| s.owns_unit(&r, u)).count(), 1, "{}", u.id);
        }
    }
}
