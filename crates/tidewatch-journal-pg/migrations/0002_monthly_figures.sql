-- The supervisor's monthly figures (monthly.rs) as last computed from the incidents read
-- model, one row per period asked for: a read model of the read model, so the report of a
-- month nobody has touched since is one row read instead of a month of incidents sorted.
-- `figures` is NULL while a computation is under way (`token` names it). Any change to an
-- incident received in either range deletes the row (the triggers below), so a row with
-- figures always holds the figures of the incidents as they are now; `audit verify`
-- recomputes every stored row from the incidents rebuilt from the events.
CREATE TABLE monthly_figures (
    from_utc        BIGINT NOT NULL,
    to_utc          BIGINT NOT NULL,
    before_from_utc BIGINT NOT NULL,
    before_to_utc   BIGINT NOT NULL,
    token           BIGINT NOT NULL,
    figures         JSONB,
    PRIMARY KEY (from_utc, to_utc, before_from_utc, before_to_utc)
);

-- Statement-level, with the changed rows as a transition table: one DELETE per statement,
-- whether it changed one incident (an append) or a million (an import).
CREATE FUNCTION monthly_figures_stale() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM monthly_figures f USING (SELECT DISTINCT received_utc FROM changed) c
    WHERE (c.received_utc >= f.from_utc AND c.received_utc < f.to_utc)
       OR (c.received_utc >= f.before_from_utc AND c.received_utc < f.before_to_utc);
    RETURN NULL;
END $$;
CREATE TRIGGER monthly_figures_inserted AFTER INSERT ON incidents
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION monthly_figures_stale();
CREATE TRIGGER monthly_figures_updated_to AFTER UPDATE ON incidents
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION monthly_figures_stale();
CREATE TRIGGER monthly_figures_updated_from AFTER UPDATE ON incidents
    REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION monthly_figures_stale();
CREATE TRIGGER monthly_figures_deleted AFTER DELETE ON incidents
    REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION monthly_figures_stale();

CREATE FUNCTION monthly_figures_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM monthly_figures;
    RETURN NULL;
END $$;
CREATE TRIGGER monthly_figures_truncated AFTER TRUNCATE ON incidents
    FOR EACH STATEMENT EXECUTE FUNCTION monthly_figures_truncated();
