//! The supervisor's reports: response-time segments by any grouping, with percentiles
//! and target compliance, and the district KPIs. Read-only over the journal.

mod export;
mod kpi;
mod response;
mod stats;

pub use export::{write_csv, write_xlsx};
pub use kpi::{kpis, Kpis, TypeChange};
pub use response::{response_report, GroupBy, GroupRow, ResponseReport, Segment};
pub use stats::{percentile, Stats};
