//! The region editor (administrators): the pack's places, bridges and ferry routes, and
//! saving an edit so the desk routes with it at once.

use std::path::PathBuf;

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::Workstation;
use crate::accounts::Action;
use tidewatch_core::region::edit::{self, EditProblem, EditResult, RegionEdit, Timetable};
use tidewatch_core::region::{Bridge, FerryRoute, Place};
use tidewatch_core::route::Network;
use tidewatch_core::Error;
use tidewatch_journal::EventBody;

/// What the editor lists.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct RegionEditorView {
    /// The pack folder the desk runs on.
    pub pack_dir: String,
    /// Whether that is the desk's own edited copy (else the first save makes one).
    pub edited_copy: bool,
    pub places: Vec<Place>,
    pub bridges: Vec<Bridge>,
    pub ferry_routes: Vec<FerryRouteTimetables>,
}

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct FerryRouteTimetables {
    #[serde(flatten)]
    pub route: FerryRoute,
    pub timetables: Vec<Timetable>,
}

/// A save: either done (journaled as `seq`) or refused with problems placed on the form.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum RegionSave {
    Saved { seq: i64, file: String, row: String, change: String },
    Refused { problems: Vec<EditProblem> },
}

impl Workstation {
    /// Region edits are saved to `dir` (created on the first save, from the pack the desk
    /// runs on). The shell passes `<app data>/region`; the bundled pack is never written.
    pub fn with_region_copy(mut self, dir: PathBuf) -> Workstation {
        self.region_copy = Some(dir);
        self
    }

    pub fn region_editor(&mut self) -> Result<RegionEditorView, Error> {
        self.authorized(Action::EditRegion)?;
        let region = self.region();
        Ok(RegionEditorView {
            pack_dir: region.dir.display().to_string(),
            edited_copy: self.region_copy.as_ref().is_some_and(|c| *c == region.dir),
            places: region.places.clone(),
            bridges: region.bridges.clone(),
            ferry_routes: region
                .ferry_routes
                .iter()
                .map(|r| FerryRouteTimetables { route: r.clone(), timetables: edit::timetables(region, &r.id.0) })
                .collect(),
        })
    }

    /// Saves one edit: validated with the real loader on a staging copy, swapped in only
    /// when clean, journaled, and the desk's region and network rebuilt from it so the next
    /// recommendation uses it.
    pub fn edit_region(&mut self, at: DateTime<Utc>, change: &RegionEdit) -> Result<RegionSave, Error> {
        let op = self.operator(Action::EditRegion)?;
        let copy = self
            .region_copy
            .clone()
            .ok_or_else(|| Error::invalid("region", "this desk has no folder for an edited copy of the region pack"))?;
        let date = at.with_timezone(&self.region().meta.time_zone).date_naive();
        match edit::save(self.region(), &copy, change, &op, date)? {
            EditResult::Refused(problems) => Ok(RegionSave::Refused { problems }),
            EditResult::Saved { region, change } => {
                let now = self.desk.now();
                let body = EventBody::RegionEdited { file: change.file.clone(), row: change.row.clone(), change: change.change.clone() };
                let ack = self.desk.journal_mut().append(None, at.timestamp(), now, &op, &body)?;
                self.desk.net = Network::from_region(&region);
                self.desk.region = *region;
                Ok(RegionSave::Saved { seq: ack.seq, file: change.file, row: change.row, change: change.change })
            }
        }
    }
}
