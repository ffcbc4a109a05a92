-- The police boat carrying the incident's unit across (issue #16); NULL before.
ALTER TABLE incidents ADD COLUMN carrier_id TEXT;
