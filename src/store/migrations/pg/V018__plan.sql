-- The coordinated service plan (features/plan, docs/PLAN.md): one per child's file, started by the file's
-- assigned coordinator from the family's story at intake; the family's goals in their own words; every
-- saved change a version (who, when, what, why, and the plan as it then was). Personal information
-- (category `plan`): only PlanRepo reads or writes it, deciding and auditing each access on the file. Its
-- status is written only by store::write_transition (domain::plan_lifecycle). Nothing is deleted.
CREATE TABLE plans (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    person_id        BIGINT NOT NULL UNIQUE REFERENCES people (id),    -- one plan per child
    status           TEXT NOT NULL,
    about            TEXT NOT NULL DEFAULT '',
    strengths        TEXT NOT NULL DEFAULT '',
    needs_home       TEXT NOT NULL DEFAULT '',
    needs_school     TEXT NOT NULL DEFAULT '',
    needs_community  TEXT NOT NULL DEFAULT '',
    needs_health     TEXT NOT NULL DEFAULT '',
    hopes            TEXT NOT NULL DEFAULT '',
    source_intake_id BIGINT REFERENCES intakes (id),                   -- the story it started from
    version          INTEGER NOT NULL DEFAULT 1,                       -- + 1 on every saved change
    created_at       TEXT NOT NULL,
    created_by       BIGINT REFERENCES users (id),
    updated_at       TEXT NOT NULL
);

-- The family's goals, in their words (the text is never rewritten), in priority order.
CREATE TABLE plan_goals (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    plan_id      BIGINT NOT NULL REFERENCES plans (id),
    priority     INTEGER NOT NULL CHECK (priority >= 1),
    text         TEXT NOT NULL CHECK (text <> ''),
    expressed_by TEXT NOT NULL CHECK (expressed_by IN ('child', 'family', 'provider')),
    progress     TEXT NOT NULL CHECK (progress IN ('not_started', 'in_progress', 'achieved', 'no_longer_relevant')),
    created_at   TEXT NOT NULL,
    created_by   BIGINT REFERENCES users (id),
    updated_at   TEXT NOT NULL,
    updated_by   BIGINT REFERENCES users (id)
);
CREATE INDEX plan_goals_plan ON plan_goals (plan_id, priority, id);

-- One row per saved change: who, when, what (created, sections, goal_added, goal_updated, status), why,
-- and the plan after it (domain::snapshot, JSON), for comparing versions.
CREATE TABLE plan_versions (
    id       BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    plan_id  BIGINT NOT NULL REFERENCES plans (id),
    version  INTEGER NOT NULL,
    at       TEXT NOT NULL,
    user_id  BIGINT REFERENCES users (id),
    change   TEXT NOT NULL,
    reason   TEXT NOT NULL DEFAULT '',
    snapshot TEXT NOT NULL,
    UNIQUE (plan_id, version)
);

CREATE TABLE plan_events (
    id      BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    plan_id BIGINT NOT NULL REFERENCES plans (id),
    at      TEXT NOT NULL,
    user_id BIGINT REFERENCES users (id),
    event   TEXT NOT NULL,
    status  TEXT NOT NULL,
    note    TEXT NOT NULL DEFAULT ''
);
CREATE INDEX plan_events_plan ON plan_events (plan_id, id);

CREATE FUNCTION plans_no_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'plans are never deleted';
END;
$$;
CREATE TRIGGER plans_no_delete BEFORE DELETE ON plans FOR EACH ROW EXECUTE FUNCTION plans_no_delete();
CREATE FUNCTION plan_goals_no_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'goals are never deleted';
END;
$$;
CREATE TRIGGER plan_goals_no_delete BEFORE DELETE ON plan_goals FOR EACH ROW EXECUTE FUNCTION plan_goals_no_delete();
CREATE FUNCTION plan_versions_no_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'plan versions are never changed';
END;
$$;
CREATE TRIGGER plan_versions_no_update BEFORE UPDATE ON plan_versions FOR EACH ROW EXECUTE FUNCTION plan_versions_no_update();
CREATE FUNCTION plan_versions_no_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'plan versions are never deleted';
END;
$$;
CREATE TRIGGER plan_versions_no_delete BEFORE DELETE ON plan_versions FOR EACH ROW EXECUTE FUNCTION plan_versions_no_delete();
