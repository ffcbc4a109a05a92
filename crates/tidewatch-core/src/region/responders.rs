//! `responders.csv` (optional, issue #16): people on an island a dispatcher may call when
//! no police unit can arrive within target — village officials (村社综治干部), safety
//! volunteers (平安志愿者) and the like. They may look, calm and give first aid; they are
//! never counted as a police arrival.

use std::collections::HashMap;
use std::path::Path;

use serde::Serialize;

use super::csv_rows::CsvFile;
use super::model::Provenance;
use crate::error::pack::ErrorSink;
use crate::ids::IslandId;

pub const RESPONDERS: &str = "responders.csv";

/// What a community responder may do before the police arrive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum ResponderTask {
    /// Go and look, and report what they see.
    Look,
    /// Calm the people there.
    Calm,
    FirstAid,
}

impl ResponderTask {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "look" => Some(ResponderTask::Look),
            "calm" => Some(ResponderTask::Calm),
            "first_aid" => Some(ResponderTask::FirstAid),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Serialize, serde::Deserialize, ts_rs::TS)]
pub struct Responder {
    pub id: String,
    pub island: String,
    /// A name, or a role where the pack keeps no names ("大猫岛村综治干部").
    pub name: String,
    pub role: String,
    pub phone: String,
    pub may: Vec<ResponderTask>,
    #[serde(skip)]
    #[ts(skip)]
    pub provenance: Option<Provenance>,
}

/// The pack's responders; none when the file is absent (it is optional).
pub(super) fn read_responders(dir: &Path, islands: &HashMap<IslandId, usize>, sink: &mut ErrorSink) -> Vec<Responder> {
    if !dir.join(RESPONDERS).exists() {
        return Vec::new();
    }
    let cols = ["id", "island", "name", "role", "phone", "may", "source", "confidence"];
    let Some(file) = CsvFile::read(dir, RESPONDERS, &cols, sink) else {
        return Vec::new();
    };
    let mut out: Vec<Responder> = Vec::new();
    for row in file.rows() {
        let (id, island, phone, provenance) =
            (row.id(sink, "id"), row.required(sink, "island"), row.required(sink, "phone"), row.provenance(sink));
        let may: Result<Vec<ResponderTask>, &str> =
            row.text("may").split(';').map(str::trim).filter(|s| !s.is_empty()).map(|s| ResponderTask::parse(s).ok_or(s)).collect();
        let may = match may {
            Ok(m) if !m.is_empty() => Some(m),
            Ok(_) => {
                row.error(sink, "may", "may is empty: say what they may do (look, calm, first_aid)".into());
                None
            }
            Err(bad) => {
                row.error(sink, "may", format!("'{bad}' is not one of look, calm, first_aid"));
                None
            }
        };
        let (Some(id), Some(island), Some(phone), Some(may), Some(provenance)) = (id, island, phone, may, provenance) else { continue };
        if out.iter().any(|r| r.id == id) {
            row.error(sink, "id", format!("duplicate id '{id}'"));
            continue;
        }
        if !islands.contains_key(&IslandId(island.clone())) {
            row.error(sink, "island", format!("island '{island}' is not in islands.geojson"));
            continue;
        }
        let name = row.text("name").to_string();
        let role = row.text("role").to_string();
        if name.is_empty() && role.is_empty() {
            row.error(sink, "name", "a responder needs a name or a role".into());
            continue;
        }
        out.push(Responder { id, island, name, role, phone, may, provenance: Some(provenance) });
    }
    out
}
