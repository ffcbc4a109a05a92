//! The region editor on a seat (administrators), and how an edit reaches every process.
//!
//! | route | session | what |
//! |---|---|---|
//! | `GET /api/region/editor` | administrator | the stored edits `StoredRegion {version, by, at_utc, files}`: the seat lays them over its pack and lists that |
//! | `POST /api/region/edits` | administrator | `{base_version, edit: RegionEdit}` → `RegionSave` (saved, or refused with problems naming the field); 409 `region_edit_conflict` when another edit was saved after `base_version` |
//! | `GET /api/region/edits?known=` | yes | the stored edits, for a seat's map; `files` empty when the newest version is `known` |
//!
//! An edit is checked with the desk's own code (`Workstation::stage_region_edit`: the real
//! loader on a staging copy), and the text of the files it changed is stored in PostgreSQL
//! with its `RegionEdited` event, in one transaction (`tidewatch_journal_pg`'s
//! `region_edits.rs`), which notifies `tidewatch_region`. Every process (each on its own
//! `--region` folder, maybe on another machine) lays the newest stored text over its pack
//! at start and when notified ([`Service::refresh_region`]), in a folder of its own: the
//! pack folder is never written. The desks hear the event's seq like any other.

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;
use tidewatch_core::region::edit::overlay::overlay;
use tidewatch_core::region::edit::RegionEdit;
use tidewatch_core::Error;
use tidewatch_journal_pg::StoredRegion;
use tidewatch_workstation::accounts::{Action, Session};
use tidewatch_workstation::{RegionSave, StagedEdit};

use crate::api::Operator;
use crate::body::{self, JsonBody};
use crate::error::ApiError;
use crate::{Service, MAX_ID, MAX_REASON};

/// The most departures one timetable edit lists.
pub const MAX_DEPARTURES: usize = 200;

pub fn routes() -> Router<Arc<Service>> {
    Router::new().route("/api/region/editor", get(editor)).route("/api/region/edits", get(edits).post(save))
}

async fn editor(State(s): State<Arc<Service>>, op: Operator) -> Result<Json<StoredRegion>, ApiError> {
    s.region_editor(&op.session).await.map(Json)
}

/// `?known=<version>`: the version the seat has laid over its pack already.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KnownQuery {
    pub known: Option<i64>,
}

async fn edits(
    State(s): State<Arc<Service>>,
    _op: Operator,
    q: Result<Query<KnownQuery>, QueryRejection>,
) -> Result<Json<StoredRegion>, ApiError> {
    let Query(q) = q.map_err(|e| ApiError::bad_field("known", e.body_text()))?;
    let mut stored = s.stored_region().await?;
    // Nothing new: the seat keeps what it has (the common answer, a few bytes).
    if q.known == Some(stored.version) {
        stored.files.clear();
    }
    Ok(Json(stored))
}

async fn save(State(s): State<Arc<Service>>, op: Operator, JsonBody(b): JsonBody<EditBody>) -> Result<Json<RegionSave>, ApiError> {
    s.edit_region(&op.session, b).await.map(Json)
}

/// One edit, made on the version of the stored edits the editor showed.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EditBody {
    pub base_version: i64,
    pub edit: RegionEdit,
}

impl EditBody {
    fn check(&self) -> Result<(), ApiError> {
        body::at_most("edit", self.edit.row_id(), MAX_ID)?;
        match &self.edit {
            RegionEdit::MovePlace { .. } => Ok(()),
            RegionEdit::RenamePlace { name_zh, name_en, .. } => {
                body::at_most("name_zh", name_zh, MAX_REASON)?;
                body::at_most("name_en", name_en, MAX_REASON)
            }
            RegionEdit::SetTimetable { from, day_type, departures, .. } => {
                body::at_most("from", from, MAX_ID)?;
                body::at_most("day_type", day_type, MAX_ID)?;
                if departures.len() > MAX_DEPARTURES {
                    return Err(ApiError::bad_field("departures", format!("at most {MAX_DEPARTURES} departures")));
                }
                departures.iter().try_for_each(|d| body::at_most("departures", d, MAX_ID))
            }
            RegionEdit::SetLinkStatus { reason, .. } => body::at_most("reason", reason, MAX_REASON),
        }
    }
}

/// Where this process keeps its region: the pack it was started on, and a folder of its
/// own (removed when the service stops) for the pack with the edits laid over it, one
/// sub-folder per version, and for staging edits.
pub struct Overlay {
    pack: PathBuf,
    folder: tempfile::TempDir,
    next_scratch: AtomicU64,
    /// One refresh at a time.
    refreshing: tokio::sync::Mutex<()>,
}

impl Overlay {
    pub fn new(pack: PathBuf) -> Result<Overlay, Error> {
        let folder = tempfile::Builder::new().prefix("tidewatch-serve-region-").tempdir()?;
        Ok(Overlay { pack, folder, next_scratch: AtomicU64::new(0), refreshing: tokio::sync::Mutex::new(()) })
    }

    /// A folder name nothing uses, for one edit's staging copy.
    fn scratch(&self) -> PathBuf {
        self.folder.path().join(format!("edit-{}", self.next_scratch.fetch_add(1, Ordering::Relaxed)))
    }
}

impl Service {
    /// The stored edits, for an administrator's editor (the role is checked here).
    pub async fn region_editor(&self, operator: &Session) -> Result<StoredRegion, ApiError> {
        Ok(self
            .journals
            .acting(operator, |w| {
                w.authorized(Action::EditRegion)?;
                w.desk().journal().stored_region()
            })
            .await?)
    }

    /// The stored edits (any signed-in seat redraws its map from them).
    pub async fn stored_region(&self) -> Result<StoredRegion, Error> {
        self.journals.with(|w| w.desk().journal().stored_region()).await
    }

    /// Checks and saves an administrator's edit made on `ask.base_version`; this process
    /// routes with it before answering, the others once notified.
    pub async fn edit_region(&self, operator: &Session, ask: EditBody) -> Result<RegionSave, ApiError> {
        ask.check()?;
        let stored = self.refresh_region().await?;
        if ask.base_version > stored.version {
            return Err(ApiError::bad_field("base_version", format!("the newest version is {}", stored.version)));
        }
        if let Some(conflict) = stored.conflict(ask.base_version) {
            return Err(conflict.into());
        }
        let (at, scratch, base) = (self.clock.now_utc(), self.overlay.scratch(), ask.base_version);
        let saved = self
            .journals
            .acting(operator, move |w| match w.stage_region_edit(at, &ask.edit, &scratch)? {
                StagedEdit::Refused(problems) => Ok(RegionSave::Refused { problems }),
                StagedEdit::Ready { files, event, change } => {
                    let (_, ack) = w.desk().journal().save_region_edit(base, &files, &event)?;
                    Ok(RegionSave::Saved { seq: ack.seq, file: change.file, row: change.row, change: change.change })
                }
            })
            .await?;
        if matches!(saved, RegionSave::Saved { .. }) {
            self.refresh_region().await?;
        }
        Ok(saved)
    }

    /// Lays the newest stored edits over this process's pack when they are newer than the
    /// region it routes on, and routes on that from the next call; returns what is stored.
    /// At start, when notified, and after a lost `LISTEN`.
    pub async fn refresh_region(&self) -> Result<StoredRegion, Error> {
        let _one = self.overlay.refreshing.lock().await;
        let stored = self.stored_region().await?;
        if stored.version <= self.journals.current().0 {
            return Ok(stored);
        }
        let (pack, work) = (self.overlay.pack.clone(), self.overlay.folder.path().join(format!("region-{}", stored.version)));
        let files = stored.files.clone();
        let region = tokio::task::spawn_blocking(move || overlay(&pack, &work, &files))
            .await
            .map_err(|e| Error::Storage(format!("laying the region edits over the pack: {e}")))??;
        // Everything in this process that reads the region takes it up: the handles (routing,
        // seats), the crews' position checks and the public tips page.
        self.field.install(&region);
        self.tips.install(&region);
        self.journals.install(stored.version, region);
        // No desk connected is not an error.
        let _ = self.regions.send(stored.version);
        Ok(stored)
    }
}

/// The routes above, for `openapi.rs`.
pub fn paths() -> serde_json::Value {
    let stored = serde_json::json!({ "type": "object", "description": "version (0: none saved), by, at_utc, files: [{name, text}] \
        (for each edited pack file, its whole text at the newest version that changed it)" });
    let save = serde_json::json!({ "type": "object", "description": "outcome: saved {seq, file, row, change} | refused {problems: \
        [{field, index, message, at, kind, params}]}" });
    serde_json::json!({
        "/api/region/editor": { "get": {
            "summary": "The stored region edits, for an administrator's region editor (lays them over its own pack)",
            "security": [{ "session": [] }],
            "responses": {
                "200": { "description": "the stored edits", "content": { "application/json": { "schema": stored.clone() } } },
                "403": { "description": "not an administrator" } } } },
        "/api/region/edits": {
            "get": {
                "summary": "The stored region edits, for a seat's map",
                "security": [{ "session": [] }],
                "parameters": [{ "name": "known", "in": "query", "required": false,
                    "description": "the version the seat has; files are left out when it is still the newest",
                    "schema": { "type": "integer" } }],
                "responses": { "200": { "description": "the stored edits", "content": { "application/json": { "schema": stored } } } } },
            "post": {
                "summary": "Saves an administrator's region edit (move or rename a place, a ferry timetable, a bridge or ferry route \
                    closed or reopened), checked with the real pack loader; every service process routes with it from then on",
                "security": [{ "session": [] }],
                "requestBody": { "required": true, "content": { "application/json": { "schema": { "type": "object",
                    "required": ["base_version", "edit"],
                    "properties": {
                        "base_version": { "type": "integer", "description": "the version the editor showed" },
                        "edit": { "type": "object", "description": "kind: move_place {place, lon, lat} | rename_place {place, \
                            name_zh, name_en} | set_timetable {route, from, day_type, departures} | set_link_status {link, closed, reason}" } } } } } },
                "responses": {
                    "200": { "description": "saved, or refused with the problems placed on the form's fields",
                        "content": { "application/json": { "schema": save } } },
                    "400": { "description": "a body that does not fit, naming the field" },
                    "403": { "description": "not an administrator" },
                    "404": { "description": "no such place, bridge or ferry route" },
                    "409": { "description": "region_edit_conflict: another administrator saved an edit after base_version (who, when)" } } } }
    })
}
