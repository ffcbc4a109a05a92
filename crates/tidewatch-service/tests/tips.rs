//! Citizens' tips against a real PostgreSQL (`TIDEWATCH_PG_URL`): a tip with a photo goes
//! round the loop (public form → queue → incident → closed → the tipper's status shows the
//! reply), duplicates are grouped, hostile inputs are refused by name and journal nothing,
//! an endless upload is cut off, a flood is rate-limited, and the page is served with its
//! policy.

mod common;

use std::io::Cursor;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use common::*;
use sha2::Digest;
use tidewatch_core::time::ManualClock;
use tidewatch_service::tips::{Rates, Settings};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const PASSWORD: &str = "correct horse 1";
/// 临城 (Lincheng), on the main island.
const LINCHENG: (f64, f64) = (122.203, 29.988);

enum Part<'a> {
    Text(&'a str),
    File(&'a [u8]),
}

fn multipart(fields: &[(&str, Part)]) -> (String, Vec<u8>) {
    let boundary = "----tidewatch-test-boundary-7d1";
    let mut body = Vec::new();
    for (name, part) in fields {
        body.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
        match part {
            Part::Text(v) => {
                body.extend_from_slice(format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n").as_bytes());
                body.extend_from_slice(v.as_bytes());
            }
            Part::File(bytes) => {
                body.extend_from_slice(
                    format!("Content-Disposition: form-data; name=\"{name}\"; filename=\"../../etc/passwd.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n")
                        .as_bytes(),
                );
                body.extend_from_slice(bytes);
            }
        }
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// One request with any headers: the status and the body (raw).
async fn send(addr: SocketAddr, method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> (u16, String, Vec<u8>) {
    let mut s = tokio::net::TcpStream::connect(addr).await.expect("connect");
    let extra: String = headers.iter().map(|(k, v)| format!("{k}: {v}\r\n")).collect();
    let head = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n{extra}Content-Length: {}\r\n\r\n", body.len());
    s.write_all(head.as_bytes()).await.unwrap();
    let _ = s.write_all(body).await;
    let mut out = Vec::new();
    let _ = s.read_to_end(&mut out).await;
    let end = out.windows(4).position(|w| w == b"\r\n\r\n").map(|i| i + 4).unwrap_or(out.len());
    let head = String::from_utf8_lossy(&out[..end]).to_string();
    let status = head.split_whitespace().nth(1).and_then(|c| c.parse().ok()).unwrap_or(0);
    (status, head, out[end..].to_vec())
}

/// Sends a tip as the page does, from device `device`: (status, JSON answer).
async fn tip(addr: SocketAddr, device: &str, fields: &[(&str, Part<'_>)]) -> (u16, serde_json::Value) {
    let (content_type, body) = multipart(fields);
    let (status, _, answer) = send(addr, "POST", "/api/tips", &[("Content-Type", &content_type), ("X-Tip-Device", device)], &body).await;
    (status, serde_json::from_slice(&answer).unwrap_or(serde_json::Value::Null))
}

/// A JPEG photo with an EXIF block holding a GPS position (and a maker note that must not
/// survive).
fn photo_with_exif((lon, lat): (f64, f64)) -> Vec<u8> {
    let img = image::RgbImage::from_fn(1200, 900, |x, y| image::Rgb([(x / 5 % 256) as u8, (y / 4 % 256) as u8, 140]));
    let mut jpeg = Vec::new();
    img.write_to(&mut Cursor::new(&mut jpeg), image::ImageFormat::Jpeg).unwrap();
    let dms = |v: f64| {
        let d = v.trunc();
        let m = ((v - d) * 60.0).trunc();
        let s = ((v - d) * 60.0 - m) * 60.0;
        [(d as u32, 1u32), (m as u32, 1), ((s * 100.0).round() as u32, 100)]
    };
    let mut tiff: Vec<u8> = b"II*\0\x08\0\0\0".to_vec();
    let entry = |t: &mut Vec<u8>, tag: u16, kind: u16, count: u32, value: u32| {
        t.extend_from_slice(&tag.to_le_bytes());
        t.extend_from_slice(&kind.to_le_bytes());
        t.extend_from_slice(&count.to_le_bytes());
        t.extend_from_slice(&value.to_le_bytes());
    };
    tiff.extend_from_slice(&1u16.to_le_bytes());
    entry(&mut tiff, 0x8825, 4, 1, 26);
    tiff.extend_from_slice(&0u32.to_le_bytes());
    tiff.extend_from_slice(&4u16.to_le_bytes());
    entry(&mut tiff, 1, 2, 2, u32::from_le_bytes(*b"N\0\0\0"));
    entry(&mut tiff, 2, 5, 3, 80);
    entry(&mut tiff, 3, 2, 2, u32::from_le_bytes(*b"E\0\0\0"));
    entry(&mut tiff, 4, 5, 3, 104);
    tiff.extend_from_slice(&0u32.to_le_bytes());
    for (n, d) in dms(lat).into_iter().chain(dms(lon)) {
        tiff.extend_from_slice(&n.to_le_bytes());
        tiff.extend_from_slice(&d.to_le_bytes());
    }
    let mut app1 = b"Exif\0\0".to_vec();
    app1.extend_from_slice(&tiff);
    let mut out = jpeg[..2].to_vec();
    out.extend_from_slice(&[0xff, 0xe1]);
    out.extend_from_slice(&((app1.len() + 2) as u16).to_be_bytes());
    out.extend_from_slice(&app1);
    out.extend_from_slice(&jpeg[2..]);
    out.extend_from_slice(b"trailing secret <script>alert(1)</script>");
    out
}

fn png(w: u32, h: u32) -> Vec<u8> {
    let img = image::GrayImage::new(w, h);
    let mut out = Vec::new();
    img.write_to(&mut Cursor::new(&mut out), image::ImageFormat::Png).unwrap();
    out
}

fn settings(f: impl FnOnce(&mut Settings)) -> Settings {
    let mut s = Settings { rates: Rates { per_device: 1000, per_address: 1000, window_s: 600 }, ..Settings::default() };
    f(&mut s);
    s
}

async fn start_with(url: &str, clock: &ManualClock, tips: Settings) -> tidewatch_service::Running {
    let config = tidewatch_service::Config { tips, ..config(url, clock, lenient()) };
    tidewatch_service::start(config).await.expect("the service starts")
}

/// Every event's kind, in order.
async fn kinds(addr: SocketAddr, token: &str) -> Vec<serde_json::Value> {
    let (status, events) = call(addr, "GET", "/api/events?after=0", Some(token), None).await;
    assert_eq!(status, 200, "{events}");
    events.as_array().unwrap().clone()
}

fn tips_received(events: &[serde_json::Value]) -> Vec<&serde_json::Value> {
    events.iter().filter(|e| e["body"]["kind"] == "tip_received").collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tip_with_a_photo_goes_round_the_loop() {
    let Some(url) = pg_url("a_tip_with_a_photo_goes_round_the_loop") else { return };
    let url = fresh_database(&url).await;
    let clock = ManualClock::new(T0);
    let svc = start_with(&url, &clock, settings(|_| {})).await;
    add_account(&url, "ann", "dispatcher", PASSWORD).await;
    add_account(&url, "sue", "supervisor", PASSWORD).await;
    let ann = token(svc.addr, "ann", PASSWORD).await;
    let hostile = "路面塌陷 <script>window.pwned=1</script><img src=x onerror=alert(1)> '; DROP TABLE service_tips; --";
    let photo = photo_with_exif(LINCHENG);
    let (status, receipt) = tip(
        svc.addr,
        "device-a1",
        &[
            ("category", Part::Text("hazard")),
            ("photo", Part::File(&photo)),
            ("photo_position", Part::Text("1")),
            ("text", Part::Text(hostile)),
            ("phone", Part::Text("138 0000 1234")),
        ],
    )
    .await;
    assert_eq!(status, 201, "{receipt}");
    assert_eq!(
        (receipt["state"].as_str(), receipt["grouped"].as_bool(), receipt["position_from"].as_str()),
        (Some("received"), Some(false), Some("photo"))
    );
    let code = receipt["receipt"].as_str().unwrap().to_string();

    let (status, public) = call(svc.addr, "GET", &format!("/api/tips/status/{code}"), None, None).await;
    assert_eq!((status, public["state"].as_str(), public["text"].as_str()), (200, Some("received"), Some(hostile)), "{public}");
    assert!(!public.to_string().contains("1234"), "the public status has no phone number: {public}");

    let (status, queue) = call(svc.addr, "GET", "/api/tips/queue", Some(&ann), None).await;
    assert_eq!(status, 200, "{queue}");
    let queued = &queue[0];
    assert_eq!(
        (queued["category"].as_str(), queued["island"].as_str(), queued["text"].as_str()),
        (Some("hazard"), Some("zhoushan"), Some(hostile))
    );
    assert!((queued["lat"].as_f64().unwrap() - LINCHENG.1).abs() < 1e-3, "{queued}");
    let id = queued["id"].as_i64().unwrap();

    // The stored photo is a new JPEG: no EXIF, no trailing bytes, the journaled digest.
    let (status, head, stored) =
        send(svc.addr, "GET", queued["photo_url"].as_str().unwrap(), &[("Authorization", &format!("Bearer {ann}"))], b"").await;
    assert_eq!(status, 200);
    assert!(head.to_lowercase().contains("content-type: image/jpeg") && head.to_lowercase().contains("nosniff"), "{head}");
    assert_eq!(image::guess_format(&stored).unwrap(), image::ImageFormat::Jpeg);
    assert!(!stored.windows(4).any(|w| w == b"Exif") && !stored.windows(6).any(|w| w == b"script"));
    let (status, _, _) = send(svc.addr, "GET", queued["photo_url"].as_str().unwrap(), &[], b"").await;
    assert_eq!(status, 401, "photos need a session");
    let events = kinds(svc.addr, &ann).await;
    let received = tips_received(&events);
    assert_eq!(received.len(), 1);
    assert_eq!(received[0]["operator"], "(citizen)");
    assert_eq!(received[0]["body"]["tip"]["photo_sha256"].as_str().unwrap(), tidewatch_journal::hex(&sha2::Sha256::digest(&stored)));
    assert!(!serde_json::to_string(&events).unwrap().contains("0000 1234"), "the phone number is not journaled");

    clock.advance(120);
    let (status, step) =
        call(svc.addr, "POST", &format!("/api/tips/{id}/incident"), Some(&ann), Some(br#"{"incident_type": "traffic_accident"}"#)).await;
    assert_eq!(status, 200, "{step}");
    let incident = step["incident_id"].as_i64().unwrap();
    let (status, _) = call(svc.addr, "GET", &format!("/api/incidents/{incident}/recommendation"), Some(&ann), None).await;
    assert_eq!(status, 200, "the incident is recommended for as usual");
    let (_, timeline) = call(svc.addr, "GET", &format!("/api/incidents/{incident}/timeline"), Some(&ann), None).await;
    assert_eq!(timeline[0]["body"]["source"], "citizen_tip", "{timeline}");
    let (status, again) =
        call(svc.addr, "POST", &format!("/api/tips/{id}/incident"), Some(&ann), Some(br#"{"incident_type": "traffic_accident"}"#)).await;
    assert_eq!((status, again["field"].as_str()), (400, Some("tip")), "{again}");
    let (_, public) = call(svc.addr, "GET", &format!("/api/tips/status/{code}"), None, None).await;
    assert_eq!(public["state"], "handling");

    clock.advance(600);
    let (status, closed) = call(
        svc.addr,
        "POST",
        &format!("/api/tips/{id}/close"),
        Some(&ann),
        Some("{\"reply\": \"已派民警处置，谢谢您的报料\"}".as_bytes()),
    )
    .await;
    assert_eq!(status, 200, "{closed}");
    let (_, public) = call(svc.addr, "GET", &format!("/api/tips/status/{code}"), None, None).await;
    assert_eq!((public["state"].as_str(), public["reply"].as_str()), (Some("closed"), Some("已派民警处置，谢谢您的报料")), "{public}");
    let events = kinds(svc.addr, &ann).await;
    let steps: Vec<_> = events
        .iter()
        .filter(|e| e["body"]["kind"].as_str().is_some_and(|k| k.starts_with("tip_")))
        .map(|e| (e["body"]["kind"].as_str().unwrap(), e["operator"].as_str().unwrap()))
        .collect();
    assert_eq!(steps, [("tip_received", "(citizen)"), ("tip_to_incident", "ann"), ("tip_closed", "ann")]);

    let (status, _) = call(svc.addr, "GET", &format!("/api/tips/kpis?from={T0}&to={}", T0 + 86_400), Some(&ann), None).await;
    assert_eq!(status, 403, "a dispatcher sees no reports");
    let sue = token(svc.addr, "sue", PASSWORD).await;
    let (status, kpis) = call(svc.addr, "GET", &format!("/api/tips/kpis?from={T0}&to={}", T0 + 86_400), Some(&sue), None).await;
    assert_eq!(status, 200, "{kpis}");
    assert_eq!(
        (kpis["all"]["received"].as_i64(), kpis["all"]["closed"].as_i64(), kpis["all"]["median_close_s"].as_f64()),
        (Some(1), Some(1), Some(720.0))
    );
    assert_eq!((kpis["by_island"][0]["key"].as_str(), kpis["by_category"][0]["key"].as_str()), (Some("zhoushan"), Some("hazard")));
    svc.stop().await;
}

/// The phone number kept for a tip, read behind the service's back.
async fn phone_of(url: &str, receipt: &str) -> Option<String> {
    let db = sqlx::PgPool::connect(url).await.unwrap();
    let phone = sqlx::query_scalar("SELECT phone FROM service_tips WHERE receipt = $1").bind(receipt).fetch_one(&db).await.unwrap();
    db.close().await;
    phone
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn closed_tips_forget_their_senders_after_retention() {
    let Some(url) = pg_url("closed_tips_forget_their_senders_after_retention") else { return };
    let url = fresh_database(&url).await;
    let clock = ManualClock::new(T0);
    let svc = start_with(&url, &clock, settings(|s| (s.retention_s, s.cleanup_every_s) = (86_400, 1_000_000))).await;
    add_account(&url, "ann", "dispatcher", PASSWORD).await;
    add_account(&url, "root", "administrator", PASSWORD).await;
    let (ann, root) = (token(svc.addr, "ann", PASSWORD).await, token(svc.addr, "root", PASSWORD).await);
    let photo = photo_with_exif(LINCHENG);
    let other = png(64, 48);
    let send_tip = |category: &'static str, island: &'static str, photo: Vec<u8>| async move {
        let fields = [
            ("category", Part::Text(category)),
            ("island", Part::Text(island)),
            ("photo", Part::File(&photo)),
            ("phone", Part::Text("138 0000 1234")),
        ];
        let (status, receipt) = tip(svc.addr, "device-r1", &fields).await;
        assert_eq!(status, 201, "{receipt}");
        receipt["receipt"].as_str().unwrap().to_string()
    };
    // A and B carry the same picture; C another, and stays open.
    let (a, b, c) = (
        send_tip("hazard", "zhoushan", photo.clone()).await,
        send_tip("accident", "jintang", photo).await,
        send_tip("other", "daishan", other).await,
    );
    let (_, queue) = call(svc.addr, "GET", "/api/tips/queue", Some(&ann), None).await;
    let id_of = |code: &str| queue.as_array().unwrap().iter().find(|t| t["receipt"] == code).map(|t| t["id"].as_i64().unwrap());
    let ids = [&a, &b, &c].map(|code| id_of(code));
    assert!(ids.iter().all(Option::is_some), "three separate tips: {queue}");
    let [a_id, b_id, c_id] = ids.map(Option::unwrap);
    let close = |id: i64| {
        let ann = ann.clone();
        async move {
            let (status, step) =
                call(svc.addr, "POST", &format!("/api/tips/{id}/close"), Some(&ann), Some("{\"reply\": \"已处理\"}".as_bytes())).await;
            assert_eq!(status, 200, "{step}");
        }
    };
    close(a_id).await;
    let cleanup = |token: String| async move { call(svc.addr, "POST", "/api/tips/cleanup", Some(&token), Some(b"{}")).await };
    let photo_status = |id: i64, token: String| async move {
        send(svc.addr, "GET", &format!("/api/tips/{id}/photo"), &[("Authorization", &format!("Bearer {token}"))], b"").await.0
    };

    let (status, refused) = cleanup(ann.clone()).await;
    assert_eq!(status, 403, "a dispatcher may not: {refused}");
    assert_eq!(cleanup(root.clone()).await.1, serde_json::json!({"tips": 0, "photos": 0}), "nothing is past retention yet");
    // A day on (sessions have expired meanwhile: sign in again).
    clock.advance(86_400 + 1);
    let (ann, root) = (token(svc.addr, "ann", PASSWORD).await, token(svc.addr, "root", PASSWORD).await);
    assert_eq!(cleanup(root.clone()).await.1, serde_json::json!({"tips": 1, "photos": 0}), "A forgets; B still holds the picture");
    assert_eq!(phone_of(&url, &a).await, None);
    assert_eq!(phone_of(&url, &b).await.as_deref(), Some("138 0000 1234"));
    assert_eq!((photo_status(a_id, ann.clone()).await, photo_status(b_id, ann.clone()).await), (404, 200));

    let (status, step) =
        call(svc.addr, "POST", &format!("/api/tips/{b_id}/close"), Some(&ann), Some("{\"reply\": \"已处理\"}".as_bytes())).await;
    assert_eq!(status, 200, "{step}");
    clock.advance(86_400 + 1);
    let (ann, root) = (token(svc.addr, "ann", PASSWORD).await, token(svc.addr, "root", PASSWORD).await);
    assert_eq!(cleanup(root.clone()).await.1, serde_json::json!({"tips": 1, "photos": 1}), "B forgets, and the picture goes");
    assert_eq!(cleanup(root.clone()).await.1, serde_json::json!({"tips": 0, "photos": 0}), "a second pass finds nothing");
    assert_eq!((photo_status(b_id, ann.clone()).await, photo_status(c_id, ann.clone()).await), (404, 200), "the open tip keeps its photo");
    assert_eq!(phone_of(&url, &c).await.as_deref(), Some("138 0000 1234"));
    let (_, public) = call(svc.addr, "GET", &format!("/api/tips/status/{a}"), None, None).await;
    assert_eq!((public["state"].as_str(), public["reply"].as_str()), (Some("closed"), Some("已处理")), "the tipper still sees the reply");
    let events = kinds(svc.addr, &ann).await;
    assert_eq!(tips_received(&events).len(), 3, "the journal keeps every tip");
    svc.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn repeats_are_grouped_and_handled_together() {
    let Some(url) = pg_url("repeats_are_grouped_and_handled_together") else { return };
    let url = fresh_database(&url).await;
    let clock = ManualClock::new(T0);
    let svc = start_with(&url, &clock, settings(|_| {})).await;
    add_account(&url, "ann", "dispatcher", PASSWORD).await;
    let ann = token(svc.addr, "ann", PASSWORD).await;
    let addr = svc.addr;
    let send_tip = |category: &'static str, dlat: f64, device: &'static str| {
        let (lon, lat) = (LINCHENG.0.to_string(), (LINCHENG.1 + dlat).to_string());
        async move {
            let fields =
                [("category", Part::Text(category)), ("lon", Part::Text(&lon)), ("lat", Part::Text(&lat)), ("text", Part::Text("堵车"))];
            tip(addr, device, &fields).await
        }
    };
    let (status, first) = send_tip("traffic_jam", 0.0, "d1").await;
    assert_eq!((status, first["grouped"].as_bool()), (201, Some(false)), "{first}");
    clock.advance(240);
    let (_, second) = send_tip("traffic_jam", 0.001, "d2").await; // ~110 m away, 4 min later
    assert_eq!(second["grouped"].as_bool(), Some(true), "{second}");
    let (_, other) = send_tip("accident", 0.001, "d3").await;
    assert_eq!(other["grouped"].as_bool(), Some(false), "another category is another tip");
    let (_, far) = send_tip("traffic_jam", 0.02, "d4").await; // 2 km away
    assert_eq!(far["grouped"].as_bool(), Some(false), "another place is another tip");
    clock.advance(20 * 60);
    let (_, late) = send_tip("traffic_jam", 0.0, "d5").await;
    assert_eq!(late["grouped"].as_bool(), Some(false), "long after is another tip");

    let (_, queue) = call(svc.addr, "GET", "/api/tips/queue", Some(&ann), None).await;
    let queue = queue.as_array().unwrap();
    assert_eq!(queue.len(), 5);
    let lead = &queue[0];
    assert_eq!((lead["group_size"].as_i64(), queue[1]["group_id"].as_i64()), (Some(2), lead["id"].as_i64()), "{queue:?}");
    let (status, _) = call(
        svc.addr,
        "POST",
        &format!("/api/tips/{}/pass-on", queue[1]["id"]),
        Some(&ann),
        Some(r#"{"to": "traffic", "note": "请交警处理"}"#.as_bytes()),
    )
    .await;
    assert_eq!(status, 200);
    let (status, step) =
        call(svc.addr, "POST", &format!("/api/tips/{}/close", lead["id"]), Some(&ann), Some(r#"{"reply": "已疏导"}"#.as_bytes())).await;
    assert_eq!((status, step["tips"].as_array().map(Vec::len)), (200, Some(2)), "{step}");
    for code in [&first["receipt"], &second["receipt"]] {
        let (_, public) = call(svc.addr, "GET", &format!("/api/tips/status/{}", code.as_str().unwrap()), None, None).await;
        assert_eq!((public["state"].as_str(), public["reply"].as_str()), (Some("closed"), Some("已疏导")), "{public}");
    }
    let (_, queue) = call(svc.addr, "GET", "/api/tips/queue", Some(&ann), None).await;
    assert_eq!(queue.as_array().unwrap().len(), 3, "closed tips leave the queue");
    svc.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_tips_are_refused_by_name_and_journal_nothing() {
    let Some(url) = pg_url("hostile_tips_are_refused_by_name_and_journal_nothing") else { return };
    let url = fresh_database(&url).await;
    let clock = ManualClock::new(T0);
    let svc = start_with(&url, &clock, settings(|_| {})).await;
    add_account(&url, "ann", "dispatcher", PASSWORD).await;
    let ann = token(svc.addr, "ann", PASSWORD).await;
    let (lon, lat) = (LINCHENG.0.to_string(), LINCHENG.1.to_string());
    let mut fake_jpeg = vec![0xff, 0xd8, 0xff, 0xe0, 0, 16];
    fake_jpeg.extend_from_slice(&[b'A'; 5000]);
    let mut zip = b"PK\x03\x04\x14\0\0\0\x08\0".to_vec();
    zip.extend_from_slice(&[0u8; 4000]);
    let bomb = png(20_000, 20_000);
    assert!(bomb.len() < 2_000_000);
    let huge = vec![0xffu8; 11 * 1024 * 1024];
    let long_text = "字".repeat(501);
    // (the form's parts, the status, the field the refusal names)
    #[allow(clippy::type_complexity)]
    let cases: Vec<(Vec<(&str, Part)>, u16, &str)> = vec![
        (
            vec![
                ("category", Part::Text("hazard")),
                ("lon", Part::Text(&lon)),
                ("lat", Part::Text(&lat)),
                ("photo", Part::File(&fake_jpeg)),
            ],
            400,
            "photo",
        ),
        (
            vec![("category", Part::Text("hazard")), ("lon", Part::Text(&lon)), ("lat", Part::Text(&lat)), ("photo", Part::File(&zip))],
            400,
            "photo",
        ),
        (
            vec![("category", Part::Text("hazard")), ("lon", Part::Text(&lon)), ("lat", Part::Text(&lat)), ("photo", Part::File(&bomb))],
            400,
            "photo",
        ),
        (
            vec![("category", Part::Text("hazard")), ("lon", Part::Text(&lon)), ("lat", Part::Text(&lat)), ("photo", Part::File(&huge))],
            413,
            "photo",
        ),
        (
            vec![("category", Part::Text("fire")), ("lon", Part::Text(&lon)), ("lat", Part::Text(&lat)), ("text", Part::Text("x"))],
            400,
            "category",
        ),
        (vec![("lon", Part::Text(&lon)), ("lat", Part::Text(&lat)), ("text", Part::Text("x"))], 400, "category"),
        (
            vec![("category", Part::Text("other")), ("lon", Part::Text(&lon)), ("lat", Part::Text(&lat)), ("text", Part::Text(&long_text))],
            400,
            "text",
        ),
        (
            vec![("category", Part::Text("other")), ("lon", Part::Text(&lon)), ("lat", Part::Text(&lat)), ("text", Part::Text("a\u{0}b"))],
            400,
            "text",
        ),
        (
            vec![("category", Part::Text("other")), ("lon", Part::Text(&lon)), ("lat", Part::Text(&lat)), ("text", Part::Text(""))],
            400,
            "text",
        ),
        (
            vec![
                ("category", Part::Text("other")),
                ("lon", Part::Text(&lon)),
                ("lat", Part::Text(&lat)),
                ("text", Part::Text("x")),
                ("phone", Part::Text("call me maybe")),
            ],
            400,
            "phone",
        ),
        (vec![("category", Part::Text("other")), ("island", Part::Text("../../etc")), ("text", Part::Text("x"))], 400, "island"),
        (
            vec![
                ("category", Part::Text("other")),
                ("island", Part::Text("jintang")),
                ("place", Part::Text("changguo")),
                ("text", Part::Text("x")),
            ],
            400,
            "place",
        ),
        (
            vec![("category", Part::Text("other")), ("lon", Part::Text("2.35")), ("lat", Part::Text("48.85")), ("text", Part::Text("x"))],
            400,
            "lat",
        ),
        (
            vec![("category", Part::Text("other")), ("lon", Part::Text("NaN")), ("lat", Part::Text(&lat)), ("text", Part::Text("x"))],
            400,
            "lon",
        ),
        (vec![("category", Part::Text("other")), ("text", Part::Text("where?"))], 400, "place"),
        (
            vec![
                ("category", Part::Text("other")),
                ("text", Part::Text("x")),
                ("island", Part::Text("jintang")),
                ("evil", Part::Text("1")),
            ],
            400,
            "body",
        ),
        (
            vec![
                ("category", Part::Text("other")),
                ("category", Part::Text("hazard")),
                ("island", Part::Text("jintang")),
                ("text", Part::Text("x")),
            ],
            400,
            "category",
        ),
    ];
    for (i, (fields, status, field)) in cases.iter().enumerate() {
        let (got, body) = tip(svc.addr, "hostile", fields).await;
        assert_eq!((got, body["field"].as_str()), (*status, Some(*field)), "case {i}: {body}");
        assert!(!body["message"].as_str().unwrap_or("").is_empty(), "case {i}: a message says what: {body}");
    }
    // Not a form at all, and a form whose body is gzip: refused, not decompressed.
    let (status, _, body) = send(svc.addr, "POST", "/api/tips", &[("Content-Type", "application/json")], br#"{"category":"hazard"}"#).await;
    assert_eq!(status, 400, "{}", String::from_utf8_lossy(&body));
    let (content_type, form) =
        multipart(&[("category", Part::Text("hazard")), ("island", Part::Text("jintang")), ("text", Part::Text("x"))]);
    let gz = gzip_header_before(&form);
    let (status, _, _) = send(svc.addr, "POST", "/api/tips", &[("Content-Type", &content_type), ("Content-Encoding", "gzip")], &gz).await;
    assert_eq!(status, 400, "a compressed body is not inflated");
    assert!(tips_received(&kinds(svc.addr, &ann).await).is_empty(), "nothing refused is journaled");
    let (status, _) = call(svc.addr, "GET", "/api/tips/status/..%2F..%2Fetc%2Fpasswd", None, None).await;
    assert_eq!(status, 404);
    let (status, body) = call(svc.addr, "GET", "/api/tips/status/ABCDE-FGHJK", None, None).await;
    assert_eq!((status, body["kind"].as_str()), (404, Some("unknown")));
    svc.stop().await;
}

/// What a gzip-encoded body is to a service that does not inflate requests: bytes before
/// the form's first boundary (a gzip header here), so no form.
fn gzip_header_before(form: &[u8]) -> Vec<u8> {
    let mut out = vec![0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff];
    out.extend_from_slice(&form[..form.len() / 2]);
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_endless_upload_is_cut_off() {
    let Some(url) = pg_url("an_endless_upload_is_cut_off") else { return };
    let url = fresh_database(&url).await;
    let clock = ManualClock::new(T0);
    let svc = start_with(&url, &clock, settings(|s| s.upload_timeout_s = 2)).await;
    let mut s = tokio::net::TcpStream::connect(svc.addr).await.unwrap();
    let boundary = "b0undary";
    let head = format!(
        "POST /api/tips HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: multipart/form-data; boundary={boundary}\r\nContent-Length: 5000000\r\n\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"a.jpg\"\r\n\r\n"
    );
    s.write_all(head.as_bytes()).await.unwrap();
    let started = Instant::now();
    let (mut reader, mut writer) = s.into_split();
    let drip = tokio::spawn(async move {
        for _ in 0..200 {
            if writer.write_all(&[0xff; 10]).await.is_err() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    });
    let mut out = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(8), reader.read_to_end(&mut out)).await;
    drip.abort();
    let text = String::from_utf8_lossy(&out);
    assert!(text.starts_with("HTTP/1.1 408"), "{text}");
    assert!(text.contains("\"field\":\"photo\"") && text.contains("did not finish"), "{text}");
    assert!(started.elapsed() < Duration::from_secs(6), "cut off after the time limit: {:?}", started.elapsed());
    svc.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_flood_is_rate_limited_per_phone_and_per_network() {
    let Some(url) = pg_url("a_flood_is_rate_limited_per_phone_and_per_network") else { return };
    let url = fresh_database(&url).await;
    let clock = ManualClock::new(T0);
    let svc = start_with(&url, &clock, settings(|s| s.rates = Rates { per_device: 3, per_address: 5, window_s: 600 })).await;
    let fields = [("category", Part::Text("other")), ("island", Part::Text("jintang")), ("text", Part::Text("x"))];
    for _ in 0..3 {
        assert_eq!(tip(svc.addr, "phone-1", &fields).await.0, 201);
    }
    let (status, body) = tip(svc.addr, "phone-1", &fields).await;
    assert_eq!((status, body["kind"].as_str(), body["minutes"].as_i64()), (429, Some("sign_in_locked"), Some(10)), "{body}");
    assert!(body["message"].as_str().unwrap().contains("this phone"), "{body}");
    assert_eq!(tip(svc.addr, "phone-2", &fields).await.0, 201);
    let (status, body) = tip(svc.addr, "phone-3", &fields).await;
    assert_eq!(status, 429, "{body}");
    assert!(body["message"].as_str().unwrap().contains("this network"), "{body}");
    clock.advance(601);
    assert_eq!(tip(svc.addr, "phone-1", &fields).await.0, 201, "the window passes");
    svc.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_page_is_served_with_its_policy_and_seats_keep_to_their_area() {
    let Some(url) = pg_url("the_page_is_served_with_its_policy_and_seats_keep_to_their_area") else { return };
    let url = fresh_database(&url).await;
    let clock = ManualClock::new(T0);
    let svc = start_with(&url, &clock, settings(|_| {})).await;
    let (status, head, page) = send(svc.addr, "GET", "/tips/?island=jintang", &[], b"").await;
    assert_eq!(status, 200);
    assert!(head.to_lowercase().contains("content-security-policy: default-src 'none'; script-src 'self'"), "{head}");
    assert!(String::from_utf8_lossy(&page).contains("随手拍"));
    for file in ["/tips/tips.js", "/tips/tips.css", "/tips/sw.js"] {
        assert_eq!(send(svc.addr, "GET", file, &[], b"").await.0, 200, "{file}");
    }
    for bad in ["/tips/..%2FCargo.toml", "/tips/index.rs", "/tips/%2e%2e"] {
        assert_eq!(send(svc.addr, "GET", bad, &[], b"").await.0, 404, "{bad}");
    }
    let (status, places) = call(svc.addr, "GET", "/api/tips/places", None, None).await;
    assert_eq!(status, 200);
    let jintang = places["islands"].as_array().unwrap().iter().find(|i| i["id"] == "jintang").expect("jintang is offered");
    assert!(jintang["places"].as_array().unwrap().iter().any(|p| p["id"] == "ligang"), "{jintang}");

    add_account(&url, "tom", "dispatcher", PASSWORD).await;
    let body = serde_json::json!({ "username": "tom", "password": PASSWORD, "seat": "traffic" }).to_string();
    let (_, signed) = call(svc.addr, "POST", "/api/sign-in", None, Some(body.as_bytes())).await;
    let traffic = signed["token"].as_str().unwrap().to_string();
    let (status, _) =
        tip(svc.addr, "p", &[("category", Part::Text("public_order")), ("place", Part::Text("ligang")), ("text", Part::Text("打架"))])
            .await;
    assert_eq!(status, 201);
    let (_, queue) = call(svc.addr, "GET", "/api/tips/queue", Some(&traffic), None).await;
    let id = queue[0]["id"].as_i64().unwrap();
    let (status, body) = call(svc.addr, "POST", &format!("/api/tips/{id}/close"), Some(&traffic), Some(br#"{"reply": "x"}"#)).await;
    assert_eq!((status, body["kind"].as_str()), (403, Some("forbidden")), "{body}");
    let (status, body) = call(svc.addr, "POST", &format!("/api/tips/{id}/close"), None, Some(br#"{"reply": "x"}"#)).await;
    assert_eq!(status, 401, "{body}");
    svc.stop().await;
}
