//! The region editor (administrators): the pack's places, bridges and ferry routes, and
//! saving an edit so the desk routes with it at once.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::Workstation;
use crate::accounts::Action;
use crate::desk::DeskStore;
use tidewatch_core::region::edit::overlay::{changed_files, EditedFile};
use tidewatch_core::region::edit::{self, EditProblem, EditResult, RegionEdit, RowChange, Timetable};
use tidewatch_core::region::{Bridge, FerryRoute, Place, Region};
use tidewatch_core::route::Network;
use tidewatch_core::Error;
use tidewatch_journal::{EventBody, NewEvent};

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
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum RegionSave {
    Saved { seq: i64, file: String, row: String, change: String },
    Refused { problems: Vec<EditProblem> },
}

impl RegionEditorView {
    /// The editor's lists of `region`; `edited_copy`: whether it is an edited copy of the pack.
    pub fn of(region: &Region, edited_copy: bool) -> RegionEditorView {
        RegionEditorView {
            pack_dir: region.dir.display().to_string(),
            edited_copy,
            places: region.places.clone(),
            bridges: region.bridges.clone(),
            ferry_routes: region
                .ferry_routes
                .iter()
                .map(|r| FerryRouteTimetables { route: r.clone(), timetables: edit::timetables(region, &r.id.0) })
                .collect(),
        }
    }
}

/// An edit checked for a store that keeps the edited files itself (the command-centre
/// service, in PostgreSQL): refused with its problems, or the files it changes and the
/// `RegionEdited` event to write with them.
#[derive(Debug)]
pub enum StagedEdit {
    Refused(Vec<EditProblem>),
    Ready { files: Vec<EditedFile>, event: Box<NewEvent>, change: RowChange },
}

impl<S: DeskStore> Workstation<S> {
    pub fn region_editor(&mut self) -> Result<RegionEditorView, Error> {
        self.authorized(Action::EditRegion)?;
        let edited_copy = self.region_copy.as_ref().is_some_and(|c| *c == self.region().dir);
        Ok(RegionEditorView::of(self.region(), edited_copy))
    }

    /// Checks `change` as [`Workstation::edit_region`] does (the operator's role, the real
    /// loader on a staging copy under `scratch`'s folder) but writes nothing that lasts:
    /// `scratch` is removed again, the desk's region is unchanged and nothing is journaled.
    /// The caller stores the files with the event, then installs the region it loads.
    pub fn stage_region_edit(&mut self, at: DateTime<Utc>, change: &RegionEdit, scratch: &Path) -> Result<StagedEdit, Error> {
        let op = self.operator(Action::EditRegion)?;
        let date = at.with_timezone(&self.region().meta.time_zone).date_naive();
        let saved = edit::save(self.region(), scratch, change, &op, date);
        let staged = saved.and_then(|saved| match saved {
            EditResult::Refused(problems) => Ok(StagedEdit::Refused(problems)),
            EditResult::Saved { change, .. } => {
                let files = changed_files(&self.region().dir, scratch)?;
                let body = EventBody::RegionEdited { file: change.file.clone(), row: change.row.clone(), change: change.change.clone() };
                let event =
                    Box::new(NewEvent { incident_id: None, at_utc: at.timestamp(), recorded_utc: self.desk.now(), operator: op, body });
                Ok(StagedEdit::Ready { files, event, change })
            }
        });
        let _ = std::fs::remove_dir_all(scratch);
        staged
    }

    /// Routes on `region` from now on (an edit saved on another process or seat).
    pub fn install_region(&mut self, region: Region) {
        self.desk.net = Network::from_region(&region);
        self.desk.region = region;
    }
}

impl Workstation {
    /// Region edits are saved to `dir` (created on the first save, from the pack the desk
    /// runs on). The shell passes `<app data>/region`; the bundled pack is never written.
    pub fn with_region_copy(mut self, dir: PathBuf) -> Workstation {
        self.region_copy = Some(dir);
        self
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
                self.install_region(*region);
                Ok(RegionSave::Saved { seq: ack.seq, file: change.file, row: change.row, change: change.change })
            }
        }
    }
}
