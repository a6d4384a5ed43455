-- Intake and eligibility (features/intake): the rules of each service delivery area
-- (configuration, edited by the coordinating agency's administrator), and the intake of each
-- accepted referral: the family's story told once, the screening answers and the decision.
-- An intake holds personal information: only IntakeRepo reads or writes it, deciding and
-- auditing each access. Its status is written only by store::write_transition (the lifecycle
-- table domain::intake_lifecycle is its constraint). Nothing is deleted.
CREATE TABLE area_rules (
    sda_id               INTEGER PRIMARY KEY REFERENCES service_delivery_areas (id),
    max_age              INTEGER NOT NULL,
    school_max_age       INTEGER NOT NULL,
    min_sectors          INTEGER NOT NULL,
    first_contact_days   INTEGER NOT NULL,
    intake_decision_days INTEGER NOT NULL,
    first_plan_days      INTEGER NOT NULL,
    review_interval_days INTEGER NOT NULL,
    caseload_limit       INTEGER NOT NULL,
    referral_answer_days INTEGER NOT NULL,
    updated_at           TEXT NOT NULL,
    updated_by           INTEGER REFERENCES users (id)
);

-- Other rules an area adds: yes-or-no questions whose answer must be yes.
CREATE TABLE area_criteria (
    id         INTEGER PRIMARY KEY,
    sda_id     INTEGER NOT NULL REFERENCES service_delivery_areas (id),
    text_fr    TEXT NOT NULL,
    text_en    TEXT NOT NULL,
    active     INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at TEXT NOT NULL,
    created_by INTEGER REFERENCES users (id)
);
CREATE INDEX area_criteria_sda ON area_criteria (sda_id, active, id);

CREATE TABLE intakes (
    id                     INTEGER PRIMARY KEY,
    sda_id                 INTEGER NOT NULL REFERENCES service_delivery_areas (id),
    coordinating_agency_id INTEGER NOT NULL REFERENCES organisations (id),
    referral_id            INTEGER NOT NULL UNIQUE REFERENCES referrals (id),
    status                 TEXT NOT NULL,
    story                  TEXT NOT NULL DEFAULT '',
    strengths              TEXT NOT NULL DEFAULT '',
    needs_home             TEXT NOT NULL DEFAULT '',
    needs_school           TEXT NOT NULL DEFAULT '',
    needs_community        TEXT NOT NULL DEFAULT '',
    needs_health           TEXT NOT NULL DEFAULT '',
    involved               TEXT NOT NULL DEFAULT '',
    hopes                  TEXT NOT NULL DEFAULT '',
    in_school              INTEGER CHECK (in_school IN (0, 1)),
    sectors                TEXT NOT NULL DEFAULT '',  -- sector codes, comma-separated
    story_recorded_at      TEXT,
    decision_reason        TEXT NOT NULL DEFAULT '',
    decided_at             TEXT,
    decided_by             INTEGER REFERENCES users (id),
    version                INTEGER NOT NULL DEFAULT 1,  -- the stale-form check: + 1 on every change
    opened_at              TEXT NOT NULL,
    opened_by              INTEGER REFERENCES users (id),
    updated_at             TEXT NOT NULL
);
CREATE INDEX intakes_queue ON intakes (coordinating_agency_id, status, opened_at);

CREATE TABLE intake_answers (
    intake_id    INTEGER NOT NULL REFERENCES intakes (id),
    criterion_id INTEGER NOT NULL REFERENCES area_criteria (id),
    met          INTEGER NOT NULL CHECK (met IN (0, 1)),
    PRIMARY KEY (intake_id, criterion_id)
);

CREATE TABLE intake_events (
    id        INTEGER PRIMARY KEY,
    intake_id INTEGER NOT NULL REFERENCES intakes (id),
    at        TEXT NOT NULL,
    user_id   INTEGER REFERENCES users (id),
    event     TEXT NOT NULL,
    status    TEXT NOT NULL,
    note      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX intake_events_intake ON intake_events (intake_id, id);

CREATE TRIGGER intakes_no_delete BEFORE DELETE ON intakes
BEGIN
    SELECT RAISE(ABORT, 'intakes are never deleted');
END;
