//! Patrol plans (issue #18): where the on-duty units wait in each tide window.
//!
//! - [`mclp`]: the maximal covering location model on HiGHS (any instance), its greedy
//!   start and LP bound.
//! - [`window`]: a span of the local day (`22:00-02:00`).
//! - [`demand`]: the window's calls as weighted demand points (journal history, islands'
//!   population).
//! - [`standby`]: the standby plan on a region pack: candidate sites, travel times from
//!   the route engine at the window's hours, before (at bases) and after, per island.
//! - [`synthetic`]: province-size random instances for the benchmark and the peer files.

pub mod demand;
pub mod mclp;
pub mod standby;
pub mod synthetic;
pub mod window;

pub use demand::{history_calls, DemandCall};
pub use mclp::{CoverOptions, CoverSolution, Coverage};
pub use standby::{plan, prepare, Prepared, StandbyParams, StandbyPlan, StandbyRequest};
pub use window::Window;
