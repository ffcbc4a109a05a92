//! Region edits kept apart from the pack: the command-centre service stores the text of
//! the files its administrators' edits changed (in PostgreSQL), and every process, and
//! every seat's map, lays the newest of them over its own copy of the pack and loads that.
//! The pack folder itself is never written.

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::{copy_dir, sibling, swap_in};
use crate::region::Region;
use crate::Error;

/// The pack files an edit may change ([`super::save`] writes no others).
pub const EDITABLE_FILES: [&str; 5] = ["places.csv", "roads.csv", "sailings.csv", "bridges.csv", "ferry_routes.csv"];

/// The whole text of one edited pack file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EditedFile {
    /// One of [`EDITABLE_FILES`].
    pub name: String,
    pub text: String,
}

/// The editable files whose text in `after` differs from `before`'s (a missing file counts
/// as empty).
pub fn changed_files(before: &Path, after: &Path) -> Result<Vec<EditedFile>, Error> {
    let read = |dir: &Path, name: &str| match std::fs::read_to_string(dir.join(name)) {
        Ok(text) => Ok(text),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(String::new()),
        Err(e) => Err(Error::Io(e)),
    };
    let mut changed = Vec::new();
    for name in EDITABLE_FILES {
        let text = read(after, name)?;
        if text != read(before, name)? {
            changed.push(EditedFile { name: name.to_string(), text });
        }
    }
    Ok(changed)
}

/// Copies the pack at `pack` to `work` (replacing what was there), writes `files` over the
/// copy and loads it: the region as the edits made it, its `dir` being `work`. `work` is
/// swapped in whole, and only once the copy loads, so a region already loaded from it
/// stays consistent with its files.
pub fn overlay(pack: &Path, work: &Path, files: &[EditedFile]) -> Result<Region, Error> {
    if let Some(bad) = files.iter().find(|f| !EDITABLE_FILES.contains(&f.name.as_str())) {
        return Err(Error::invalid("file", format!("'{}' is not a pack file the region editor changes", bad.name)));
    }
    let staging = sibling(work, "overlay")?;
    let loaded = copy_dir(pack, &staging).and_then(|()| {
        for f in files {
            std::fs::write(staging.join(&f.name), &f.text)?;
        }
        Ok(Region::load(&staging)?)
    });
    let outcome = loaded.and_then(|mut region| {
        swap_in(&staging, work)?;
        region.dir = work.to_path_buf();
        Ok(region)
    });
    let _ = std::fs::remove_dir_all(&staging);
    outcome
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pack() -> std::path::PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/regions/dinghai")
    }

    #[test]
    fn the_edited_text_is_what_loads_and_the_pack_is_untouched() {
        let tmp = tempfile::tempdir().unwrap();
        let before = std::fs::read_to_string(pack().join("bridges.csv")).unwrap();
        let region = Region::load(&pack()).unwrap();
        let bridge = region.bridges.iter().find(|b| !b.status.is_closed()).expect("an open bridge").id.0.clone();
        let user_copy = tmp.path().join("edited");
        let edit = super::super::RegionEdit::SetLinkStatus { link: bridge.clone(), closed: true, reason: "works".into() };
        let date = chrono::NaiveDate::from_ymd_opt(2026, 7, 1).unwrap();
        let super::super::EditResult::Saved { .. } = super::super::save(&region, &user_copy, &edit, "admin", date).unwrap() else {
            panic!("refused")
        };
        let files = changed_files(&pack(), &user_copy).unwrap();
        assert_eq!(files.iter().map(|f| f.name.as_str()).collect::<Vec<_>>(), ["bridges.csv"]);

        let work = tmp.path().join("work");
        let loaded = overlay(&pack(), &work, &files).unwrap();
        assert_eq!(loaded.dir, work);
        let closed = &loaded.bridges.iter().find(|b| b.id.0 == bridge).unwrap().status;
        assert_eq!(*closed, crate::region::LinkStatus::Closed { reason: "works".into() });
        assert_eq!(std::fs::read_to_string(pack().join("bridges.csv")).unwrap(), before);
    }

    #[test]
    fn a_file_the_editor_never_writes_is_refused_naming_the_field() {
        let tmp = tempfile::tempdir().unwrap();
        let files = [EditedFile { name: "../meta.toml".into(), text: String::new() }];
        let e = overlay(&pack(), &tmp.path().join("work"), &files).unwrap_err();
        assert!(matches!(e, Error::InvalidInput { ref field, .. } if field == "file"), "{e}");
    }

    #[test]
    fn text_that_does_not_load_leaves_the_work_copy_as_it_was() {
        let tmp = tempfile::tempdir().unwrap();
        let work = tmp.path().join("work");
        overlay(&pack(), &work, &[]).unwrap();
        let bad = [EditedFile { name: "places.csv".into(), text: "id,name\nx,y\n".into() }];
        assert!(overlay(&pack(), &work, &bad).is_err());
        assert_eq!(std::fs::read_to_string(work.join("places.csv")).unwrap(), std::fs::read_to_string(pack().join("places.csv")).unwrap());
    }
}
