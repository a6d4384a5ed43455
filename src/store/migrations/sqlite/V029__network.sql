-- Where the network stands and where it is going (features/network, docs/NETWORK.md).
--
-- Integration maturity (seed 003): an area, or one of its partnerships (an agreement of kind
-- partnership), self-assesses where it stands on the continuum fragmented → cooperation →
-- coordination → collaboration → integrated, one level per dimension, each answer with its
-- evidence, and which marks of integrated services it holds. Assessments are dated and kept as
-- they were recorded: their sequence is the history.
CREATE TABLE maturity_assessments (
    id           INTEGER PRIMARY KEY,
    sda_id       INTEGER NOT NULL REFERENCES service_delivery_areas (id),
    agreement_id INTEGER REFERENCES agreements (id),  -- NULL: the whole area
    assessed_on  TEXT NOT NULL,
    summary      TEXT NOT NULL DEFAULT '',
    score_tenths INTEGER NOT NULL CHECK (score_tenths BETWEEN 10 AND 50),
    stage        TEXT NOT NULL
                 CHECK (stage IN ('fragmented', 'cooperation', 'coordination', 'collaboration', 'integrated')),
    created_at   TEXT NOT NULL,
    created_by   INTEGER REFERENCES users (id)
);
-- A subject's history, oldest first (agreement_id NULL for the area's own).
CREATE INDEX maturity_assessments_subject ON maturity_assessments (sda_id, agreement_id, assessed_on, id);

CREATE TABLE maturity_answers (
    assessment_id INTEGER NOT NULL REFERENCES maturity_assessments (id),
    dimension     TEXT NOT NULL CHECK (dimension IN ('entry_points', 'information_exchange', 'management', 'funding',
                                                     'equipment', 'clientele')),
    level         INTEGER NOT NULL CHECK (level BETWEEN 1 AND 5),
    evidence      TEXT NOT NULL,
    PRIMARY KEY (assessment_id, dimension)
);

CREATE TABLE maturity_marks (
    assessment_id INTEGER NOT NULL REFERENCES maturity_assessments (id),
    mark          TEXT NOT NULL CHECK (mark IN ('multidisciplinary_teams', 'collective_decision_body', 'consumer_focused',
                                                'formal_agreements')),
    held          INTEGER NOT NULL CHECK (held IN (0, 1)),
    evidence      TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (assessment_id, mark)
);

-- The community plans registry (seed 004, tables 1 and 2): municipal and health-system plans and
-- the provincial policy reviews that touch them, with their owner, review cycle and the areas and
-- organisations involved. Its status moves only through domain::community_plan_lifecycle() by
-- store::fire_transition, each move a row of community_plan_events.
CREATE TABLE community_plans (
    id                 INTEGER PRIMARY KEY,
    reference          TEXT NOT NULL UNIQUE,
    title_fr           TEXT NOT NULL,
    title_en           TEXT NOT NULL,
    kind               TEXT NOT NULL CHECK (kind IN ('community_safety_wellbeing', 'housing_homelessness',
                                                     'childrens_services', 'population_health_equity',
                                                     'navigation_model', 'policy_review', 'other')),
    owner_organisation INTEGER REFERENCES organisations (id),
    owner_name         TEXT NOT NULL DEFAULT '',
    description        TEXT NOT NULL DEFAULT '',
    scope              TEXT NOT NULL DEFAULT '',
    cycle              TEXT NOT NULL CHECK (cycle IN ('every_10_years', 'every_5_years', 'fixed_date', 'ongoing')),
    fixed_review_on    TEXT NOT NULL DEFAULT '',
    yearly_progress    INTEGER NOT NULL DEFAULT 0 CHECK (yearly_progress IN (0, 1)),
    approved_on        TEXT NOT NULL DEFAULT '',
    next_review_on     TEXT NOT NULL DEFAULT '',  -- computed (domain::next_review), kept for the registry's order and reminders
    status             TEXT NOT NULL DEFAULT 'in_development'
                       CHECK (status IN ('in_development', 'approved', 'under_review', 'retired')),
    version            INTEGER NOT NULL DEFAULT 1,
    created_at         TEXT NOT NULL,
    created_by         INTEGER REFERENCES users (id),
    updated_at         TEXT NOT NULL,
    updated_by         INTEGER REFERENCES users (id),
    CHECK (owner_organisation IS NOT NULL OR owner_name <> ''),
    CHECK (fixed_review_on = '' OR approved_on = '' OR fixed_review_on >= approved_on)
);
CREATE INDEX community_plans_review ON community_plans (next_review_on, reference);

CREATE TABLE community_plan_areas (
    plan_id INTEGER NOT NULL REFERENCES community_plans (id),
    sda_id  INTEGER NOT NULL REFERENCES service_delivery_areas (id),
    PRIMARY KEY (plan_id, sda_id)
);
CREATE INDEX community_plan_areas_area ON community_plan_areas (sda_id, plan_id);

CREATE TABLE community_plan_organisations (
    plan_id         INTEGER NOT NULL REFERENCES community_plans (id),
    organisation_id INTEGER NOT NULL REFERENCES organisations (id),
    PRIMARY KEY (plan_id, organisation_id)
);
CREATE INDEX community_plan_organisations_organisation ON community_plan_organisations (organisation_id, plan_id);

CREATE TABLE community_plan_events (
    id      INTEGER PRIMARY KEY,
    plan_id INTEGER NOT NULL REFERENCES community_plans (id),
    at      TEXT NOT NULL,
    user_id INTEGER REFERENCES users (id),
    event   TEXT NOT NULL,
    status  TEXT NOT NULL,
    note    TEXT NOT NULL DEFAULT ''
);
CREATE INDEX community_plan_events_plan ON community_plan_events (plan_id, id);

-- Notifications of kind 'network': a community plan's review or progress report coming. SQLite
-- cannot change a CHECK constraint, so the table is copied into one that allows it; its rows and
-- ids are kept.
CREATE TABLE notifications_next (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id),
    kind       TEXT NOT NULL CHECK (kind IN ('assigned', 'referral_new', 'referral_update', 'referral_reminder', 'overdue',
                                             'family', 'agreement', 'governance', 'complaint', 'network')),
    reference  TEXT NOT NULL,
    text_fr    TEXT NOT NULL,
    text_en    TEXT NOT NULL,
    link       TEXT NOT NULL CHECK (substr(link, 1, 1) = '/'),
    dedupe_key TEXT,
    created_at TEXT NOT NULL,
    read_at    TEXT,
    UNIQUE (user_id, dedupe_key)
);
INSERT INTO notifications_next (id, user_id, kind, reference, text_fr, text_en, link, dedupe_key, created_at, read_at)
    SELECT id, user_id, kind, reference, text_fr, text_en, link, dedupe_key, created_at, read_at FROM notifications;
DROP TABLE notifications;
ALTER TABLE notifications_next RENAME TO notifications;
CREATE INDEX notifications_inbox ON notifications (user_id, id);
CREATE INDEX notifications_unread ON notifications (user_id) WHERE read_at IS NULL;
