//! The region editor on a seat (administrators), and the seat's map kept to the service's
//! region. The service stores the edits (the text of the pack files they changed); the seat
//! lays the newest over its own copy of the pack (`<data dir>/service-region`), as every
//! service process does, so its map, gazetteer and editor show what the service routes on.

use serde_json::json;
use tidewatch_core::region::edit::overlay::{overlay, EditedFile};
use tidewatch_core::region::edit::RegionEdit;
use tidewatch_core::Error;
use tidewatch_workstation::{RegionEditorView, RegionSave};

use crate::RemoteDesk;

/// The folder in the desk's app-data the service's edits are laid over the pack in.
pub const REGION_DIR: &str = "service-region";

/// The service's stored edits (`GET /api/region/edits`).
#[derive(serde::Deserialize)]
struct Stored {
    version: i64,
    files: Vec<EditedFile>,
}

impl RemoteDesk {
    /// Re-reads the service's region edits when there are newer ones than the seat's map
    /// shows; true when the region changed.
    pub(crate) fn remote_reread_region(&mut self) -> Result<bool, Error> {
        let stored: Stored = self.get(&format!("/api/region/edits?known={}", self.region_version))?;
        self.lay_over(stored)
    }

    pub(crate) fn remote_region_editor(&mut self) -> Result<RegionEditorView, Error> {
        let stored: Stored = self.get("/api/region/editor")?;
        self.lay_over(stored)?;
        Ok(RegionEditorView::of(&self.region, self.region_version > 0))
    }

    /// Saves the edit on the version the seat's editor shows; a colleague's newer save
    /// refuses it (`region_edit_conflict`, naming them) and the seat re-reads the region.
    pub(crate) fn remote_edit_region(&mut self, edit: &RegionEdit) -> Result<RegionSave, Error> {
        let body = json!({ "base_version": self.region_version, "edit": edit });
        let saved: Result<RegionSave, Error> = self.send("POST", "/api/region/edits", Some(body));
        match &saved {
            Ok(RegionSave::Saved { .. }) => {
                self.remote_reread_region()?;
            }
            Err(e) if e.kind() == "region_edit_conflict" => {
                // The refusal is what the operator must see; the re-read is for the next try.
                let _ = self.remote_reread_region();
            }
            _ => {}
        }
        saved
    }

    /// Lays `stored` over the pack when it is newer than what the seat has.
    fn lay_over(&mut self, stored: Stored) -> Result<bool, Error> {
        if stored.version == self.region_version {
            return Ok(false);
        }
        let work = self.config.data_dir.join(REGION_DIR);
        self.region = overlay(&self.pack, &work, &stored.files)?;
        self.region_version = stored.version;
        // The leader's what-if and reach view route on the edited region too (rebuilt when next asked).
        self.net = None;
        Ok(true)
    }
}
