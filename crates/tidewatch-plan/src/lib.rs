//! The leader's planning: demand from the journal's history, the tidal duty roster
//! (HiGHS MIP with large-neighbourhood search), its checks and exports, and the what-if
//! replay of a roster against calls and scenarios.

pub mod patrol;
pub mod print;
pub mod roster;
pub mod sim;
