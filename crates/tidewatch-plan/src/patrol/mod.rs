//! Patrol plans (issue #18): where the on-duty units wait in each tide window.
//!
//! - [`mclp`]: the maximal covering location model on HiGHS (any instance), its greedy
//!   start and LP bound.
//! - [`window`]: a span of the local day (`22:00-02:00`).
//! - [`demand`]: the window's calls as weighted demand points (journal history, islands'
//!   population).
//! - [`standby`]: the standby plan on a region pack: candidate sites, travel times from
//!   the route engine at the window's hours, before (at bases) and after, per island.
//! - [`checkpoint`]: the weekly plan of checkpoints and surprise raids (a seeded greedy),
//!   re-verified rule by rule by [`checkpoint_check`].
//! - [`visit`]: randomised visit lists per team and shift across the hot spots (seeded).
//! - [`publish`]: the plan in the journal's terms (`patrol_planned`) and its audit (visit
//!   lists re-created from the journaled seeds).
//! - [`card`]: printable patrol cards per team and shift (PDF, A4 and phone-sized).
//! - [`synthetic`]: province-size random instances for the benchmark and the peer files.

pub mod card;
pub mod checkpoint;
pub mod checkpoint_check;
pub mod demand;
mod lagrange;
pub mod mclp;
pub mod publish;
mod reduced;
pub mod standby;
pub mod synthetic;
pub mod visit;
pub mod window;

pub use demand::{history_calls, DemandCall};
pub use mclp::{CoverOptions, CoverSolution, Coverage};
pub use standby::{plan, prepare, Prepared, StandbyParams, StandbyPlan, StandbyRequest};
pub use window::Window;
