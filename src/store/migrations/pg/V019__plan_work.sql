-- The plan's work (features/plan, docs/PLAN.md): three more sections (what the plan does not
-- coordinate, restricted safety notes, transitions); a version per goal, so two people working on
-- different parts of a plan never refuse each other; actions (who does what by when, for which goal),
-- each with its own version and its events (status moves and progress notes); the services the plan
-- counts on, each one of the child's referrals, whose status is the referral's own; meetings; the
-- family's agreement to a version of the plan; reviews. Personal information of the plan: only
-- PlanRepo reads or writes it. Statuses are written only by store::write_transition
-- (domain::action_lifecycle). Nothing is deleted.
ALTER TABLE plans ADD COLUMN not_coordinated TEXT NOT NULL DEFAULT '';
ALTER TABLE plans ADD COLUMN safety TEXT NOT NULL DEFAULT '';
ALTER TABLE plans ADD COLUMN transition TEXT NOT NULL DEFAULT '';
-- The day the next review counts from: the plan's activation, then its latest review (YYYY-MM-DD).
ALTER TABLE plans ADD COLUMN review_from TEXT;
ALTER TABLE plan_goals ADD COLUMN version INTEGER NOT NULL DEFAULT 1;

-- An owner is a member of the file's team in their organisation, an organisation of the team, or one
-- of the child's family.
CREATE TABLE plan_actions (
    id                     BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    plan_id                BIGINT NOT NULL REFERENCES plans (id),
    goal_id                BIGINT REFERENCES plan_goals (id),
    text                   TEXT NOT NULL CHECK (text <> ''),
    owner_user_id          BIGINT REFERENCES users (id),
    owner_organisation_id  BIGINT REFERENCES organisations (id),
    owner_family_member_id BIGINT REFERENCES family_members (id),
    due_on                 TEXT,                                        -- YYYY-MM-DD
    status                 TEXT NOT NULL,
    version                INTEGER NOT NULL DEFAULT 1,                  -- + 1 on every change of this action
    created_at             TEXT NOT NULL,
    created_by             BIGINT REFERENCES users (id),
    updated_at             TEXT NOT NULL,
    updated_by             BIGINT REFERENCES users (id),
    CHECK ((owner_organisation_id IS NULL) <> (owner_family_member_id IS NULL)),
    CHECK (owner_user_id IS NULL OR owner_organisation_id IS NOT NULL)
);
CREATE INDEX plan_actions_plan ON plan_actions (plan_id, id);

-- An action's status moves (event = the table's event) and its progress notes (event = 'note', the
-- status unchanged).
CREATE TABLE plan_action_events (
    id        BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    action_id BIGINT NOT NULL REFERENCES plan_actions (id),
    at        TEXT NOT NULL,
    user_id   BIGINT REFERENCES users (id),
    event     TEXT NOT NULL,
    status    TEXT NOT NULL,
    note      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX plan_action_events_action ON plan_action_events (action_id, id);

-- A service the plan counts on: one of the child's referrals (its status is the referral's), for a
-- goal or not.
CREATE TABLE plan_services (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    plan_id     BIGINT NOT NULL REFERENCES plans (id),
    referral_id BIGINT NOT NULL REFERENCES referrals (id),
    goal_id     BIGINT REFERENCES plan_goals (id),
    purpose     TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL,
    created_by  BIGINT REFERENCES users (id),
    UNIQUE (plan_id, referral_id)
);

CREATE TABLE plan_meetings (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    plan_id    BIGINT NOT NULL REFERENCES plans (id),
    held_on    TEXT NOT NULL,
    attendees  TEXT NOT NULL,
    notes      TEXT NOT NULL DEFAULT '',
    decisions  TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    created_by BIGINT REFERENCES users (id)
);
CREATE INDEX plan_meetings_plan ON plan_meetings (plan_id, held_on);

-- A review of the plan: when, the next steps, and where each goal stood.
CREATE TABLE plan_reviews (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    plan_id    BIGINT NOT NULL REFERENCES plans (id),
    held_on    TEXT NOT NULL,
    next_steps TEXT NOT NULL,
    created_at TEXT NOT NULL,
    created_by BIGINT REFERENCES users (id)
);
CREATE INDEX plan_reviews_plan ON plan_reviews (plan_id, held_on);
CREATE TABLE plan_review_goals (
    id        BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    review_id BIGINT NOT NULL REFERENCES plan_reviews (id),
    goal_id   BIGINT NOT NULL REFERENCES plan_goals (id),
    progress  TEXT NOT NULL CHECK (progress IN ('not_started', 'in_progress', 'achieved', 'no_longer_relevant')),
    note      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX plan_review_goals_review ON plan_review_goals (review_id);

-- A family member's agreement to the plan as it was at `version`, as the coordinator recorded it (who,
-- how, when, at which meeting). A later change leaves the plan unsigned until agreed again.
CREATE TABLE plan_agreements (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    plan_id          BIGINT NOT NULL REFERENCES plans (id),
    version          INTEGER NOT NULL,
    family_member_id BIGINT NOT NULL REFERENCES family_members (id),
    method           TEXT NOT NULL CHECK (method IN ('in_person', 'phone', 'video', 'in_writing')),
    agreed_on        TEXT NOT NULL,
    meeting_id       BIGINT REFERENCES plan_meetings (id),
    recorded_at      TEXT NOT NULL,
    recorded_by      BIGINT REFERENCES users (id)
);
CREATE INDEX plan_agreements_plan ON plan_agreements (plan_id, version);

CREATE FUNCTION plan_actions_no_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'actions are never deleted';
END;
$$;
CREATE TRIGGER plan_actions_no_delete BEFORE DELETE ON plan_actions FOR EACH ROW EXECUTE FUNCTION plan_actions_no_delete();
CREATE FUNCTION plan_action_events_no_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'action events are never changed';
END;
$$;
CREATE TRIGGER plan_action_events_no_change BEFORE UPDATE ON plan_action_events FOR EACH ROW EXECUTE FUNCTION plan_action_events_no_change();
CREATE FUNCTION plan_agreements_no_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'agreements are never changed';
END;
$$;
CREATE TRIGGER plan_agreements_no_change BEFORE UPDATE ON plan_agreements FOR EACH ROW EXECUTE FUNCTION plan_agreements_no_change();
CREATE FUNCTION plan_agreements_no_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'agreements are never deleted';
END;
$$;
CREATE TRIGGER plan_agreements_no_delete BEFORE DELETE ON plan_agreements FOR EACH ROW EXECUTE FUNCTION plan_agreements_no_delete();
