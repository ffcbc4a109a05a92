//! Schema migrations, embedded and applied in order; `PRAGMA user_version` records the
//! last one applied.

use rusqlite::Connection;

/// Append new migrations at the end; never edit one that has shipped.
const MIGRATIONS: &[&str] = &[
    // 1: the journal and its projections.
    r#"
    CREATE TABLE events (
        seq          INTEGER PRIMARY KEY,
        incident_id  INTEGER,
        kind         TEXT    NOT NULL,
        at_utc       INTEGER NOT NULL,
        recorded_utc INTEGER NOT NULL,
        operator     TEXT    NOT NULL,
        unit_id      TEXT,
        payload      TEXT    NOT NULL,
        prev_hash    BLOB    NOT NULL,
        hash         BLOB    NOT NULL
    );
    CREATE INDEX events_incident ON events(incident_id) WHERE incident_id IS NOT NULL;
    CREATE INDEX events_kind_at ON events(kind, at_utc);
    CREATE TRIGGER events_no_update BEFORE UPDATE ON events
        BEGIN SELECT RAISE(ABORT, 'the journal is append-only: record a correction event instead'); END;
    CREATE TRIGGER events_no_delete BEFORE DELETE ON events
        BEGIN SELECT RAISE(ABORT, 'the journal is append-only: record a correction event instead'); END;

    -- One row per incident, derived from its events (rebuildable from the journal).
    CREATE TABLE incidents (
        id               INTEGER PRIMARY KEY,
        state            TEXT    NOT NULL,
        incident_type    TEXT    NOT NULL,
        priority         INTEGER NOT NULL,
        lon              REAL    NOT NULL,
        lat              REAL    NOT NULL,
        island           TEXT,
        node             TEXT,
        source           TEXT    NOT NULL,
        synthetic        INTEGER NOT NULL DEFAULT 0,
        received_utc     INTEGER NOT NULL,
        dispatched_utc   INTEGER,
        en_route_utc     INTEGER,
        on_scene_utc     INTEGER,
        closed_utc       INTEGER,
        unit_id          TEXT,
        recommended_unit TEXT,
        rank             INTEGER,
        eta_s            INTEGER,
        route_mode       TEXT,
        drive_s          INTEGER,
        ferry_wait_s     INTEGER,
        crossing_s       INTEGER,
        override_reason  TEXT,
        reassignments    INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX incidents_received ON incidents(received_utc);

    -- Latest known status of each unit (derived from unit_status events).
    CREATE TABLE unit_status (
        unit_id     TEXT PRIMARY KEY,
        status      TEXT    NOT NULL,
        position    TEXT    NOT NULL,
        incident_id INTEGER,
        since_utc   INTEGER NOT NULL
    );

    -- The four joint lines of work and citizen tips, one row per record event.
    CREATE TABLE joint_work (
        seq        INTEGER PRIMARY KEY REFERENCES events(seq),
        kind       TEXT    NOT NULL,
        at_utc     INTEGER NOT NULL,
        island     TEXT,
        vehicles_checked INTEGER NOT NULL DEFAULT 0,
        violations INTEGER NOT NULL DEFAULT 0,
        drunk_driving INTEGER NOT NULL DEFAULT 0,
        patrol_hours REAL NOT NULL DEFAULT 0,
        people_served INTEGER NOT NULL DEFAULT 0,
        tip_id     INTEGER,
        synthetic  INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX joint_work_at ON joint_work(kind, at_utc);
    "#,
    // 2: local accounts (argon2id PHC strings; creations are journaled as events).
    r#"
    CREATE TABLE accounts (
        username    TEXT PRIMARY KEY,
        role        TEXT    NOT NULL,
        password    TEXT    NOT NULL,
        created_utc INTEGER NOT NULL,
        disabled    INTEGER NOT NULL DEFAULT 0
    );
    "#,
    // 3: the police boat carrying the incident's unit across (issue #16); NULL before.
    r#"
    ALTER TABLE incidents ADD COLUMN carrier_id TEXT;
    "#,
];

pub fn apply(conn: &Connection) -> rusqlite::Result<()> {
    let current: usize = conn.query_row("PRAGMA user_version", [], |r| r.get::<_, i64>(0))? as usize;
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(current) {
        let tx = conn.unchecked_transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", (i + 1) as i64)?;
        tx.commit()?;
    }
    Ok(())
}

pub fn latest() -> usize {
    MIGRATIONS.len()
}
