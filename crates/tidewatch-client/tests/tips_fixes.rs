//! The desk's tips queue and its live map against a real service on a real PostgreSQL
//! (`TIDEWATCH_PG_URL`; `make test-pg` sets it): tips sent through the public form reach
//! a seat's queue grouped, with their photo; make incident (the intake prefilled from the
//! tip), pass on and close with the public reply are journaled and seen by the tipper;
//! crews' fixes come to the map with their age, stale ones marked. A desk on its own
//! journal refuses tips saying where they arrive, and has no fixes.

mod common;
use common::*;

use chrono::Utc;
use serde_json::{json, Value};
use tidewatch_core::region::Region;
use tidewatch_core::time::ManualClock;
use tidewatch_journal::{EventBody, PoliceLine};
use tidewatch_workstation::tips::TipIncident;
use tidewatch_workstation::{DeskApi, Workstation};

const UNIT: &str = "dh_traffic_01";
/// A 16 × 12 PNG (made with Python's zlib): the service re-encodes it as a JPEG.
const PNG_HEX: &str = "89504e470d0a1a0a0000000d49484452000000100000000c0802000000e485aad6000001534944415478da0dd1a111c0201044513a88414763e8e03a8841a33174701d60d0d19874701d60be8ec6d049e2f7cdecec3a9ce3709c8ee810c7e5c88eea504773dc8ec7618ee9781dfb4f3bcfe1393dd1239ecb933dd5a39ee6b93d8fc73cd3f37ab6ff41e0089c811890c015c8811ad0400bdc812760811978033bfc403884538882089790852aa8d0845b780413a6f00afb2fed1247e24cc48424ae444ed484265ae24e3c094bccc49bd8e90785a3701662410a5721176a410bad70179e821566e12decf203e5504e252aa25c4a56aaa24a536ee5514c99caabec7f3bd7393a672776a4737572a776b4d33a77e7e9586776deceee3f181c8373100732b8067950073a68837bf00c6c3007ef608f1f1887711ad110e332b2510d359a711b8f61c6345e63ff173a38e08408021764a8a0d0e086070c26bcb0ffb85b1c8b731117b2b816795117ba688b7bf12c6c3117ef62af0f3e453cf08aef71620000000049454e44ae426082";

fn png() -> Vec<u8> {
    (0..PNG_HEX.len()).step_by(2).map(|i| u8::from_str_radix(&PNG_HEX[i..i + 2], 16).unwrap()).collect()
}

/// A tip through the public form (multipart, as the page sends it); its receipt code.
fn send_tip(svc: &Svc, fields: &[(&str, &str)], photo: Option<&[u8]>) -> String {
    let boundary = "tidewatch-test-boundary";
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").as_bytes());
    }
    if let Some(photo) = photo {
        body.extend(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"p.png\"\r\nContent-Type: image/png\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend(photo);
        body.extend(b"\r\n");
    }
    body.extend(format!("--{boundary}--\r\n").as_bytes());
    let answer = ureq::post(&format!("{}/api/tips", svc.http()))
        .set("Content-Type", &format!("multipart/form-data; boundary={boundary}"))
        .send_bytes(&body)
        .expect("the tip is taken");
    let receipt: Value = serde_json::from_str(&answer.into_string().unwrap()).unwrap();
    receipt["receipt"].as_str().unwrap().to_string()
}

/// A JSON answer (this crate's ureq has no `json` feature).
fn json_of(answer: Result<ureq::Response, ureq::Error>) -> Value {
    serde_json::from_str(&answer.expect("answered 2xx").into_string().unwrap()).unwrap()
}

fn public_status(svc: &Svc, receipt: &str) -> Value {
    json_of(ureq::get(&format!("{}/api/tips/status/{receipt}", svc.http())).call())
}

fn token(svc: &Svc, username: &str) -> String {
    let answer = json_of(
        ureq::post(&format!("{}/api/sign-in", svc.http()))
            .set("Content-Type", "application/json")
            .send_string(&json!({ "username": username, "password": PASSWORD }).to_string()),
    );
    answer["token"].as_str().unwrap().to_string()
}

#[test]
fn a_seat_works_the_tips_queue_from_photo_to_the_tippers_reply() {
    let Some(url) = pg_url("a_seat_works_the_tips_queue_from_photo_to_the_tippers_reply") else { return };
    let url = fresh_database(&url, "tips_fixes");
    let svc = Svc::start(&url, "127.0.0.1:0".parse().unwrap(), None);
    add_accounts(&url, &[("ann", "dispatcher"), ("sue", "supervisor")]);
    let dir = tempfile::tempdir().unwrap();
    let mut ann = seat(&svc.http(), dir.path());
    ann.login("ann", PASSWORD).unwrap();
    assert!(ann.tips_queue(None).unwrap().is_empty());

    // A jam with a photo, the same jam again a minute later (grouped), a fight elsewhere.
    let jam = [("category", "traffic_jam"), ("lon", "122.1065"), ("lat", "30.0150"), ("text", "<script>alert(1)</script> 路口堵死了")];
    let first = send_tip(&svc, &jam, Some(&png()));
    svc.clock.advance(60);
    let again = send_tip(&svc, &[("category", "traffic_jam"), ("lon", "122.1066"), ("lat", "30.0151"), ("text", "还在堵")], None);
    let fight = send_tip(&svc, &[("category", "public_order"), ("lon", "122.2000"), ("lat", "30.0500"), ("text", "有人打架")], None);

    let queue = ann.tips_queue(None).unwrap();
    assert_eq!(queue.len(), 3, "{queue:?}");
    let lead = queue.iter().find(|t| t.receipt == first).unwrap();
    let dup = queue.iter().find(|t| t.receipt == again).unwrap();
    assert_eq!((dup.group_id, dup.group_size, lead.group_size), (lead.id, 2, 2), "the repeat is grouped with the first");
    assert_eq!(lead.text, "<script>alert(1)</script> 路口堵死了", "the text comes as text, as sent");
    assert_eq!((lead.state.as_str(), lead.position_from.as_str()), ("received", "phone"));

    // The photo, as the window shows it: the service's re-encoded JPEG as a data: URL.
    assert!(lead.photo_url.is_some() && dup.photo_url.is_none());
    let photo = ann.tip_photo(lead.id).unwrap();
    assert!(photo.data_url.starts_with("data:image/jpeg;base64,/9j/"), "{}", &photo.data_url[..40]);
    assert_eq!(ann.tip_photo(dup.id).unwrap_err().kind(), "unknown", "no photo: refused by name");

    // Make incident with the intake the desk prefilled and the dispatcher edited.
    let ask = TipIncident {
        incident_type: "congestion".into(),
        priority: Some(2),
        lon: None,
        lat: None,
        text: Some("路口拥堵，两人报告".into()),
    };
    let step = ann.tip_to_incident(dup.id, &ask).unwrap();
    let incident = step.incident_id.expect("an incident made");
    assert_eq!(step.tips, vec![lead.id, dup.id], "the whole group");
    let now = chrono::DateTime::from_timestamp(T0 + 60, 0).unwrap_or_else(Utc::now);
    let board = ann.board(now).unwrap();
    let on_board = board.incidents.iter().find(|i| i.id == incident).expect("the incident is on the board");
    assert_eq!((on_board.incident_type.as_str(), on_board.priority), ("congestion", 2));
    let received = ann.timeline(incident).unwrap();
    assert!(
        received
            .iter()
            .any(|e| matches!(&e.body, EventBody::Received { text, .. } if text == &format!("随手拍 {again}: 路口拥堵，两人报告"))),
        "the edited text with the receipt: {received:?}"
    );
    assert!(!ann.recommend(now, incident).unwrap().candidates.is_empty(), "the recommendation as for any call");
    assert_eq!(ann.tip_to_incident(lead.id, &ask).unwrap_err().kind(), "invalid_input", "an incident already");
    assert_eq!(public_status(&svc, &first)["state"], "handling");

    // Close with the public reply: the tipper sees it; closing again is refused by field.
    ann.tip_close(lead.id, "已派警疏导，谢谢您的报告").unwrap();
    assert_eq!(public_status(&svc, &again)["reply"], "已派警疏导，谢谢您的报告");
    let err = ann.tip_close(lead.id, "again").unwrap_err();
    assert_eq!(serde_json::to_value(&err).unwrap()["field"], "tip", "{err}");

    // Pass on the fight to the station; the queue shows it handled, the closed ones only when asked.
    ann.tip_pass_on(queue.iter().find(|t| t.receipt == fight).unwrap().id, PoliceLine::Station, "派出所处理").unwrap();
    let open = ann.tips_queue(None).unwrap();
    assert_eq!(open.len(), 1);
    assert_eq!((open[0].state.as_str(), open[0].passed_to.as_deref()), ("handling", Some("station")));
    assert_eq!(ann.tips_queue(Some(T0)).unwrap().len(), 3, "with those closed since");

    // The supervisor's figures; a dispatcher may not see them.
    assert_eq!(ann.tip_kpis(T0 - 60, T0 + 3600).unwrap_err().kind(), "forbidden");
    // (the seat's data directory lives as long as the seat: its live thread writes there)
    let sue_dir = tempfile::tempdir().unwrap();
    let mut sue = seat(&svc.http(), sue_dir.path());
    sue.login("sue", PASSWORD).unwrap();
    let kpis = sue.tip_kpis(T0 - 60, T0 + 3600).unwrap();
    assert_eq!((kpis.all.received, kpis.all.closed), (3, 2), "{kpis:?}");
    assert_eq!(kpis.by_category.iter().find(|f| f.key == "traffic_jam").map(|f| f.closed), Some(2));
}

#[test]
fn the_map_gets_each_units_latest_fix_with_its_age_and_stale_ones_marked() {
    let Some(url) = pg_url("the_map_gets_each_units_latest_fix_with_its_age_and_stale_ones_marked") else { return };
    let url = fresh_database(&url, "tips_fixes");
    let svc = Svc::start(&url, "127.0.0.1:0".parse().unwrap(), None);
    add_accounts(&url, &[("ann", "dispatcher"), ("root", "administrator")]);
    let admin = token(&svc, "root");
    let device = json_of(
        ureq::post(&format!("{}/api/devices", svc.http()))
            .set("Authorization", &format!("Bearer {admin}"))
            .set("Content-Type", "application/json")
            .send_string(&json!({ "unit": UNIT }).to_string()),
    );
    let secret = device["secret"].as_str().unwrap();
    let region = Region::load(&region_dir()).unwrap();
    let base = region.units.iter().find(|u| u.id.0 == UNIT).map(|u| u.base.clone()).unwrap();
    let place = region.place(&base).unwrap();
    let report = format!("{}/api/positions/osmand?id={secret}&lat={}&lon={}&timestamp={}", svc.http(), place.lat, place.lon, T0 - 10);
    let answer = json_of(ureq::get(&report).call());
    assert_eq!(answer["accepted"], 1, "{answer}");

    let ann_dir = tempfile::tempdir().unwrap();
    let mut ann = seat(&svc.http(), ann_dir.path());
    ann.login("ann", PASSWORD).unwrap();
    let fixes = ann.unit_fixes().unwrap();
    assert_eq!(fixes.len(), 1, "{fixes:?}");
    assert_eq!((fixes[0].unit.0.as_str(), fixes[0].age_s, fixes[0].stale), (UNIT, 10, false));
    assert!((fixes[0].lon - place.lon).abs() < 1e-9 && (fixes[0].lat - place.lat).abs() < 1e-9);

    // Past the phone's freshness limit (2 min): still shown, marked stale; past the hour: gone.
    svc.clock.advance(200);
    let fixes = ann.unit_fixes().unwrap();
    assert_eq!((fixes[0].age_s, fixes[0].stale), (210, true));
    svc.clock.advance(3600);
    // (the session lapsed meanwhile: the operator signs in again)
    ann.login("ann", PASSWORD).unwrap();
    assert!(ann.unit_fixes().unwrap().is_empty(), "an hour-old fix is not a position any more");
}

#[test]
fn a_desk_on_its_own_journal_says_tips_come_through_the_service_and_keeps_its_map() {
    let dir = tempfile::tempdir().unwrap();
    let region = Region::load(&region_dir()).unwrap();
    let mut w: Box<dyn DeskApi> = Box::new(Workstation::open(region, &dir.path().join("t.db"), ManualClock::new(T0).clock()).unwrap());
    let err = w.tips_queue(None).unwrap_err();
    assert_eq!(err.kind(), "service_unavailable");
    assert!(err.to_string().contains("only through the command-centre service"), "{err}");
    assert_eq!(w.tip_close(1, "x").unwrap_err().kind(), "service_unavailable");
    assert!(w.unit_fixes().unwrap().is_empty());
}
