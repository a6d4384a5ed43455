-- Audit of every access to personal information, permitted or denied (store/audit_repo.hpp).
-- Append-only and hash-chained: AuditRepo assigns ids 1, 2, 3... without gaps under the
-- audit_chain lock (BEGIN IMMEDIATE on SQLite) and hash = BLAKE2b(prev_hash || canonical row).
-- No foreign keys: the trail must outlive and never block on the rows it mentions.
CREATE TABLE audit_events (
    id              INTEGER PRIMARY KEY,
    at              TEXT NOT NULL,
    user_id         INTEGER,
    organisation_id INTEGER,
    person_id       INTEGER,
    action          TEXT NOT NULL,
    category        TEXT NOT NULL,
    purpose         TEXT NOT NULL,
    decision        TEXT NOT NULL CHECK (decision IN ('permit', 'permit_withheld', 'deny')),
    reason          TEXT NOT NULL,
    break_glass     INTEGER NOT NULL DEFAULT 0 CHECK (break_glass IN (0, 1)),
    request_id      TEXT NOT NULL DEFAULT '',
    prev_hash       TEXT NOT NULL,
    hash            TEXT NOT NULL UNIQUE
);
-- The family's "who accessed my file" report, a user's activity, break-the-glass review.
CREATE INDEX audit_events_person ON audit_events (person_id, id);
CREATE INDEX audit_events_user ON audit_events (user_id, id);
CREATE INDEX audit_events_break_glass ON audit_events (id) WHERE break_glass = 1;

CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
BEGIN
    SELECT RAISE(ABORT, 'audit_events is append-only');
END;
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
BEGIN
    SELECT RAISE(ABORT, 'audit_events is append-only');
END;
-- INSERT OR REPLACE deletes the row it replaces without firing delete triggers.
CREATE TRIGGER audit_events_no_replace BEFORE INSERT ON audit_events
WHEN EXISTS (SELECT 1 FROM audit_events WHERE id = NEW.id OR hash = NEW.hash)
BEGIN
    SELECT RAISE(ABORT, 'audit_events is append-only');
END;
