-- The file's way from an eligible intake to a coordinator (features/intake): the CSP waitlist,
-- the assignment of a service planning coordinator (and each reassignment, with who, when and
-- why), the first contact, and the closure with its reason and the end of its retention period.
-- The status is still written only by store::fire_transition (domain::intake_lifecycle).
ALTER TABLE intakes ADD COLUMN waitlisted_at TEXT;
ALTER TABLE intakes ADD COLUMN assigned_user_id BIGINT REFERENCES users (id);
ALTER TABLE intakes ADD COLUMN assigned_organisation_id BIGINT REFERENCES organisations (id);
ALTER TABLE intakes ADD COLUMN assigned_at TEXT;
ALTER TABLE intakes ADD COLUMN first_contact_at TEXT;
ALTER TABLE intakes ADD COLUMN closed_at TEXT;
ALTER TABLE intakes ADD COLUMN close_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE intakes ADD COLUMN retention_until TEXT;
CREATE INDEX intakes_caseload ON intakes (assigned_user_id, status);
CREATE INDEX intakes_waitlist ON intakes (coordinating_agency_id, status, waitlisted_at);

-- Years a closed file is kept (the retention period starts at closure).
ALTER TABLE area_rules ADD COLUMN retention_years INTEGER NOT NULL DEFAULT 10;

-- Each coordinator a file had: from when, until when (until_at empty: still), who assigned
-- them, why (required for a reassignment) and why over their caseload limit, if they were.
CREATE TABLE intake_assignments (
    id                BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    intake_id         BIGINT NOT NULL REFERENCES intakes (id),
    user_id           BIGINT NOT NULL REFERENCES users (id),
    organisation_id   BIGINT NOT NULL REFERENCES organisations (id),
    from_at           TEXT NOT NULL,
    until_at          TEXT,
    assigned_by       BIGINT REFERENCES users (id),
    reason            TEXT NOT NULL DEFAULT '',
    over_limit_reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX intake_assignments_intake ON intake_assignments (intake_id, id);

-- What the agency knows of each coordinator it assigns: the languages they work in (codes of
-- domain::service_languages) and their own caseload limit (empty: the area's).
CREATE TABLE coordinator_profiles (
    user_id        BIGINT PRIMARY KEY REFERENCES users (id),
    languages      TEXT NOT NULL DEFAULT '',
    caseload_limit INTEGER,
    updated_at     TEXT NOT NULL,
    updated_by     BIGINT REFERENCES users (id)
);

CREATE FUNCTION intake_assignments_no_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'assignments are never deleted';
END;
$$;
CREATE TRIGGER intake_assignments_no_delete BEFORE DELETE ON intake_assignments
    FOR EACH ROW EXECUTE FUNCTION intake_assignments_no_delete();
