-- The family raises a concern or a complaint with its coordinator or the coordinating agency, and
-- asks for access to or correction of the file's records (features/family, docs/FAMILY.md).
--
-- A concern or complaint is the family's own record on the file: its status moves by the table
-- domain::concern_lifecycle (received, acknowledged, closed), written by store::write_transition
-- with an event row. Nothing is deleted.
CREATE TABLE family_concerns (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    person_id        BIGINT NOT NULL REFERENCES people (id),
    -- The family account's access it was raised through (who, and as whom to the child).
    family_access_id BIGINT NOT NULL REFERENCES family_access (id),
    raised_by        BIGINT NOT NULL REFERENCES users (id),
    kind             TEXT NOT NULL CHECK (kind IN ('concern', 'complaint')),
    addressed_to     TEXT NOT NULL CHECK (addressed_to IN ('coordinator', 'agency')),
    description      TEXT NOT NULL CHECK (description <> ''),
    status           TEXT NOT NULL DEFAULT 'received' CHECK (status IN ('received', 'acknowledged', 'closed')),
    response         TEXT NOT NULL DEFAULT '',
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    acknowledged_at  TEXT,
    acknowledged_by  BIGINT REFERENCES users (id),
    closed_at        TEXT,
    closed_by        BIGINT REFERENCES users (id),
    CHECK (status <> 'closed' OR (closed_at IS NOT NULL AND response <> ''))
);
CREATE INDEX family_concerns_person ON family_concerns (person_id, id);

CREATE TABLE family_concern_events (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    concern_id BIGINT NOT NULL REFERENCES family_concerns (id),
    at         TEXT NOT NULL,
    user_id    BIGINT REFERENCES users (id),
    event      TEXT NOT NULL,
    status     TEXT NOT NULL,
    note       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX family_concern_events_concern ON family_concern_events (concern_id, id);
CREATE FUNCTION family_concerns_no_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'family_concerns are never deleted: close them';
END;
$$;
CREATE TRIGGER family_concerns_no_delete BEFORE DELETE ON family_concerns FOR EACH ROW EXECUTE FUNCTION family_concerns_no_delete();

-- An access or correction request the family makes itself is a row of the privacy office's
-- register like any other (received that day, due 30 days later), linked to the family access
-- it was made through so the family sees where it stands.
ALTER TABLE privacy_requests ADD COLUMN family_access_id BIGINT REFERENCES family_access (id);
CREATE INDEX privacy_requests_family ON privacy_requests (family_access_id) WHERE family_access_id IS NOT NULL;

-- A family member or the youth has at most one active access to a file (FamilyRepo::join
-- refuses a second; V020's family_access_one already keeps one per file and account).
CREATE UNIQUE INDEX family_access_member_one ON family_access (person_id, family_member_id)
    WHERE revoked_at IS NULL AND family_member_id IS NOT NULL;
CREATE UNIQUE INDEX family_access_self_one ON family_access (person_id) WHERE revoked_at IS NULL AND relation = 'self';
