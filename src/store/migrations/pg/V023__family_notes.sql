-- The family's notes to the team (features/family, docs/FAMILY.md): a family member or the youth,
-- signed in, writes a note on one of the plan's goals or on the plan as a whole (no goal). The
-- team reads them under each goal on the plan's page; the family reads its own and the other
-- family members'. A note is kept as written, with who wrote it through which family access, and
-- when: never changed or deleted.
CREATE TABLE plan_family_notes (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    plan_id          BIGINT NOT NULL REFERENCES plans (id),
    goal_id          BIGINT REFERENCES plan_goals (id),
    family_access_id BIGINT NOT NULL REFERENCES family_access (id),
    note             TEXT NOT NULL CHECK (note <> ''),
    created_at       TEXT NOT NULL,
    created_by       BIGINT NOT NULL REFERENCES users (id)
);
CREATE INDEX plan_family_notes_plan ON plan_family_notes (plan_id, id);
CREATE FUNCTION plan_family_notes_no_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'family notes are never changed or deleted';
END;
$$;
CREATE TRIGGER plan_family_notes_no_change BEFORE UPDATE OR DELETE ON plan_family_notes FOR EACH ROW EXECUTE FUNCTION plan_family_notes_no_change();
