//! Citizens' tips (随手拍, issue #15): a public page where anyone sends a tip — category,
//! photo, place, short text, optional phone number — without an account, gets a receipt
//! code and can look the tip up by it; the dispatchers' queue, where a tip becomes an
//! incident, is passed on as a hazard to the traffic police or a station, or is closed
//! with a short public reply; and the supervisor's figures.
//!
//! Nothing a stranger sends reaches a desk as markup, script or a path: the text is
//! stored and returned as text (JSON strings; the pages set it with `textContent`), the
//! photo is decoded under limits and re-encoded (`photo.rs`), ids from the form are looked
//! up in the region pack and never used as paths. Every refusal names what it refuses.
//! The tips' state, photos and phone numbers are the service's tables (`store.rs`); the
//! journal records the tip (with the photo's SHA-256, not the number) and every step.

pub mod page;
pub mod photo;
pub mod poster;
mod routes;
pub mod store;

pub use routes::{desk_routes, paths, public_routes};
pub use store::{Forgotten, Grouping, PublicStatus, QueuedTip, Rates, TipFigures, TipKpis};

use std::sync::{Arc, RwLock};

use serde::{Deserialize, Serialize};
use tidewatch_core::dispatch::seat::Seat;
use tidewatch_core::field::Geometry;
use tidewatch_core::ids::{IncidentId, PlaceId};
use tidewatch_core::region::{PlaceKind, Region};
use tidewatch_core::Error;
use tidewatch_journal::{CallSource, EventBody, PoliceLine, TipRecord};
use tidewatch_workstation::accounts::{Action, Session};
use tidewatch_workstation::desk::Intake;
use tokio::sync::Semaphore;

use crate::error::ApiError;
use crate::{body, Service, MAX_ID};
use photo::PhotoLimits;

/// The longest tip text, phone number and public reply (characters).
pub const MAX_TIP_TEXT: usize = 500;
pub const MAX_PHONE: usize = 20;
pub const MAX_REPLY: usize = 200;

/// How tips are taken.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Settings {
    pub photo: PhotoLimits,
    /// An upload not finished in this long is refused (a phone on a weak network retries).
    pub upload_timeout_s: u64,
    pub rates: Rates,
    pub grouping: Grouping,
    /// Photos decoded at once (each may take up to `photo.max_decoded` bytes).
    pub decodes_at_once: usize,
    /// A closed tip's phone number, photo, device id and network address are kept this many
    /// seconds after it was closed (the tip, its reply and its journal record stay).
    pub retention_s: i64,
    /// How often each process forgets what is past retention (seconds).
    pub cleanup_every_s: u64,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            photo: PhotoLimits::default(),
            upload_timeout_s: 60,
            rates: Rates { per_device: 6, per_address: 60, window_s: 600 },
            grouping: Grouping { radius_m: 300.0, window_s: 15 * 60 },
            decodes_at_once: 2,
            retention_s: 180 * 86_400,
            cleanup_every_s: 3_600,
        }
    }
}

/// What a tip is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    Hazard,
    TrafficJam,
    Accident,
    PublicOrder,
    Other,
}

impl Category {
    pub const ALL: [Category; 5] = [Category::Hazard, Category::TrafficJam, Category::Accident, Category::PublicOrder, Category::Other];

    pub fn name(self) -> &'static str {
        match self {
            Category::Hazard => "hazard",
            Category::TrafficJam => "traffic_jam",
            Category::Accident => "accident",
            Category::PublicOrder => "public_order",
            Category::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<Category> {
        Category::ALL.into_iter().find(|c| c.name() == s)
    }

    /// The traffic squadron's: jams, accidents and road hazards.
    fn traffic(self) -> bool {
        matches!(self, Category::Hazard | Category::TrafficJam | Category::Accident)
    }
}

/// The public form as the page sends it (multipart; read by `routes.rs`).
#[derive(Debug, Clone, Default)]
pub struct TipForm {
    pub category: Option<String>,
    pub text: String,
    pub phone: Option<String>,
    pub lon: Option<String>,
    pub lat: Option<String>,
    pub island: Option<String>,
    pub place: Option<String>,
    /// The tipper let the service read the position in the photo.
    pub photo_position: bool,
    pub photo: Option<Vec<u8>>,
}

/// What the tipper is given.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Receipt {
    /// The code to look the tip up by (`GET /api/tips/status/{receipt}`).
    pub receipt: String,
    pub state: String,
    /// Someone reported the same a little earlier: the two are handled together.
    pub grouped: bool,
    /// Where the position came from: `phone`, `photo`, `place`, `island`.
    pub position_from: String,
}

/// A dispatcher's step with a tip, answered (the desk's type).
pub use tidewatch_workstation::tips::TipStep;

/// Make the tip an incident: its type and priority (the place and the text are the tip's
/// unless given: the desk's intake is prefilled from the tip and the dispatcher may edit).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TipIncidentBody {
    pub incident_type: String,
    pub priority: Option<u8>,
    pub lon: Option<f64>,
    pub lat: Option<f64>,
    pub text: Option<String>,
}

/// Pass the tip on as a hazard to the traffic police or a station.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TipPassOnBody {
    pub to: PoliceLine,
    #[serde(default)]
    pub note: String,
}

/// Close the tip (and its group) with the reply the tipper sees.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TipCloseBody {
    pub reply: String,
}

/// The tips' share of the service: settings, the decoder's permits, and what of the region
/// the page and the tip's checks use (rebuilt when the region edits change it,
/// [`Tips::install`]).
pub(crate) struct Tips {
    pub settings: Settings,
    decodes: Semaphore,
    ground: RwLock<Arc<Ground>>,
}

/// The region's shapes and the page's gazetteer.
struct Ground {
    geometry: Geometry,
    places: serde_json::Value,
}

impl Ground {
    fn of(region: &Region) -> Ground {
        Ground { geometry: Geometry::of(region), places: gazetteer(region) }
    }
}

impl Tips {
    pub fn new(region: &Region, settings: Settings) -> Tips {
        Tips { settings, decodes: Semaphore::new(settings.decodes_at_once.max(1)), ground: RwLock::new(Arc::new(Ground::of(region))) }
    }

    /// The page lists, and tips are checked against, `region` from now on.
    pub fn install(&self, region: &Region) {
        let ground = Arc::new(Ground::of(region));
        *self.ground.write().unwrap_or_else(|p| p.into_inner()) = ground;
    }

    fn ground(&self) -> Arc<Ground> {
        Arc::clone(&self.ground.read().unwrap_or_else(|p| p.into_inner()))
    }
}

/// The islands and the places a tipper may pick (villages, towns, piers, landmarks,
/// stations), zh-CN and English, for the page.
fn gazetteer(region: &Region) -> serde_json::Value {
    let pickable =
        |k: PlaceKind| matches!(k, PlaceKind::Village | PlaceKind::Town | PlaceKind::Pier | PlaceKind::Landmark | PlaceKind::Station);
    let islands: Vec<_> = region
        .islands
        .iter()
        .filter(|i| i.inhabited || region.places.iter().any(|p| p.island == i.id && pickable(p.kind)))
        .map(|i| {
            let places: Vec<_> = region
                .places
                .iter()
                .filter(|p| p.island == i.id && pickable(p.kind))
                .map(|p| serde_json::json!({ "id": p.id.0, "name_zh": p.name_zh, "name_en": p.name_en }))
                .collect();
            serde_json::json!({ "id": i.id.0, "name_zh": i.name_zh, "name_en": i.name_en, "places": places })
        })
        .collect();
    let categories: Vec<_> = Category::ALL.iter().map(|c| c.name()).collect();
    serde_json::json!({ "islands": islands, "categories": categories, "max_text": MAX_TIP_TEXT, "max_phone": MAX_PHONE })
}

/// Where a tip is.
struct Where {
    lon: Option<f64>,
    lat: Option<f64>,
    island: Option<String>,
    place: Option<String>,
    from: &'static str,
}

/// A receipt code: 10 characters from 32 that cannot be mistaken for each other (no 0/O,
/// 1/I), as XXXXX-XXXXX: 50 random bits.
fn new_receipt() -> Result<String, Error> {
    const ALPHABET: &[u8; 32] = b"23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
    let mut raw = [0u8; 10];
    getrandom::fill(&mut raw).map_err(|e| Error::Storage(format!("the system's random source failed: {e}")))?;
    let mut code: String = raw.iter().map(|b| ALPHABET[(b & 31) as usize] as char).collect();
    code.insert(5, '-');
    Ok(code)
}

/// Whether `code` could be a receipt (anything else is not looked up).
fn receipt_like(code: &str) -> bool {
    code.len() == 11 && code.bytes().enumerate().all(|(i, b)| if i == 5 { b == b'-' } else { b.is_ascii_digit() || b.is_ascii_uppercase() })
}

/// A device id the page made (letters, digits, `-`, at most 64): counted for the rate limit.
pub(crate) fn device_id(raw: Option<&str>) -> Option<String> {
    let raw = raw?.trim();
    (!raw.is_empty() && raw.len() <= 64 && raw.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')).then(|| raw.to_string())
}

fn number(field: &str, raw: &str) -> Result<f64, ApiError> {
    raw.trim().parse::<f64>().ok().filter(|v| v.is_finite()).ok_or_else(|| ApiError::bad_field(field, "not a number"))
}

/// The tip's text: at most [`MAX_TIP_TEXT`] characters, line breaks kept, other control
/// characters refused.
fn tip_text(text: &str) -> Result<String, ApiError> {
    let text = text.trim();
    body::at_most("text", text, MAX_TIP_TEXT)?;
    if text.chars().any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t') {
        return Err(ApiError::bad_field("text", "no control characters"));
    }
    Ok(text.replace("\r\n", "\n"))
}

fn phone(phone: Option<&str>) -> Result<Option<String>, ApiError> {
    let Some(phone) = phone.map(str::trim).filter(|p| !p.is_empty()) else { return Ok(None) };
    body::at_most("phone", phone, MAX_PHONE)?;
    if !phone.chars().all(|c| c.is_ascii_digit() || " +-()".contains(c)) || phone.chars().filter(char::is_ascii_digit).count() < 5 {
        return Err(ApiError::bad_field("phone", "a phone number: digits, spaces, + - ( ) only"));
    }
    Ok(Some(phone.to_string()))
}

/// Forgets what is past retention every [`Settings::cleanup_every_s`], while the service
/// lives (every process does; a pass finding nothing is cheap).
pub(crate) async fn keep_clean(service: std::sync::Weak<Service>) {
    loop {
        let Some(every) = service.upgrade().map(|s| s.tips.settings.cleanup_every_s.max(1)) else { return };
        tokio::time::sleep(std::time::Duration::from_secs(every)).await;
        let Some(service) = service.upgrade() else { return };
        let before = service.clock.now() - service.tips.settings.retention_s;
        if let Err(e) = store::forget_closed(&service.db, before).await {
            eprintln!("tidewatch serve: forgetting old tips' photos and numbers: {e}");
        }
    }
}

impl Service {
    /// The page's islands, places and categories (public).
    pub fn tip_gazetteer(&self) -> serde_json::Value {
        self.tips.ground().places.clone()
    }

    pub(crate) fn tip_settings(&self) -> &Settings {
        &self.tips.settings
    }

    /// Counts a tip against the rate limits (before its upload is read).
    pub async fn count_tip(&self, device: Option<&str>, address: &str) -> Result<(), ApiError> {
        store::count_attempt(&self.db, device, address, self.clock.now(), &self.tips.settings.rates).await
    }

    /// A tip from the public page: checked, its photo re-encoded, grouped with a repeat of
    /// an open tip, stored and journaled (`tip_received` under `(citizen)`).
    pub async fn submit_tip(&self, form: TipForm, device: Option<String>, address: &str) -> Result<Receipt, ApiError> {
        let category = form.category.as_deref().ok_or_else(|| ApiError::bad_field("category", "choose what the tip is about"))?;
        let category = Category::parse(category)
            .ok_or_else(|| ApiError::bad_field("category", "one of hazard, traffic_jam, accident, public_order, other"))?;
        let text = tip_text(&form.text)?;
        let phone = phone(form.phone.as_deref())?;
        let (photo, exif) = self.tip_photo_of(form.photo.clone(), form.photo_position).await?;
        let place = self.where_of(&form, exif)?;
        if photo.is_none() && text.is_empty() {
            return Err(ApiError::bad_field("text", "send a photo or a few words"));
        }
        let now = self.clock.now();
        let tip = store::NewTip {
            receipt: new_receipt()?,
            received_utc: now,
            category: category.name(),
            island: place.island,
            place: place.place,
            lon: place.lon,
            lat: place.lat,
            position_from: place.from,
            text,
            phone,
            photo_sha256: photo.as_ref().map(|p| p.sha256.clone()),
            device,
            address: address.to_string(),
        };
        self.store_tip(tip, photo).await
    }

    /// The photo re-encoded (on a blocking thread, a few at a time), and the position in
    /// its EXIF when the tipper allowed it to be read.
    async fn tip_photo_of(
        &self,
        bytes: Option<Vec<u8>>,
        read_position: bool,
    ) -> Result<(Option<photo::Photo>, Option<(f64, f64)>), ApiError> {
        let Some(bytes) = bytes else { return Ok((None, None)) };
        let _permit = self.tips.decodes.acquire().await.map_err(|_| ApiError::unavailable("the service is stopping"))?;
        let limits = self.tips.settings.photo;
        let done = tokio::task::spawn_blocking(move || {
            let position = if read_position { photo::exif_position(&bytes) } else { None };
            photo::reencode(&bytes, &limits).map(|p| (Some(p), position))
        })
        .await
        .map_err(|_| ApiError::bad_field("photo", "the photo cannot be read"))?;
        Ok(done?)
    }

    /// Where the tip is: the phone's position, else the photo's (if allowed and inside the
    /// region), else the gazetteer place, else the island.
    fn where_of(&self, form: &TipForm, exif: Option<(f64, f64)>) -> Result<Where, ApiError> {
        let region = self.journals.region();
        let island = match form.island.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            Some(id) => {
                body::at_most("island", id, MAX_ID)?;
                Some(region.island(&id.into()).ok_or_else(|| ApiError::bad_field("island", "no such island in the region"))?.id.0.clone())
            }
            None => None,
        };
        let place = match form.place.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            Some(id) => {
                body::at_most("place", id, MAX_ID)?;
                let p =
                    region.place(&PlaceId(id.to_string())).ok_or_else(|| ApiError::bad_field("place", "no such place in the region"))?;
                if island.as_ref().is_some_and(|i| *i != p.island.0) {
                    return Err(ApiError::bad_field("place", "the place is not on the island chosen"));
                }
                Some(p)
            }
            None => None,
        };
        let inside = |lon: f64, lat: f64| region.meta.bounds.contains(lon, lat);
        let ground = self.tips.ground();
        let on_island = |lon: f64, lat: f64| ground.geometry.island_at(lon, lat).map(|i| i.0.clone());
        if let (Some(lon), Some(lat)) = (form.lon.as_deref(), form.lat.as_deref()) {
            let (lon, lat) = (number("lon", lon)?, number("lat", lat)?);
            if !inside(lon, lat) {
                return Err(ApiError::bad_field(
                    "lat",
                    "the phone's position is outside the region: pick the island and the place instead",
                ));
            }
            let island = on_island(lon, lat).or(island);
            return Ok(Where { lon: Some(lon), lat: Some(lat), island, place: place.map(|p| p.id.0.clone()), from: "phone" });
        }
        if let Some((lon, lat)) = exif.filter(|&(lon, lat)| inside(lon, lat)) {
            let island = on_island(lon, lat).or(island);
            return Ok(Where { lon: Some(lon), lat: Some(lat), island, place: place.map(|p| p.id.0.clone()), from: "photo" });
        }
        if let Some(p) = place {
            return Ok(Where {
                lon: Some(p.lon),
                lat: Some(p.lat),
                island: Some(p.island.0.clone()),
                place: Some(p.id.0.clone()),
                from: "place",
            });
        }
        if island.is_some() {
            return Ok(Where { lon: None, lat: None, island, place: None, from: "island" });
        }
        let hint = if form.photo_position { " (the photo carries no position in the region)" } else { "" };
        Err(ApiError::bad_field("place", format!("say where: allow the phone's position, or choose the island and a place{hint}")))
    }

    /// Stores the tip and its photo and journals it, in one transaction of the tips' table
    /// that commits after the event (as devices do).
    async fn store_tip(&self, tip: store::NewTip, photo: Option<photo::Photo>) -> Result<Receipt, ApiError> {
        let mut tx = self.db.begin().await?;
        store::lock_for_new_tip(&mut tx).await?;
        let group = store::group_of(&mut tx, &tip, &self.tips.settings.grouping).await?;
        let id = store::insert(&mut tx, &tip, group.map(|g| g.0)).await?;
        if let Some(photo) = &photo {
            store::save_photo(&mut tx, photo).await?;
        }
        let record = TipRecord {
            receipt: tip.receipt.clone(),
            category: tip.category.to_string(),
            lon: tip.lon,
            lat: tip.lat,
            place: tip.place.clone(),
            position_from: tip.position_from.to_string(),
            photo_sha256: tip.photo_sha256.clone(),
            has_phone: tip.phone.is_some(),
            grouped_with: group.map(|g| g.1),
        };
        let body = EventBody::TipReceived { island: tip.island.clone(), text: tip.text.clone(), synthetic: false, tip: Some(record) };
        let at = tip.received_utc;
        let ack = self.journals.with(move |w| w.journal_citizen_tip(body, at)).await?;
        store::set_seq(&mut tx, id, ack.seq).await?;
        tx.commit().await?;
        Ok(Receipt { receipt: tip.receipt, state: "received".into(), grouped: group.is_some(), position_from: tip.position_from.into() })
    }

    /// Where the tip with `receipt` stands (public: no phone, no photo, no address).
    pub async fn tip_status(&self, receipt: &str) -> Result<PublicStatus, ApiError> {
        let receipt = receipt.trim().to_ascii_uppercase();
        let unknown = || ApiError::from(Error::Unknown { what: "tip", id: "this receipt code".into() });
        if !receipt_like(&receipt) {
            return Err(unknown());
        }
        store::status(&self.db, &receipt).await?.ok_or_else(unknown)
    }

    /// The dispatchers' queue: open tips, grouped (and those closed since `closed_since`).
    /// Any signed-in operator may look.
    pub async fn tips_queue(&self, _operator: &Session, closed_since: Option<i64>) -> Result<Vec<QueuedTip>, ApiError> {
        Ok(store::queue(&self.db, closed_since, 500).await?)
    }

    /// A tip's stored photo (the re-encoded JPEG).
    pub async fn tip_photo(&self, _operator: &Session, id: i64) -> Result<Vec<u8>, ApiError> {
        let no_photo = || ApiError::from(Error::Unknown { what: "tip photo", id: id.to_string() });
        let sha = store::photo_of(&self.db, id).await?.ok_or_else(no_photo)?;
        store::photo(&self.db, &sha).await?.ok_or_else(no_photo)
    }

    /// Forgets now what closed tips carried about their senders past retention (phone, photo,
    /// device, address). Needs an administrator.
    pub async fn forget_old_tips(&self, operator: &Session) -> Result<Forgotten, ApiError> {
        operator.authorize(Action::ManageAccounts)?;
        Ok(store::forget_closed(&self.db, self.clock.now() - self.tips.settings.retention_s).await?)
    }

    /// Tips received and closed, the median time to close, by island and category, for a
    /// supervisor (the report role).
    pub async fn tip_kpis(&self, operator: &Session, from: i64, to: i64) -> Result<TipKpis, ApiError> {
        operator.authorize(Action::ViewReports)?;
        if from >= to {
            return Err(ApiError::bad_field("to", "after from"));
        }
        Ok(store::kpis(&self.db, from, to).await?)
    }

    /// Makes the tip an incident through the desk's intake (source 随手拍; the recommendation
    /// then as for any call), and journals `tip_to_incident` for each tip of its group.
    pub async fn tip_to_incident(&self, operator: &Session, seat: &Seat, id: i64, ask: TipIncidentBody) -> Result<TipStep, ApiError> {
        body::at_most("incident_type", &ask.incident_type, MAX_ID)?;
        body::printable("incident_type", &ask.incident_type)?;
        let tip = self.open_tip(id).await?;
        if let Some(incident) = tip.incident_id {
            return Err(ApiError::bad_field("tip", format!("tip {id} is incident {incident} already")));
        }
        let (lon, lat) = match (ask.lon.or(tip.lon), ask.lat.or(tip.lat)) {
            (Some(lon), Some(lat)) => (lon, lat),
            _ => return Err(ApiError::bad_field("lon", "the tip has no position: give lon and lat")),
        };
        // The dispatcher's edit of the text, checked as the tipper's was.
        let given = ask.text.as_deref().map(tip_text).transpose()?;
        let text = format!("随手拍 {}: {}", tip.receipt, given.as_deref().unwrap_or(&tip.text));
        let intake = Intake { incident_type: ask.incident_type, priority: ask.priority, lon, lat, source: CallSource::CitizenTip, text };
        let now = self.clock.now_utc();
        let journal: StepFn = Box::new(move |w, seqs| {
            let incident = w.receive(now, &intake)?;
            let mut last = 0;
            for &seq in seqs {
                last = w.journal_tip_step(EventBody::TipToIncident { tip: seq, incident: incident.0 }, now.timestamp())?.seq;
            }
            Ok((last, Some(incident)))
        });
        self.tip_step(operator, seat, &tip, Then::Handled(None), journal).await
    }

    /// Passes the tip on as a hazard to the traffic police or a station (`tip_passed_on`).
    pub async fn tip_pass_on(&self, operator: &Session, seat: &Seat, id: i64, ask: TipPassOnBody) -> Result<TipStep, ApiError> {
        body::at_most("note", &ask.note, crate::MAX_REASON)?;
        body::printable("note", &ask.note)?;
        let tip = self.open_tip(id).await?;
        let now = self.clock.now();
        let to = match ask.to {
            PoliceLine::Traffic => "traffic",
            PoliceLine::Station => "station",
        };
        let journal: StepFn = Box::new(move |w, seqs| {
            let mut last = 0;
            for &seq in seqs {
                last = w.journal_tip_step(EventBody::TipPassedOn { tip: seq, passed_to: ask.to, note: ask.note.clone() }, now)?.seq;
            }
            Ok((last, None))
        });
        self.tip_step(operator, seat, &tip, Then::Handled(Some(to)), journal).await
    }

    /// Closes the tip and its group with the public reply (`tip_closed`, the reply as its
    /// outcome): the tipper's status page shows it.
    pub async fn tip_close(&self, operator: &Session, seat: &Seat, id: i64, ask: TipCloseBody) -> Result<TipStep, ApiError> {
        let reply = ask.reply.trim().to_string();
        if reply.is_empty() {
            return Err(ApiError::bad_field("reply", "write the short reply the tipper will see"));
        }
        body::at_most("reply", &reply, MAX_REPLY)?;
        body::printable("reply", &reply)?;
        let tip = self.open_tip(id).await?;
        let now = self.clock.now();
        let journaled = reply.clone();
        let journal: StepFn = Box::new(move |w, seqs| {
            let mut last = 0;
            for &seq in seqs {
                last = w.journal_tip_step(EventBody::TipClosed { tip: seq, outcome: journaled.clone() }, now)?.seq;
            }
            Ok((last, None))
        });
        self.tip_step(operator, seat, &tip, Then::Closed(reply), journal).await
    }

    /// Tip `id`, refused when there is none or it is closed.
    async fn open_tip(&self, id: i64) -> Result<QueuedTip, ApiError> {
        let tip = store::tip(&self.db, id).await?.ok_or_else(|| ApiError::from(Error::unknown("tip", id.to_string())))?;
        if tip.state == "closed" {
            return Err(ApiError::bad_field("tip", format!("tip {id} is closed already")));
        }
        Ok(tip)
    }

    /// Runs a step on the tip's group: the group's rows locked (two dispatchers cannot both
    /// act on it), the role and the seat's area checked, `journal` run as the operator with
    /// the group's seqs, then the rows updated as `then` says, all before the rows'
    /// transaction commits.
    async fn tip_step(&self, operator: &Session, seat: &Seat, tip: &QueuedTip, then: Then, journal: StepFn) -> Result<TipStep, ApiError> {
        let mut tx = self.db.begin().await?;
        let group = store::lock_group(&mut tx, tip.id).await?;
        if group.iter().any(|(_, _, state)| state == "closed") {
            return Err(ApiError::bad_field("tip", format!("tip {} is closed already", tip.id)));
        }
        let ids: Vec<i64> = group.iter().map(|g| g.0).collect();
        let seqs: Vec<i64> = group.iter().map(|g| g.1).collect();
        let (seat, lead) = (seat.clone(), tip.clone());
        let (seq, incident) = self
            .journals
            .acting(operator, move |w| {
                let session = w.authorized(Action::Dispatch)?.clone();
                tip_in_area(w.region(), &seat, &lead, &session)?;
                journal(w, &seqs)
            })
            .await?;
        let (by, now) = (operator.username.as_str(), self.clock.now());
        match then {
            Then::Handled(passed_to) => store::mark_handled(&mut tx, &ids, incident.map(|i| i.0), passed_to, by, now).await?,
            Then::Closed(reply) => store::mark_closed(&mut tx, &ids, &reply, by, now).await?,
        }
        tx.commit().await?;
        Ok(TipStep { tips: ids, seq, incident_id: incident })
    }
}

/// A step's journaling, run as the operator on the group's seqs: the last event's seq and
/// the incident made, if any.
type StepFn = Box<
    dyn FnOnce(&mut tidewatch_workstation::Workstation<tidewatch_journal_pg::PgJournal>, &[i64]) -> Result<(i64, Option<IncidentId>), Error>
        + Send,
>;

/// What a step does to the group's rows.
enum Then {
    /// Being handled (made an incident, or passed to this line).
    Handled(Option<&'static str>),
    /// Closed with this reply.
    Closed(String),
}

/// Whether `seat` may act on `tip`: the centre on every tip, the squadron on jams,
/// accidents and road hazards, a station on tips whose place is in its area.
fn tip_in_area(region: &Region, seat: &Seat, tip: &QueuedTip, session: &Session) -> Result<(), Error> {
    let category = Category::parse(&tip.category).unwrap_or(Category::Other);
    let owns = match seat {
        Seat::Centre => true,
        Seat::Traffic => category.traffic(),
        Seat::Station(_) => match (tip.lon, tip.lat) {
            (Some(lon), Some(lat)) => seat.owns_incident(region, "", lon, lat, tip.island.as_deref()),
            _ => false,
        },
    };
    if owns {
        return Ok(());
    }
    Err(Error::Forbidden {
        user: session.username.clone(),
        role: session.role.name().into(),
        action: format!("act on tip {}: it is outside {}", tip.id, seat.area_name(region)),
    })
}
