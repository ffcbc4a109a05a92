//! The desk's calls that only a seat on the service has: citizens' tips (the queue, a
//! tip's photo, make incident, pass on, close with the public reply, the supervisor's
//! figures) and crews' positions for the map. Each is one request; the answers are the
//! workstation's own types (the service sends the same).

use serde_json::json;
use tidewatch_core::ids::UnitId;
use tidewatch_core::Error;
use tidewatch_journal::PoliceLine;
use tidewatch_workstation::tips::{QueuedTip, TipIncident, TipKpis, TipPhoto, TipStep};
use tidewatch_workstation::{MapFix, Track};

use crate::address::segment;
use crate::RemoteDesk;

/// The largest photo the desk takes from the service (the service keeps re-encoded JPEGs
/// of at most 1600 px a side, far below this).
pub const MAX_PHOTO_BYTES: u64 = 8 * 1024 * 1024;

fn tip(id: i64, what: &str) -> String {
    format!("/api/tips/{id}/{what}")
}

impl RemoteDesk {
    pub(crate) fn remote_tips_queue(&mut self, closed_since: Option<i64>) -> Result<Vec<QueuedTip>, Error> {
        match closed_since {
            Some(t) => self.get(&format!("/api/tips/queue?closed_since={t}")),
            None => self.get("/api/tips/queue"),
        }
    }

    /// The photo as a `data:` URL; anything but a JPEG is refused (the service only ever
    /// stores its own re-encoded JPEGs, so anything else is not its answer).
    pub(crate) fn remote_tip_photo(&mut self, id: i64) -> Result<TipPhoto, Error> {
        self.ready()?;
        let answer = self.http.bytes(&tip(id, "photo"), MAX_PHOTO_BYTES);
        let (kind, bytes) = self.signed(answer)?;
        if kind != "image/jpeg" || !bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            return Err(Error::ServiceUnavailable(format!("the command centre's photo of tip {id} is not a JPEG ({kind})")));
        }
        Ok(TipPhoto { data_url: format!("data:image/jpeg;base64,{}", base64(&bytes)) })
    }

    pub(crate) fn remote_tip_to_incident(&mut self, id: i64, ask: &TipIncident) -> Result<TipStep, Error> {
        let body = crate::desk::object(&[
            ("incident_type", Some(json!(ask.incident_type))),
            ("priority", ask.priority.map(|p| json!(p))),
            ("lon", ask.lon.map(|v| json!(v))),
            ("lat", ask.lat.map(|v| json!(v))),
            ("text", ask.text.as_ref().map(|t| json!(t))),
        ]);
        self.send("POST", &tip(id, "incident"), Some(body))
    }

    pub(crate) fn remote_tip_pass_on(&mut self, id: i64, to: PoliceLine, note: &str) -> Result<TipStep, Error> {
        self.send("POST", &tip(id, "pass-on"), Some(json!({ "to": to, "note": note })))
    }

    pub(crate) fn remote_tip_close(&mut self, id: i64, reply: &str) -> Result<TipStep, Error> {
        self.send("POST", &tip(id, "close"), Some(json!({ "reply": reply })))
    }

    pub(crate) fn remote_tip_kpis(&mut self, from: i64, to: i64) -> Result<TipKpis, Error> {
        self.get(&format!("/api/tips/kpis?from={from}&to={to}"))
    }

    pub(crate) fn remote_unit_fixes(&mut self) -> Result<Vec<MapFix>, Error> {
        self.get("/api/positions/map")
    }

    pub(crate) fn remote_unit_track(&mut self, unit: &UnitId, from: i64, to: i64) -> Result<Track, Error> {
        self.get(&format!("/api/positions/track?unit={}&from={from}&to={to}", segment(&unit.0)))
    }
}

/// Standard base64 with padding (RFC 4648), for the photo's `data:` URL.
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for (i, shift) in [18, 12, 6, 0].into_iter().enumerate() {
            let c = if i <= chunk.len() { ALPHABET[((n >> shift) & 63) as usize] as char } else { '=' };
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::base64;

    #[test]
    fn base64_is_rfc_4648() {
        // RFC 4648 §10's test vectors.
        let cases =
            [("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("foob", "Zm9vYg=="), ("fooba", "Zm9vYmE="), ("foobar", "Zm9vYmFy")];
        for (plain, encoded) in cases {
            assert_eq!(base64(plain.as_bytes()), encoded, "{plain}");
        }
        assert_eq!(base64(&[0xFF, 0xD8, 0xFF, 0xE0]), "/9j/4A==");
    }
}
