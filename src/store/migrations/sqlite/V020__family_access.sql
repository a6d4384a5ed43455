-- The family's own access (features/family, docs/FAMILY.md): a family account is a user of its own
-- kind (it never holds a membership); the coordinator invites a family member or the youth to one
-- file, by email or with a printed code, single use and expiring; the account's access to the file
-- says whether it is a family member's (with or without authority to act for the child) or the
-- youth's own; a capable youth keeps categories from a family member. The family signs the plan
-- electronically: agreed, or changes asked with a comment, naming the version. Nothing is deleted.
ALTER TABLE users ADD COLUMN kind TEXT NOT NULL DEFAULT 'staff' CHECK (kind IN ('staff', 'family'));

CREATE TABLE family_invitations (
    id               INTEGER PRIMARY KEY,
    person_id        INTEGER NOT NULL REFERENCES people (id),
    relation         TEXT NOT NULL CHECK (relation IN ('family_of', 'self')),
    family_member_id INTEGER REFERENCES family_members (id),
    authority        INTEGER NOT NULL CHECK (authority IN (0, 1)),
    code_hash        TEXT NOT NULL UNIQUE,
    -- The sign-in name: the email the invitation went to, or a name printed with the code.
    login            TEXT NOT NULL,
    delivery         TEXT NOT NULL CHECK (delivery IN ('email', 'print')),
    created_at       TEXT NOT NULL,
    created_by       INTEGER NOT NULL REFERENCES users (id),
    expires_at       TEXT NOT NULL,
    used_at          TEXT,
    used_by          INTEGER REFERENCES users (id),
    cancelled_at     TEXT,
    cancelled_by     INTEGER REFERENCES users (id),
    CHECK ((relation = 'family_of') = (family_member_id IS NOT NULL))
);
CREATE INDEX family_invitations_person ON family_invitations (person_id, id);

CREATE TABLE family_access (
    id               INTEGER PRIMARY KEY,
    person_id        INTEGER NOT NULL REFERENCES people (id),
    user_id          INTEGER NOT NULL REFERENCES users (id),
    relation         TEXT NOT NULL CHECK (relation IN ('family_of', 'self')),
    family_member_id INTEGER REFERENCES family_members (id),
    authority        INTEGER NOT NULL CHECK (authority IN (0, 1)),
    invitation_id    INTEGER NOT NULL REFERENCES family_invitations (id),
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    updated_by       INTEGER REFERENCES users (id),
    revoked_at       TEXT,
    revoked_by       INTEGER REFERENCES users (id),
    CHECK ((relation = 'family_of') = (family_member_id IS NOT NULL))
);
CREATE UNIQUE INDEX family_access_one ON family_access (person_id, user_id) WHERE revoked_at IS NULL;
CREATE INDEX family_access_user ON family_access (user_id, person_id) WHERE revoked_at IS NULL;

-- What a capable youth keeps from one family member (by their access), per category.
CREATE TABLE family_withholdings (
    id               INTEGER PRIMARY KEY,
    family_access_id INTEGER NOT NULL REFERENCES family_access (id),
    category         TEXT NOT NULL,
    created_at       TEXT NOT NULL,
    created_by       INTEGER NOT NULL REFERENCES users (id),
    revoked_at       TEXT,
    revoked_by       INTEGER REFERENCES users (id)
);
CREATE INDEX family_withholdings_access ON family_withholdings (family_access_id) WHERE revoked_at IS NULL;

-- The family's electronic signature of a version of the plan: agreed, or changes asked.
CREATE TABLE plan_signatures (
    id               INTEGER PRIMARY KEY,
    plan_id          INTEGER NOT NULL REFERENCES plans (id),
    version          INTEGER NOT NULL,
    family_access_id INTEGER NOT NULL REFERENCES family_access (id),
    decision         TEXT NOT NULL CHECK (decision IN ('agreed', 'changes_asked')),
    comment          TEXT NOT NULL DEFAULT '',
    signed_at        TEXT NOT NULL,
    signed_by        INTEGER NOT NULL REFERENCES users (id)
);
CREATE INDEX plan_signatures_plan ON plan_signatures (plan_id, version);
CREATE TRIGGER plan_signatures_no_change BEFORE UPDATE ON plan_signatures BEGIN SELECT RAISE(ABORT, 'signatures are never changed'); END;
CREATE TRIGGER plan_signatures_no_delete BEFORE DELETE ON plan_signatures BEGIN SELECT RAISE(ABORT, 'signatures are never deleted'); END;
