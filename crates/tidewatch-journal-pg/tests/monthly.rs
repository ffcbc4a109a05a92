//! The stored monthly figures (`monthly_figures`, migration 0002): the report of a period is
//! what the incidents give now, a change to an incident of the period drops what was stored,
//! and `audit verify` catches stored figures edited by hand (needs TIDEWATCH_PG_URL).

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use tidewatch_core::ids::IncidentId;
use tidewatch_journal::{CallSource, DispatchPlan, EventBody, JournalStore, NewEvent};
use tidewatch_journal_pg::{Period, PgJournal};

/// June 2026 and June 2025 (UTC), and a day in August 2026.
const JUNE: (i64, i64) = (1_780_272_000, 1_782_864_000);
const JUNE_BEFORE: (i64, i64) = (1_748_736_000, 1_751_328_000);
const AUGUST: i64 = 1_785_628_800;
const PERIOD: Period = Period { from: JUNE.0, to: JUNE.1, before_from: JUNE_BEFORE.0, before_to: JUNE_BEFORE.1 };

fn ev(incident: i64, at: i64, body: EventBody) -> NewEvent {
    NewEvent { incident_id: Some(IncidentId(incident)), at_utc: at, recorded_utc: at, operator: "op.wang".into(), body }
}

fn received(id: i64, at: i64, kind: &str, island: &str) -> NewEvent {
    let body = EventBody::Received {
        incident_type: kind.into(),
        priority: 2,
        lon: 122.1,
        lat: 30.0,
        island: Some(island.into()),
        node: None,
        source: CallSource::Phone,
        text: String::new(),
        synthetic: false,
    };
    ev(id, at, body)
}

fn dispatched(id: i64, at: i64, unit: &str) -> NewEvent {
    let plan = DispatchPlan {
        recommended_unit: Some(unit.into()),
        rank: Some(1),
        eta_s: Some(600),
        route_mode: None,
        drive_s: 300,
        ferry_wait_s: 0,
        crossing_s: 0,
        from: None,
        recommended_carrier: None,
    };
    ev(id, at, EventBody::Dispatched { unit: unit.into(), plan, override_reason: None, carrier: None })
}

/// Rows of the stored table holding figures.
fn stored_periods(url: &str, schema: &str) -> i64 {
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    rt.block_on(async {
        let options = url.parse::<PgConnectOptions>().unwrap().options([("search_path", schema)]);
        let pool = PgPoolOptions::new().max_connections(1).connect_with(options).await.unwrap();
        let n: i64 = sqlx::query_scalar("SELECT count(*) FROM monthly_figures WHERE figures IS NOT NULL").fetch_one(&pool).await.unwrap();
        pool.close().await;
        n
    })
}

fn edit_stored(url: &str, schema: &str) {
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    rt.block_on(async {
        let options = url.parse::<PgConnectOptions>().unwrap().options([("search_path", schema)]);
        let pool = PgPoolOptions::new().max_connections(1).connect_with(options).await.unwrap();
        let sql = "UPDATE monthly_figures SET figures = jsonb_set(figures, '{0,incidents}', '99')";
        assert_eq!(sqlx::query(sql).execute(&pool).await.unwrap().rows_affected(), 1);
        pool.close().await;
    });
}

#[test]
fn stored_monthly_figures_follow_the_incidents_and_are_audited() {
    let Ok(url) = std::env::var("TIDEWATCH_PG_URL") else {
        eprintln!("\n*** SKIPPED: TIDEWATCH_PG_URL is not set, so the stored monthly figures were NOT tested (`make test-pg`).\n");
        return;
    };
    let schema = format!("monthly_{}", std::process::id());
    let mut pg = PgJournal::connect_in_schema(&url, &schema).unwrap();
    let day = 86_400;
    pg.append_batch(&[
        received(1, JUNE.0 + day, "theft", "zhoushan"),
        dispatched(1, JUNE.0 + day + 60, "P1"),
        ev(1, JUNE.0 + day + 700, EventBody::OnScene { unit: "P1".into() }),
        received(2, JUNE.0 + 2 * day, "fire", "daishan"),
        received(3, JUNE_BEFORE.0 + day, "theft", "daishan"),
        received(4, AUGUST, "theft", "zhoushan"),
    ])
    .unwrap();

    let first = pg.monthly_figures(PERIOD).unwrap();
    assert_eq!(first, pg.compute_monthly_figures(PERIOD).unwrap());
    let all = first.iter().find(|r| r.scope == "all").unwrap();
    assert_eq!((all.incidents, all.responded, all.response_p50_s), (2, 1, Some(700)));
    assert_eq!(stored_periods(&url, &schema), 1, "the period's figures are kept");
    assert_eq!(pg.monthly_figures(PERIOD).unwrap(), first, "and read back as they were");

    // An incident of another month leaves them; one of the month, or of the year before, drops them.
    pg.append(&dispatched(4, AUGUST + 30, "P2")).unwrap();
    assert_eq!(stored_periods(&url, &schema), 1);
    pg.append(&dispatched(2, JUNE.0 + 2 * day + 45, "P3")).unwrap();
    assert_eq!(stored_periods(&url, &schema), 0, "a dispatch in June drops June's figures");
    let second = pg.monthly_figures(PERIOD).unwrap();
    assert_ne!(second, first);
    assert_eq!(second, pg.compute_monthly_figures(PERIOD).unwrap());
    pg.append(&received(5, JUNE_BEFORE.0 + 3 * day, "fire", "zhoushan")).unwrap();
    assert_eq!(stored_periods(&url, &schema), 0, "an incident of the year before drops them too");
    let third = pg.monthly_figures(PERIOD).unwrap();
    assert!(third.iter().any(|r| r.scope == "type_year_before" && r.incident_type == "fire"));

    assert!(pg.verify().unwrap().ok, "stored figures that the events give pass the audit");
    edit_stored(&url, &schema);
    let report = pg.verify().unwrap();
    assert!(!report.ok);
    assert!(report.problem.as_deref().unwrap_or_default().contains("monthly_figures"), "{:?}", report.problem);
}
