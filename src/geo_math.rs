//! Distances on the earth and between points and island polygons.

use geo::{Closest, ClosestPoint, Contains, Distance, Haversine, MultiPolygon, Point};

/// Great-circle distance in metres between two (lon, lat) points.
pub fn haversine_m(a: (f64, f64), b: (f64, f64)) -> f64 {
    Haversine.distance(Point::new(a.0, a.1), Point::new(b.0, b.1))
}

/// Metres from a point to the nearest land of `shape`; 0 when the point is on it.
pub fn metres_outside(shape: &MultiPolygon<f64>, lon: f64, lat: f64) -> f64 {
    let p = Point::new(lon, lat);
    if shape.contains(&p) {
        return 0.0;
    }
    match shape.closest_point(&p) {
        Closest::Intersection(q) | Closest::SinglePoint(q) => Haversine.distance(p, q),
        Closest::Indeterminate => f64::INFINITY,
    }
}
