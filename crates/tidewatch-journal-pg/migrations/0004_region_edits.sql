-- Region pack edits made on the command-centre service (issue #13). Each version is one
-- saved edit (journaled as the event `seq`, in the same transaction) and holds the whole
-- text of the pack files that edit changed; a process lays, per file, the newest version's
-- text over its own pack. Versions count 1, 2, ... with no gaps: an edit is saved only on
-- top of the version its editor showed.
CREATE TABLE region_edits (
    version BIGINT PRIMARY KEY CHECK (version > 0),
    seq BIGINT NOT NULL REFERENCES events (seq),
    operator TEXT NOT NULL,
    at_utc BIGINT NOT NULL
);

CREATE TABLE region_edit_files (
    version BIGINT NOT NULL REFERENCES region_edits (version),
    file TEXT NOT NULL,
    text TEXT NOT NULL,
    PRIMARY KEY (version, file)
);
