//! Distances on the earth and between points and island polygons.
//!
//! Island polygons are in degrees; a degree of longitude is shorter than a degree of
//! latitude (by cos(lat)), so nearest points are found in metres, never in raw degrees.

use geo::{Contains, Coord, Distance, Haversine, LineString, MultiPolygon, Point, Polygon};

/// Great-circle distance in metres between two (lon, lat) points.
pub fn haversine_m(a: (f64, f64), b: (f64, f64)) -> f64 {
    Haversine.distance(Point::new(a.0, a.1), Point::new(b.0, b.1))
}

/// The island as land: its outer rings only. A hole in an island polygon is enclosed by
/// the island, so no boat can sail into it and units reach it by the island's roads; in a
/// coarse coastline holes are mostly artefacts. So holes count as land everywhere.
pub fn land_of(shape: &MultiPolygon<f64>) -> MultiPolygon<f64> {
    MultiPolygon(shape.0.iter().map(|p| Polygon::new(p.exterior().clone(), Vec::new())).collect())
}

/// Whether (lon, lat) is on `shape` taken as land (holes included).
pub fn on_land(shape: &MultiPolygon<f64>, lon: f64, lat: f64) -> bool {
    let p = Point::new(lon, lat);
    shape.0.iter().any(|poly| Polygon::new(poly.exterior().clone(), Vec::new()).contains(&p))
}

/// Metres from a point to the nearest land of `shape` (holes count as land); 0 on it.
/// Infinite for a shape with no rings.
pub fn metres_outside(shape: &MultiPolygon<f64>, lon: f64, lat: f64) -> f64 {
    if on_land(shape, lon, lat) {
        return 0.0;
    }
    metres_to_coast(shape, lon, lat)
}

/// Metres from (lon, lat) to the nearest outer ring of `shape`: from outside every outer
/// ring, the distance to its land.
pub fn metres_to_coast(shape: &MultiPolygon<f64>, lon: f64, lat: f64) -> f64 {
    shape.0.iter().map(|poly| metres_to_ring(poly.exterior(), lon, lat)).fold(f64::INFINITY, f64::min)
}

/// Metres from (lon, lat) to the nearest point of a ring (or any line string).
pub fn metres_to_ring(ring: &LineString<f64>, lon: f64, lat: f64) -> f64 {
    ring.lines().map(|seg| metres_to_segment(seg.start, seg.end, lon, lat)).fold(f64::INFINITY, f64::min)
}

/// Metres from (lon, lat) to the segment a–b: the nearest point is found on a local
/// plane around the point (east-west degrees scaled by cos(lat), so the plane is in
/// metres near the point), then measured on the sphere. For coastline segments of a few
/// kilometres the plane's error is far below a metre.
pub fn metres_to_segment(a: Coord<f64>, b: Coord<f64>, lon: f64, lat: f64) -> f64 {
    let k = lat.to_radians().cos();
    let (ax, ay) = ((a.x - lon) * k, a.y - lat);
    let (bx, by) = ((b.x - lon) * k, b.y - lat);
    let (dx, dy) = (bx - ax, by - ay);
    let len2 = dx * dx + dy * dy;
    // Projection of the point (the origin) on the segment, clamped to its ends.
    let f = if len2 > 0.0 { (-(ax * dx + ay * dy) / len2).clamp(0.0, 1.0) } else { 0.0 };
    let q = (a.x + f * (b.x - a.x), a.y + f * (b.y - a.y));
    haversine_m((lon, lat), q)
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::polygon;

    #[test]
    fn segment_distance_is_in_metres_not_degrees() {
        // A north-south segment 0.01° east of the point at 60°N: 0.01° of longitude there
        // is about 556 m (half of a degree of latitude's 1112 m).
        let d = metres_to_segment(Coord { x: 10.01, y: 59.9 }, Coord { x: 10.01, y: 60.1 }, 10.0, 60.0);
        assert!((d - 556.0).abs() < 2.0, "{d}");
    }

    #[test]
    fn holes_are_land() {
        let shape = MultiPolygon(vec![polygon!(
            exterior: [(x: 0.0, y: 0.0), (x: 1.0, y: 0.0), (x: 1.0, y: 1.0), (x: 0.0, y: 1.0), (x: 0.0, y: 0.0)],
            interiors: [[(x: 0.4, y: 0.4), (x: 0.6, y: 0.4), (x: 0.6, y: 0.6), (x: 0.4, y: 0.6), (x: 0.4, y: 0.4)]],
        )]);
        assert!(on_land(&shape, 0.5, 0.5));
        assert_eq!(metres_outside(&shape, 0.5, 0.5), 0.0);
        assert!(metres_outside(&shape, 1.5, 0.5) > 50_000.0);
    }
}
