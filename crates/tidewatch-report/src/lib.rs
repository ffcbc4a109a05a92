//! The supervisor's reports: response-time segments by any grouping, with percentiles
//! and target compliance, and the district KPIs. Read-only over the journal.

mod dashboard;
mod export;
mod kpi;
mod plan_exec;
mod response;
mod stats;

pub use dashboard::{dashboard, default_period, histogram, Dashboard, HeatCell, Histogram, Label, Labels, OverrideView, ScopeView};
pub use export::{both, head_line, write_csv, write_xlsx, xlsx_bytes};
pub use kpi::{kpis, kpis_in, GroupChange, Kpis, TypeChange};
pub use plan_exec::{execution_of, plan_execution, PlanExecution};
pub use response::{group_incidents, response_report, response_report_in, GroupBy, GroupRow, ResponseReport, Segment};
pub use stats::{percentile, Stats};
pub use tidewatch_journal::Scope;
