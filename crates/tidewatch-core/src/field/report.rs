//! The apps' wire formats, read into [`Fix`]es. Lenient where the apps differ between
//! versions (a number sent as text, fields we do not use), strict where a wrong reading
//! would put a unit in the wrong place (coordinates, the time of the fix).
//!
//! - OsmAnd protocol, as Traccar Client sends it: query or form parameters `id` (or
//!   `deviceid`), `lat`, `lon` (or `location=lat,lon`), `timestamp` (unix seconds, unix
//!   milliseconds or ISO 8601), `speed` (knots), `bearing` (or `heading`), `altitude`,
//!   `accuracy` (metres), `batt` (percent), `valid`.
//! - OsmAnd JSON, Traccar Client 9 and later: `{"device_id", "location": {"timestamp":
//!   ISO 8601, "coords": {latitude, longitude, accuracy, speed (m/s), heading, altitude},
//!   "battery": {"level": 0..1}}}`; `location` may also be a list of such objects.
//! - OwnTracks HTTP: `{"_type": "location", lat, lon, tst (unix s), acc, batt (percent),
//!   vel (km/h), cog, alt, tid}`. Any other `_type`, and an empty body (the app posts one
//!   when a friend is removed), carry no fix and are not an error.

use chrono::{DateTime, NaiveDateTime};
use serde_json::Value;

use super::fix::{Fix, Refusal};

/// The most fixes one request may carry (a phone's offline queue sends more requests).
pub const MAX_FIXES: usize = 100;
/// The longest device identifier read.
pub const MAX_DEVICE: usize = 128;

/// What one request carried: the device identifier in the payload (OsmAnd's `id`; None for
/// OwnTracks, which authenticates in a header) and its fixes (none for a payload that is
/// not a position, e.g. an OwnTracks `status`).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Parsed {
    pub device: Option<String>,
    pub fixes: Vec<Fix>,
}

/// Why a payload could not be read: the refusal it counts as and a message for the log.
#[derive(Debug, Clone, PartialEq)]
pub struct Unreadable {
    pub reason: Refusal,
    pub why: String,
}

fn malformed(why: impl Into<String>) -> Unreadable {
    Unreadable { reason: Refusal::Malformed, why: why.into() }
}

/// The OsmAnd protocol's parameters (already URL-decoded), from a query string or a form.
pub fn osmand_params<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Result<Parsed, Unreadable> {
    let pairs: Vec<(&str, &str)> = pairs.into_iter().take(64).collect();
    let get = |names: &[&str]| pairs.iter().find(|(k, _)| names.contains(k)).map(|(_, v)| v.trim()).filter(|v| !v.is_empty());
    let device = get(&["id", "deviceid"]).map(device_id).transpose()?;
    if let Some(valid) = get(&["valid"]) {
        if matches!(valid, "false" | "0") {
            return Err(Unreadable { reason: Refusal::NoFix, why: "the phone marked the fix invalid".into() });
        }
    }
    let (lat, lon) = match (get(&["lat"]), get(&["lon"]), get(&["location"])) {
        (Some(lat), Some(lon), _) => (number("lat", lat)?, number("lon", lon)?),
        (_, _, Some(both)) => {
            let (lat, lon) = both.split_once(',').ok_or_else(|| malformed("location: not 'lat,lon'"))?;
            (number("lat", lat.trim())?, number("lon", lon.trim())?)
        }
        _ => return Err(malformed("lat and lon are missing")),
    };
    let fix = Fix {
        fix_utc: get(&["timestamp"]).map(timestamp).transpose()?,
        accuracy_m: optional(get(&["accuracy"])).filter(|a| *a > 0.0),
        speed_kmh: optional(get(&["speed"])).filter(|s| *s >= 0.0).map(|knots| knots * 1.852),
        bearing_deg: optional(get(&["bearing", "heading"])).filter(|b| (0.0..=360.0).contains(b)),
        altitude_m: optional(get(&["altitude"])),
        battery_pct: optional(get(&["batt"])).filter(|b| (0.0..=100.0).contains(b)),
        ..coordinates(lat, lon)?
    };
    Ok(Parsed { device, fixes: vec![fix] })
}

/// The OsmAnd protocol's JSON body (Traccar Client 9 and later).
pub fn osmand_json(body: &[u8]) -> Result<Parsed, Unreadable> {
    let root: Value = serde_json::from_slice(body).map_err(|e| malformed(format!("not JSON: {e}")))?;
    let device = match root.get("device_id") {
        Some(Value::String(s)) => Some(device_id(s)?),
        Some(Value::Number(n)) => Some(device_id(&n.to_string())?),
        None | Some(Value::Null) => None,
        Some(_) => return Err(malformed("device_id: not text")),
    };
    let locations = match root.get("location") {
        Some(Value::Array(list)) if list.len() > MAX_FIXES => return Err(malformed(format!("more than {MAX_FIXES} locations"))),
        Some(Value::Array(list)) => list.iter().collect(),
        Some(one @ Value::Object(_)) => vec![one],
        _ => return Err(malformed("location: missing or not an object")),
    };
    let fixes = locations.into_iter().map(osmand_location).collect::<Result<Vec<_>, _>>()?;
    Ok(Parsed { device, fixes })
}

fn osmand_location(location: &Value) -> Result<Fix, Unreadable> {
    let coords = location.get("coords").ok_or_else(|| malformed("location.coords is missing"))?;
    let lat = json_number(coords, "latitude")?.ok_or_else(|| malformed("coords.latitude is missing"))?;
    let lon = json_number(coords, "longitude")?.ok_or_else(|| malformed("coords.longitude is missing"))?;
    let fix_utc = match location.get("timestamp") {
        Some(Value::String(s)) => Some(timestamp(s)?),
        Some(Value::Number(n)) => Some(timestamp(&n.to_string())?),
        None | Some(Value::Null) => None,
        Some(_) => return Err(malformed("location.timestamp: not a time")),
    };
    // The SDK sends -1 for a value it does not have.
    let level = location.get("battery").map(|b| json_number(b, "level")).transpose()?.flatten();
    Ok(Fix {
        fix_utc,
        accuracy_m: json_number(coords, "accuracy")?.filter(|a| *a > 0.0),
        speed_kmh: json_number(coords, "speed")?.filter(|s| *s >= 0.0).map(|ms| ms * 3.6),
        bearing_deg: json_number(coords, "heading")?.filter(|b| (0.0..=360.0).contains(b)),
        altitude_m: json_number(coords, "altitude")?,
        battery_pct: level.filter(|l| (0.0..=1.0).contains(l)).map(|l| l * 100.0),
        ..coordinates(lat, lon)?
    })
}

/// An OwnTracks HTTP payload. Only `_type: location` carries a fix.
pub fn owntracks(body: &[u8]) -> Result<Parsed, Unreadable> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Parsed::default());
    }
    let root: Value = serde_json::from_slice(body).map_err(|e| malformed(format!("not JSON: {e}")))?;
    if root.get("_type").and_then(Value::as_str) != Some("location") {
        return Ok(Parsed::default());
    }
    let lat = json_number(&root, "lat")?.ok_or_else(|| malformed("lat is missing"))?;
    let lon = json_number(&root, "lon")?.ok_or_else(|| malformed("lon is missing"))?;
    let tst = json_number(&root, "tst")?.ok_or_else(|| malformed("tst is missing"))?;
    let fix = Fix {
        fix_utc: Some(timestamp(&format!("{tst}"))?),
        accuracy_m: json_number(&root, "acc")?.filter(|a| *a > 0.0),
        speed_kmh: json_number(&root, "vel")?.filter(|s| *s >= 0.0),
        bearing_deg: json_number(&root, "cog")?.filter(|b| (0.0..=360.0).contains(b)),
        altitude_m: json_number(&root, "alt")?,
        battery_pct: json_number(&root, "batt")?.filter(|b| (0.0..=100.0).contains(b)),
        ..coordinates(lat, lon)?
    };
    Ok(Parsed { device: None, fixes: vec![fix] })
}

/// A fix with only its place, checked to be a place on the earth.
fn coordinates(lat: f64, lon: f64) -> Result<Fix, Unreadable> {
    if !(-90.0..=90.0).contains(&lat) || !(-180.0..=180.0).contains(&lon) {
        return Err(malformed(format!("({lat}, {lon}) is not a place on the earth")));
    }
    Ok(Fix { lon, lat, fix_utc: None, accuracy_m: None, speed_kmh: None, bearing_deg: None, altitude_m: None, battery_pct: None })
}

fn device_id(s: &str) -> Result<String, Unreadable> {
    let s = s.trim();
    if s.is_empty() || s.chars().count() > MAX_DEVICE || s.chars().any(char::is_control) {
        return Err(malformed(format!("the device identifier must be 1 to {MAX_DEVICE} printable characters")));
    }
    Ok(s.to_string())
}

/// A finite number, or an error naming the field.
fn number(field: &str, text: &str) -> Result<f64, Unreadable> {
    text.parse::<f64>().ok().filter(|x| x.is_finite()).ok_or_else(|| malformed(format!("{field}: '{}' is not a number", clip(text))))
}

/// An optional measurement: one that does not read is left out rather than refusing the
/// position (the place and time are what matter).
fn optional(text: Option<&str>) -> Option<f64> {
    text.and_then(|t| t.parse::<f64>().ok()).filter(|x| x.is_finite())
}

/// `root[field]` as a finite number (a number or numeric text); None when absent or null.
fn json_number(root: &Value, field: &str) -> Result<Option<f64>, Unreadable> {
    let x = match root.get(field) {
        None | Some(Value::Null) => return Ok(None),
        Some(Value::Number(n)) => n.as_f64(),
        Some(Value::String(s)) => s.trim().parse::<f64>().ok(),
        Some(_) => None,
    };
    x.filter(|x| x.is_finite()).map(Some).ok_or_else(|| malformed(format!("{field}: not a number")))
}

/// Unix seconds, unix milliseconds (more than 11 digits' worth), or ISO 8601.
fn timestamp(text: &str) -> Result<i64, Unreadable> {
    let text = text.trim();
    if let Ok(x) = text.parse::<f64>() {
        // A fix after the year 5138 in seconds is milliseconds.
        let secs = if x.abs() >= 1e11 { x / 1000.0 } else { x };
        if secs.is_finite() && secs.abs() < 1e11 {
            return Ok(secs.floor() as i64);
        }
        return Err(malformed(format!("timestamp: {} is out of range", clip(text))));
    }
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Ok(t.timestamp());
    }
    // Some clients send the local-looking form; it is taken as UTC, as Traccar does.
    NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S")
        .map(|t| t.and_utc().timestamp())
        .map_err(|_| malformed(format!("timestamp: '{}' is not a time", clip(text))))
}

/// At most 40 characters of a value, for a message.
fn clip(text: &str) -> String {
    text.chars().take(40).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(q: &str) -> Result<Parsed, Unreadable> {
        let pairs: Vec<(&str, &str)> = q.split('&').filter_map(|kv| kv.split_once('=')).collect();
        osmand_params(pairs)
    }

    #[test]
    fn traccar_client_query_parameters() {
        let p = params("id=abc&lat=30.01&lon=122.1&timestamp=1791424800&speed=10&bearing=90&altitude=12&accuracy=8&batt=77").unwrap();
        assert_eq!(p.device.as_deref(), Some("abc"));
        let f = &p.fixes[0];
        assert_eq!((f.lat, f.lon, f.fix_utc), (30.01, 122.1, Some(1_791_424_800)));
        assert!((f.speed_kmh.unwrap() - 18.52).abs() < 1e-9, "knots to km/h");
        assert_eq!((f.bearing_deg, f.altitude_m, f.accuracy_m, f.battery_pct), (Some(90.0), Some(12.0), Some(8.0), Some(77.0)));
    }

    #[test]
    fn timestamps_in_seconds_milliseconds_and_iso() {
        for t in ["1791424800", "1791424800000", "1791424800.5", "2026-10-08T02:00:00Z", "2026-10-08T10:00:00+08:00", "2026-10-08 02:00:00"]
        {
            assert_eq!(params(&format!("id=a&lat=30&lon=122&timestamp={t}")).unwrap().fixes[0].fix_utc, Some(1_791_424_800), "{t}");
        }
        assert_eq!(params("id=a&lat=30&lon=122").unwrap().fixes[0].fix_utc, None);
        for bad in ["yesterday", "1e300", "NaN"] {
            assert_eq!(params(&format!("id=a&lat=30&lon=122&timestamp={bad}")).unwrap_err().reason, Refusal::Malformed, "{bad}");
        }
    }

    #[test]
    fn bad_places_and_invalid_fixes_are_refused() {
        assert_eq!(params("id=a&lat=91&lon=122").unwrap_err().reason, Refusal::Malformed);
        assert_eq!(params("id=a&lat=inf&lon=122").unwrap_err().reason, Refusal::Malformed);
        assert_eq!(params("id=a&lon=122").unwrap_err().reason, Refusal::Malformed);
        assert_eq!(params("id=a&lat=30&lon=122&valid=false").unwrap_err().reason, Refusal::NoFix);
        let p = params("id=a&location=30.5,122.25&speed=-1&batt=300").unwrap();
        assert_eq!((p.fixes[0].lat, p.fixes[0].lon, p.fixes[0].speed_kmh, p.fixes[0].battery_pct), (30.5, 122.25, None, None));
    }

    #[test]
    fn traccar_client_json_one_or_many() {
        let one = br#"{"location": {"timestamp": "2026-10-08T02:00:00.000Z", "coords": {"latitude": 30.0, "longitude": 122.1,
            "accuracy": 5, "speed": 10, "heading": -1, "altitude": 3}, "battery": {"level": 0.5, "is_charging": false},
            "is_moving": true, "extras": {}}, "device_id": "48241179"}"#;
        let p = osmand_json(one).unwrap();
        assert_eq!(p.device.as_deref(), Some("48241179"));
        let f = &p.fixes[0];
        assert_eq!((f.fix_utc, f.speed_kmh, f.bearing_deg, f.battery_pct), (Some(1_791_424_800), Some(36.0), None, Some(50.0)));
        let many = br#"{"device_id": 7, "location": [{"coords": {"latitude": 30, "longitude": 122}},
            {"coords": {"latitude": "30.1", "longitude": "122.1"}}]}"#;
        let p = osmand_json(many).unwrap();
        assert_eq!((p.device.as_deref(), p.fixes.len(), p.fixes[1].lat), (Some("7"), 2, 30.1));
        assert!(osmand_json(br#"{"device_id": "a", "location": {"coords": {"latitude": 30}}}"#).is_err());
        assert!(osmand_json(br#"{"device_id": ["a"], "location": {}}"#).is_err());
    }

    #[test]
    fn owntracks_location_and_other_messages() {
        let p =
            owntracks(br#"{"_type":"location","lat":30.0,"lon":122.1,"tst":1791424800,"acc":12,"batt":64,"tid":"T1","vel":40}"#).unwrap();
        let f = &p.fixes[0];
        assert_eq!(
            (f.fix_utc, f.accuracy_m, f.battery_pct, f.speed_kmh, p.device.as_deref()),
            (Some(1_791_424_800), Some(12.0), Some(64.0), Some(40.0), None)
        );
        assert!(owntracks(b"").unwrap().fixes.is_empty());
        assert!(owntracks(br#"{"_type":"status","android":{}}"#).unwrap().fixes.is_empty());
        assert_eq!(owntracks(br#"{"_type":"location","lat":30,"lon":122}"#).unwrap_err().reason, Refusal::Malformed, "no tst");
        assert!(owntracks(b"{not json").is_err());
    }

    #[test]
    fn device_identifiers_are_bounded_and_printable() {
        assert!(params(&format!("id={}&lat=30&lon=122", "x".repeat(129))).is_err());
        assert!(params("id=a\u{7}b&lat=30&lon=122").is_err());
        assert_eq!(params("deviceid=%20k%20&lat=30&lon=122").unwrap().device.as_deref(), Some("%20k%20"), "decoding is the caller's");
    }
}

#[cfg(test)]
mod fuzz {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

        /// Any parameters, any bytes: an answer, never a panic; a fix read is on the earth.
        #[test]
        fn any_parameters_read_or_refuse(pairs in proptest::collection::vec(
            (prop_oneof!["id", "lat", "lon", "timestamp", "speed", "batt", "location", "valid", "accuracy", ".{0,4}"], ".{0,24}"), 0..12)) {
            let pairs: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            if let Ok(p) = osmand_params(pairs) {
                for f in p.fixes {
                    prop_assert!(f.lat.abs() <= 90.0 && f.lon.abs() <= 180.0);
                }
            }
        }

        #[test]
        fn any_bytes_read_or_refuse(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
            let _ = osmand_json(&bytes);
            let _ = owntracks(&bytes);
        }

        #[test]
        fn any_json_shaped_body_reads_or_refuses(lat in any::<f64>(), lon in any::<f64>(), t in any::<i64>(), level in any::<f64>(), text in ".{0,12}") {
            let body = format!(r#"{{"_type":"location","lat":{lat:?},"lon":{lon:?},"tst":{t},"batt":"{text}","acc":{level:?}}}"#);
            let _ = owntracks(body.as_bytes());
            let body = format!(r#"{{"device_id":"{text}","location":{{"timestamp":{t},"coords":{{"latitude":{lat:?},"longitude":{lon:?}}},"battery":{{"level":{level:?}}}}}}}"#);
            if let Ok(p) = osmand_json(body.as_bytes()) {
                prop_assert!(p.fixes.iter().all(|f| f.lat.abs() <= 90.0 && f.battery_pct.is_none_or(|b| (0.0..=100.0).contains(&b))));
            }
        }
    }
}
