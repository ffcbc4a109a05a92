//! The travel-time engine: roads, bridges, timetabled ferries and police boats.
//! See `engine.rs` for the method and `trip.rs` for the oracle that checks it.

mod carry;
mod conditions;
mod engine;
mod last_leg;
mod legs;
mod locate;
mod network;
pub mod synthetic;
mod trip;
mod walk;
mod way_back;

pub use carry::CarryTable;
pub use conditions::{boats_in_port, closed_links, ClosedBy, ClosedLink, Conditions, LinkKind, Passable};
pub use engine::{road_times_from, road_times_to, Engine, Ranked, UnitTable, Workspace};
pub use last_leg::{islands_without_vehicle, LastLegModel, DEFAULT_WALK_SPEED_KMH, WALK_FACTOR};
pub use legs::{legs_of, Leg, LegMode};
pub use locate::{locate, Location};
pub use network::{
    local_instant, BoatModel, FerryArc, Network, NetworkBuilder, Node, NodeIx, ServiceDays, DRIVE_IN, DRIVE_OUT, NO_BRIDGE,
    SERVICE_DAYS_AHEAD,
};
pub use trip::{fastest_carried_trip, fastest_trip, Carrier, Destination, Step, StepKind, Trip, UnitStart};
pub use walk::{walk_times_to, LastLeg};
pub use way_back::{carried_return, CarriedReturn, WayBack};
