-- The journal on PostgreSQL: the same events and hash chain as the SQLite journal
-- (src/store/migrations.rs), and the read models derived from them.

-- seq is set by the appender under the chain's advisory lock (head + 1), never by a
-- SERIAL/IDENTITY: a sequence leaves gaps on rollback and hands out numbers that commit
-- out of order, so a reader catching up by seq would skip a late commit. The primary key
-- is the UNIQUE(seq) backstop should two appenders ever bypass the lock.
CREATE TABLE events (
    seq          BIGINT  PRIMARY KEY CHECK (seq >= 1),
    incident_id  BIGINT,
    kind         TEXT    NOT NULL,
    at_utc       BIGINT  NOT NULL,
    recorded_utc BIGINT  NOT NULL,
    operator     TEXT    NOT NULL,
    unit_id      TEXT,
    payload      TEXT    NOT NULL,
    prev_hash    BYTEA   NOT NULL CHECK (octet_length(prev_hash) = 32),
    hash         BYTEA   NOT NULL CHECK (octet_length(hash) = 32)
);
CREATE INDEX events_incident ON events(incident_id) WHERE incident_id IS NOT NULL;
CREATE INDEX events_kind_at ON events(kind, at_utc);
CREATE INDEX events_at ON events(at_utc);

CREATE FUNCTION events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the journal is append-only: record a correction event instead';
END $$;
CREATE TRIGGER events_no_update BEFORE UPDATE OR DELETE ON events
    FOR EACH ROW EXECUTE FUNCTION events_append_only();
CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON events
    FOR EACH STATEMENT EXECUTE FUNCTION events_append_only();

-- One row per incident, derived from its events (rebuildable from the journal).
CREATE TABLE incidents (
    id               BIGINT  PRIMARY KEY,
    state            TEXT    NOT NULL,
    incident_type    TEXT    NOT NULL,
    priority         INTEGER NOT NULL,
    lon              DOUBLE PRECISION NOT NULL,
    lat              DOUBLE PRECISION NOT NULL,
    island           TEXT,
    node             TEXT,
    source           TEXT    NOT NULL,
    synthetic        BOOLEAN NOT NULL DEFAULT FALSE,
    received_utc     BIGINT  NOT NULL,
    dispatched_utc   BIGINT,
    en_route_utc     BIGINT,
    on_scene_utc     BIGINT,
    closed_utc       BIGINT,
    unit_id          TEXT,
    recommended_unit TEXT,
    rank             BIGINT,
    eta_s            BIGINT,
    route_mode       TEXT,
    drive_s          BIGINT,
    ferry_wait_s     BIGINT,
    crossing_s       BIGINT,
    override_reason  TEXT,
    reassignments    INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX incidents_received ON incidents(received_utc);

-- Latest known status of each unit.
CREATE TABLE unit_status (
    unit_id     TEXT PRIMARY KEY,
    status      TEXT    NOT NULL,
    position    TEXT    NOT NULL,
    incident_id BIGINT,
    since_utc   BIGINT  NOT NULL
);

-- The four joint lines of work and citizen tips, one row per record event.
CREATE TABLE joint_work (
    seq              BIGINT PRIMARY KEY REFERENCES events(seq),
    kind             TEXT    NOT NULL,
    at_utc           BIGINT  NOT NULL,
    island           TEXT,
    vehicles_checked BIGINT  NOT NULL DEFAULT 0,
    violations       BIGINT  NOT NULL DEFAULT 0,
    drunk_driving    BIGINT  NOT NULL DEFAULT 0,
    patrol_hours     DOUBLE PRECISION NOT NULL DEFAULT 0,
    people_served    BIGINT  NOT NULL DEFAULT 0,
    tip_id           BIGINT,
    synthetic        BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX joint_work_at ON joint_work(kind, at_utc);

-- Local accounts (argon2id PHC strings; creations are journaled as events).
CREATE TABLE accounts (
    username    TEXT PRIMARY KEY,
    role        TEXT    NOT NULL,
    password    TEXT    NOT NULL,
    created_utc BIGINT  NOT NULL,
    disabled    BOOLEAN NOT NULL DEFAULT FALSE
);
