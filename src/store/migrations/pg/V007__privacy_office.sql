-- The privacy office of a coordinating agency (domain/privacy_office.hpp,
-- store/privacy_office_repo.hpp): families' requests for access to or correction of their
-- records, with the 30-day statutory clock, and the privacy breach register. Rows belong to
-- the agency (organisation_id); nothing is deleted: requests are closed, breaches deactivated.
CREATE TABLE privacy_requests (
    id                     BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organisation_id        BIGINT NOT NULL REFERENCES organisations (id),
    person_id              BIGINT NOT NULL REFERENCES people (id),
    requester_relationship TEXT NOT NULL,
    kind                   TEXT NOT NULL CHECK (kind IN ('access', 'correction')),
    received_on            TEXT NOT NULL,
    due_on                 TEXT NOT NULL,  -- received + 30 days + extension (domain::due_date)
    description            TEXT NOT NULL DEFAULT '',
    status                 TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'extended', 'completed', 'refused')),
    extension_days         INTEGER NOT NULL DEFAULT 0 CHECK (extension_days BETWEEN 0 AND 30),
    extension_reason       TEXT NOT NULL DEFAULT '',
    closed_on              TEXT,
    outcome                TEXT NOT NULL DEFAULT '',
    created_at             TEXT NOT NULL,
    created_by             BIGINT REFERENCES users (id),
    updated_at             TEXT NOT NULL,
    updated_by             BIGINT REFERENCES users (id)
);
CREATE INDEX privacy_requests_org ON privacy_requests (organisation_id, status, due_on);
CREATE INDEX privacy_requests_person ON privacy_requests (person_id);

CREATE TABLE privacy_breaches (
    id                   BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organisation_id      BIGINT NOT NULL REFERENCES organisations (id),
    discovered_on        TEXT NOT NULL,
    description          TEXT NOT NULL,
    files_affected       INTEGER NOT NULL DEFAULT 0 CHECK (files_affected >= 0),
    containment          TEXT NOT NULL DEFAULT '',
    ipc_notified_on      TEXT,
    families_notified_on TEXT,
    status               TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'contained', 'closed')),
    active               INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at           TEXT NOT NULL,
    created_by           BIGINT REFERENCES users (id),
    updated_at           TEXT NOT NULL,
    updated_by           BIGINT REFERENCES users (id)
);
CREATE INDEX privacy_breaches_org ON privacy_breaches (organisation_id, discovered_on);

CREATE FUNCTION privacy_office_no_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% rows are never deleted', TG_TABLE_NAME;
END;
$$;
CREATE TRIGGER privacy_requests_no_delete BEFORE DELETE ON privacy_requests
    FOR EACH ROW EXECUTE FUNCTION privacy_office_no_delete();
CREATE TRIGGER privacy_breaches_no_delete BEFORE DELETE ON privacy_breaches
    FOR EACH ROW EXECUTE FUNCTION privacy_office_no_delete();

-- The privacy officer's anomaly review reads the audit by time (openings over the look-back
-- period) and by refusals for lack of a relationship, which are rare: both without a scan.
CREATE INDEX audit_events_at ON audit_events (at);
CREATE INDEX audit_events_unrelated ON audit_events (id)
    WHERE decision = 'deny' AND reason IN ('no_relationship', 'role_relationship_not_permitted');
