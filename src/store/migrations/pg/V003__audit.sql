-- Audit of every access to personal information, permitted or denied (store/audit_repo.hpp).
-- Append-only and hash-chained: AuditRepo assigns ids 1, 2, 3... without gaps under the
-- audit_chain lock (a transaction advisory lock) and hash = BLAKE2b(prev_hash || canonical row).
-- No foreign keys: the trail must outlive and never block on the rows it mentions.
CREATE TABLE audit_events (
    id              BIGINT PRIMARY KEY,
    at              TEXT NOT NULL,
    user_id         BIGINT,
    organisation_id BIGINT,
    person_id       BIGINT,
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

CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_events is append-only';
END;
$$;
CREATE TRIGGER audit_events_no_change BEFORE UPDATE OR DELETE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
    FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only();
