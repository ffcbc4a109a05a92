//! The UI's IPC types are generated from the core's Rust types with ts-rs into
//! `ui/src/ipc/bindings.ts`. This test fails when that file drifts from the Rust types;
//! `UPDATE_BINDINGS=1 cargo test --release -p tidewatch --test ts_bindings` rewrites it.

use std::path::Path;

use ts_rs::TS;

macro_rules! decls {
    ($($t:ty),* $(,)?) => {
        vec![$((<$t as TS>::ident(), <$t as TS>::decl())),*]
    };
}

fn generated() -> String {
    use tidewatch_core::{dispatch, ids, map, region, route};
    use tidewatch_journal as store;
    use tidewatch_plan::{roster, sim};
    use tidewatch_report as report;
    use tidewatch_workstation as workstation;
    use tidewatch_workstation::{accounts, desk};
    let mut decls = decls![
        accounts::Role,
        accounts::Session,
        workstation::SignIn,
        workstation::ServiceSeat,
        dispatch::Recommendation,
        dispatch::Candidate,
        dispatch::CarriedBy,
        dispatch::StartFrom,
        dispatch::StartBasis,
        dispatch::IgnoredFix,
        dispatch::FixUsed,
        dispatch::FixSource,
        dispatch::Excluded,
        dispatch::Warning,
        dispatch::WarningKind,
        dispatch::EstimatedData,
        dispatch::WarningParams,
        dispatch::Board,
        dispatch::BoardIncident,
        dispatch::IncidentState,
        dispatch::BoardUnit,
        dispatch::PlannedTask,
        dispatch::PlannedKind,
        dispatch::TimerLevel,
        dispatch::BoardMode,
        dispatch::Limits,
        dispatch::ModeThresholds,
        dispatch::ModeTable,
        dispatch::Thresholds,
        workstation::BoardThresholdsView,
        dispatch::UnitStatus,
        desk::PublishedRoster,
        desk::PublishedPatrol,
        desk::CheckpointResultInput,
        route::Location,
        route::Leg,
        route::LegMode,
        route::Conditions,
        route::ClosedBy,
        route::ClosedLink,
        route::LinkKind,
        workstation::ConditionsView,
        workstation::PreviewQuery,
        workstation::ReassignOption,
        region::RouteMode,
        region::UnitKind,
        region::IncidentType,
        region::BoatFallback,
        region::Responder,
        region::ResponderTask,
        region::Place,
        region::PlaceKind,
        region::Confidence,
        region::Provenance,
        region::VesselClass,
        region::Bounds,
        store::Event,
        store::EventBody,
        store::CrewActionKind,
        store::PhotoRecord,
        store::CallSource,
        store::PoliceLine,
        store::TipRecord,
        store::PatrolPlanRecord,
        store::OperationRecord,
        store::VisitListRecord,
        store::StopRecord,
        store::StandbyRecord,
        store::DispatchPlan,
        store::StartRecord,
        store::FixRecord,
        store::UnitStatusRecord,
        store::RouteModeRecord,
        store::ThresholdsRecord,
        store::records::LimitsRecord,
        store::records::ModeTableRecord,
        store::records::ModeRecord,
        store::Ack,
        store::AccountRow,
        sim::SimReport,
        sim::SimRow,
        sim::Scenario,
        sim::ScenarioSetup,
        sim::SimModel,
        sim::SimIncident,
        sim::islands::IslandPeriod,
        sim::islands::IslandPeriodRow,
        sim::islands::ShareBand,
        report::Stats,
        roster::demand::Season,
        roster::demand::FloorPolicy,
        roster::DemandNotes,
        roster::model::HourNeed,
        roster::model::HourDemand,
        roster::model::IslandDemand,
        roster::model::DayInfo,
        roster::model::Assignment,
        roster::model::SkillSet,
        roster::model::ShiftRequest,
        roster::model::RequestKind,
        roster::model::SolveInfo,
        roster::model::PartSolve,
        roster::RosterOfficer,
        roster::ShiftTemplate,
        roster::Roster,
        roster::Period,
        roster::LabourRules,
        roster::Weights,
        roster::PlanProgress,
        roster::mip::MipProgress,
        roster::mip::MipStatus,
        roster::job::PlanStatus,
        roster::report::Coverage,
        roster::report::Fairness,
        roster::report::IslandReport,
        roster::report::OfficerReport,
        roster::report::PartFigure,
        roster::report::Shape,
        roster::report::HourCover,
        roster::report::IslandHours,
        roster::Report,
        roster::Violation,
        workstation::leader::DemandRequest,
        workstation::leader::PlanRequest,
        workstation::leader::DemandView,
        workstation::leader::PlanState,
        workstation::leader::RosterSummary,
        workstation::leader::RosterView,
        workstation::leader::ExportedFiles,
        workstation::leader::WhatIfRequest,
        workstation::leader::WhatIfSide,
        workstation::leader::WhatIf,
        workstation::leader::ReachRequest,
        dispatch::IslandReach,
        dispatch::ReachMode,
        dispatch::ReachBand,
        dispatch::ReachChange,
        dispatch::UnitMove,
        workstation::leader::ReachSide,
        workstation::leader::ReachCompareRequest,
        workstation::leader::ReachComparison,
        workstation::ReportQuery,
        workstation::ReportFormat,
        workstation::ExportedFile,
        report::GroupRow,
        report::Histogram,
        report::HeatCell,
        report::OverrideView,
        report::Label,
        report::Labels,
        report::ScopeView,
        report::Dashboard,
        report::TypeChange,
        report::GroupChange,
        report::Kpis,
        report::PlanExecution,
        store::JointWorkTotals,
        store::DispatchOverride,
        store::IncidentSpan,
        store::AuditReport,
        store::ChainHead,
        region::Target,
        tidewatch_core::time::Seconds,
        map::MapView,
        map::RegionHeader,
        map::MapPlace,
        map::MapRoad,
        map::MapLink,
        map::MapFerry,
        map::MapUnit,
        ids::IncidentId,
        ids::IslandId,
        ids::PlaceId,
        ids::UnitId,
        ids::IncidentTypeId,
        ids::OfficerId,
        accounts::DeskSession,
        accounts::RefusedSignIn,
        store::SignOutReason,
        store::SignInFailure,
        ids::BridgeId,
        ids::FerryRouteId,
        region::Bridge,
        region::FerryRoute,
        region::LinkStatus,
        region::edit::RegionEdit,
        region::edit::EditProblem,
        region::edit::Timetable,
        workstation::RegionEditorView,
        workstation::FerryRouteTimetables,
        workstation::RegionSave,
        workstation::tips::QueuedTip,
        workstation::tips::TipStep,
        workstation::tips::TipIncident,
        workstation::tips::TipPhoto,
        workstation::tips::TipFigures,
        workstation::tips::TipKpis,
        workstation::MapFix,
        workstation::Track,
        workstation::TrackPoint,
        workstation::TrackIncident,
    ];
    decls.sort();
    let mut out = String::from(
        "// Generated from the Rust core by ts-rs (tests/ts_bindings.rs); do not edit. After changing\n\
         // a type: UPDATE_BINDINGS=1 cargo test --release -p tidewatch --test ts_bindings\n\n",
    );
    for (_, decl) in decls {
        out.push_str("export ");
        // 64-bit integers (unix seconds, journal sequence numbers, counts) travel as JSON
        // numbers and stay far below 2^53: a JS number, not ts-rs's default bigint.
        out.push_str(&decl.replace("bigint", "number"));
        out.push_str("\n\n");
    }
    out.truncate(out.trim_end().len());
    out.push('\n');
    out
}

#[test]
fn ui_bindings_match_the_rust_types() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("ui/src/ipc/bindings.ts");
    let want = generated();
    if std::env::var_os("UPDATE_BINDINGS").is_some() {
        std::fs::write(&path, &want).expect("write bindings");
        return;
    }
    let have = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        have == want,
        "{} is out of date with the Rust types: run UPDATE_BINDINGS=1 cargo test --release -p tidewatch --test ts_bindings",
        path.display()
    );
}
