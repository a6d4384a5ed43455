-- Indicators and quarterly reports (features/reporting, docs/REPORTING.md).
--
-- An indicator is data: what it counts (a stream of recorded events, one of its events, a field
-- to break the count down by) is checked against the catalogue in
-- features/reporting/domain/reporting.hpp when it is saved. Rows without an area are the
-- defaults every area starts with; an area's row with the same code replaces the default (to
-- rename it or switch it off).
CREATE TABLE indicators (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    sda_id     BIGINT REFERENCES service_delivery_areas (id),
    code       TEXT NOT NULL,
    name_fr    TEXT NOT NULL,
    name_en    TEXT NOT NULL,
    stream     TEXT NOT NULL,
    event      TEXT NOT NULL,
    breakdown  TEXT NOT NULL DEFAULT '',
    active     INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    updated_at TEXT NOT NULL,
    updated_by BIGINT REFERENCES users (id)
);
CREATE UNIQUE INDEX indicators_code ON indicators (COALESCE(sda_id, 0), code);

INSERT INTO indicators (code, name_fr, name_en, stream, event, breakdown, updated_at) VALUES
    ('referrals_by_source', 'Demandes de service reçues, selon la source', 'Referrals received, by source', 'referral', 'receive', 'source', '2026-12-06T00:00:00Z'),
    ('referrals_accepted', 'Demandes acceptées, selon l''organisme destinataire', 'Referrals accepted, by receiving organisation', 'referral', 'accept', 'organisation', '2026-12-06T00:00:00Z'),
    ('referrals_declined', 'Demandes refusées, selon l''organisme destinataire', 'Referrals declined, by receiving organisation', 'referral', 'decline', 'organisation', '2026-12-06T00:00:00Z'),
    ('intakes_eligible', 'Accueils jugés admissibles', 'Intakes found eligible', 'intake', 'decide_eligible', '', '2026-12-06T00:00:00Z'),
    ('intakes_ineligible', 'Accueils jugés non admissibles', 'Intakes found not eligible', 'intake', 'decide_ineligible', '', '2026-12-06T00:00:00Z'),
    ('csp_waitlisted', 'Enfants inscrits sur la liste d''attente de la planification coordonnée', 'Children placed on the coordinated service planning waitlist', 'intake', 'waitlist', '', '2026-12-06T00:00:00Z'),
    ('coordinators_assigned', 'Coordonnatrices et coordonnateurs attribués, selon l''organisme', 'Coordinators assigned, by organisation', 'intake', 'assign', 'organisation', '2026-12-06T00:00:00Z'),
    ('closures_by_reason', 'Dossiers fermés, selon le motif', 'Files closed, by reason', 'intake', 'close', 'close_reason', '2026-12-06T00:00:00Z'),
    ('plans_activated', 'Plans de services coordonnés mis en œuvre', 'Coordinated service plans put in place', 'plan', 'activate', '', '2026-12-06T00:00:00Z'),
    ('plan_reviews_started', 'Révisions de plan commencées', 'Plan reviews started', 'plan', 'start_review', '', '2026-12-06T00:00:00Z'),
    ('concerns_closed', 'Préoccupations et plaintes des familles réglées, selon le type', 'Family concerns and complaints resolved, by kind', 'concern', 'close', 'kind', '2026-12-06T00:00:00Z');

-- A quarter's report of one area: its suppressed tables (only what may be shown), reviewed,
-- then submitted, after which it never changes and its hash is recorded.
CREATE TABLE quarterly_reports (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    sda_id       BIGINT NOT NULL REFERENCES service_delivery_areas (id),
    year         INTEGER NOT NULL,
    quarter      INTEGER NOT NULL CHECK (quarter BETWEEN 1 AND 4),
    status       TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'reviewed', 'submitted')),
    threshold    INTEGER NOT NULL,
    snapshot     TEXT NOT NULL,
    hash         TEXT NOT NULL DEFAULT '',
    generated_at TEXT NOT NULL,
    generated_by BIGINT REFERENCES users (id),
    submitted_at TEXT,
    submitted_by BIGINT REFERENCES users (id),
    updated_at   TEXT NOT NULL,
    UNIQUE (sda_id, year, quarter)
);

CREATE TABLE quarterly_report_events (
    id        BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    report_id BIGINT NOT NULL REFERENCES quarterly_reports (id),
    at        TEXT NOT NULL,
    user_id   BIGINT REFERENCES users (id),
    event     TEXT NOT NULL,
    status    TEXT NOT NULL,
    note      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX quarterly_report_events_report ON quarterly_report_events (report_id, id);

CREATE FUNCTION quarterly_reports_submitted_no_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'a submitted report is never changed';
END;
$$;
CREATE TRIGGER quarterly_reports_submitted_no_update BEFORE UPDATE ON quarterly_reports FOR EACH ROW
    WHEN (OLD.status = 'submitted') EXECUTE FUNCTION quarterly_reports_submitted_no_update();
CREATE FUNCTION quarterly_reports_no_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'quarterly reports are never deleted';
END;
$$;
CREATE TRIGGER quarterly_reports_no_delete BEFORE DELETE ON quarterly_reports FOR EACH ROW EXECUTE FUNCTION quarterly_reports_no_delete();
