//! Community responders on the incident's island (issue #16): shown first, to be called,
//! when no police unit can arrive within the priority's target. Never a police arrival:
//! they are not candidates and nothing is sent.

use super::*;
use crate::region::Responder;

/// The island's responders when no candidate (a carried crew included) is within target.
pub(super) fn to_call(region: &Region, location: &Location, candidates: &[Candidate]) -> Vec<Responder> {
    let Some(island) = location.island.as_deref() else { return Vec::new() };
    if candidates.iter().any(|c| c.target_s.is_some_and(|t| c.eta_s <= t)) {
        return Vec::new();
    }
    region.responders.iter().filter(|r| r.island == island).cloned().collect()
}
