-- Children and youth (people), their family members and file team, and the family's consent
-- directives, lockbox entries and break-the-glass grants (domain/people.hpp, consent.hpp).
-- Personal information is read and written only through store/person_repo.hpp, which asks the
-- policy decision point and audits every access. Nothing is deleted: rows are deactivated,
-- withdrawn, revoked or ended.
CREATE TABLE people (
    id                     INTEGER PRIMARY KEY,
    coordinating_agency_id INTEGER NOT NULL REFERENCES organisations (id),
    sda_id                 INTEGER NOT NULL REFERENCES service_delivery_areas (id),
    given_name             TEXT NOT NULL,
    family_name            TEXT NOT NULL,
    preferred_name         TEXT NOT NULL DEFAULT '',
    date_of_birth          TEXT NOT NULL,
    preferred_language     TEXT NOT NULL DEFAULT '',
    official_language      TEXT NOT NULL CHECK (official_language IN ('fr', 'en')),
    school                 TEXT NOT NULL DEFAULT '',
    phone                  TEXT,
    email                  TEXT,
    address                TEXT NOT NULL DEFAULT '',
    postal_code            TEXT NOT NULL DEFAULT '',
    capable_of_consent     INTEGER NOT NULL DEFAULT 0 CHECK (capable_of_consent IN (0, 1)),
    -- domain::name_key of given and family name (duplicate detection) and the folded words of
    -- all names (" family given preferred ", searched with LIKE '% word%').
    given_key              TEXT NOT NULL,
    family_key             TEXT NOT NULL,
    search_key             TEXT NOT NULL,
    active                 INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at             TEXT NOT NULL,
    created_by             INTEGER REFERENCES users (id),
    updated_at             TEXT NOT NULL,
    updated_by             INTEGER REFERENCES users (id)
);
CREATE INDEX people_agency ON people (coordinating_agency_id, family_key, given_key, id);
CREATE INDEX people_birth ON people (date_of_birth);

CREATE TABLE family_members (
    id                           INTEGER PRIMARY KEY,
    person_id                    INTEGER NOT NULL REFERENCES people (id),
    given_name                   TEXT NOT NULL,
    family_name                  TEXT NOT NULL,
    relationship                 TEXT NOT NULL
        CHECK (relationship IN ('parent', 'guardian', 'substitute_decision_maker', 'other_caregiver')),
    is_substitute_decision_maker INTEGER NOT NULL DEFAULT 0 CHECK (is_substitute_decision_maker IN (0, 1)),
    phone                        TEXT,
    email                        TEXT,
    preferred_language           TEXT NOT NULL DEFAULT '',
    active                       INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at                   TEXT NOT NULL,
    created_by                   INTEGER REFERENCES users (id),
    updated_at                   TEXT NOT NULL,
    updated_by                   INTEGER REFERENCES users (id)
);
CREATE INDEX family_members_person ON family_members (person_id);

-- Who works on the file, for which organisation, from when until when (until_at empty: still).
CREATE TABLE file_team (
    id              INTEGER PRIMARY KEY,
    person_id       INTEGER NOT NULL REFERENCES people (id),
    user_id         INTEGER NOT NULL REFERENCES users (id),
    organisation_id INTEGER NOT NULL REFERENCES organisations (id),
    kind            TEXT NOT NULL CHECK (kind IN ('assigned_coordinator', 'team_member')),
    from_at         TEXT NOT NULL,
    until_at        TEXT,
    created_at      TEXT NOT NULL,
    created_by      INTEGER REFERENCES users (id)
);
CREATE INDEX file_team_person ON file_team (person_id);
CREATE INDEX file_team_user ON file_team (user_id, organisation_id, person_id);

-- A directive is never edited: an amendment is a new row (version + 1, supersedes_id) and the
-- old one is withdrawn. Only withdrawn_at/withdrawn_by and the review fields may change.
CREATE TABLE consent_directives (
    id            INTEGER PRIMARY KEY,
    person_id     INTEGER NOT NULL REFERENCES people (id),
    version       INTEGER NOT NULL DEFAULT 1,
    supersedes_id INTEGER REFERENCES consent_directives (id),
    effect        TEXT NOT NULL CHECK (effect IN ('permit', 'deny')),
    categories    TEXT NOT NULL,  -- space-separated category codes
    purposes      TEXT NOT NULL,  -- space-separated purpose codes
    given_by      TEXT NOT NULL CHECK (given_by IN ('child_youth', 'substitute_decision_maker')),
    given_by_name TEXT NOT NULL,
    method        TEXT NOT NULL CHECK (method IN ('written', 'verbal', 'electronic')),
    given_at      TEXT NOT NULL,
    expires_at    TEXT,
    withdrawn_at  TEXT,
    withdrawn_by  INTEGER REFERENCES users (id),
    reviewed_at   TEXT,
    reviewed_by   INTEGER REFERENCES users (id),
    created_at    TEXT NOT NULL,
    created_by    INTEGER REFERENCES users (id)
);
CREATE INDEX consent_directives_person ON consent_directives (person_id);

CREATE TABLE consent_directive_organisations (
    directive_id    INTEGER NOT NULL REFERENCES consent_directives (id),
    organisation_id INTEGER NOT NULL REFERENCES organisations (id),
    PRIMARY KEY (directive_id, organisation_id)
);

CREATE TABLE lockbox_entries (
    id              INTEGER PRIMARY KEY,
    person_id       INTEGER NOT NULL REFERENCES people (id),
    organisation_id INTEGER NOT NULL REFERENCES organisations (id),
    category        TEXT NOT NULL CHECK (category IN ('identity_contact', 'health', 'education', 'assessments_reports',
                                                      'plan', 'case_notes', 'safety_risk')),
    requested_by    TEXT NOT NULL CHECK (requested_by IN ('child_youth', 'substitute_decision_maker')),
    created_at      TEXT NOT NULL,
    created_by      INTEGER REFERENCES users (id),
    revoked_at      TEXT,
    revoked_by      INTEGER REFERENCES users (id)
);
CREATE INDEX lockbox_entries_person ON lockbox_entries (person_id);

CREATE TABLE break_glass_grants (
    id              INTEGER PRIMARY KEY,
    person_id       INTEGER NOT NULL REFERENCES people (id),
    user_id         INTEGER NOT NULL REFERENCES users (id),
    organisation_id INTEGER NOT NULL REFERENCES organisations (id),
    reason          TEXT NOT NULL,
    granted_at      TEXT NOT NULL,
    expires_at      TEXT NOT NULL,
    reviewed_at     TEXT,
    reviewed_by     INTEGER REFERENCES users (id),
    review_note     TEXT
);
CREATE INDEX break_glass_grants_person ON break_glass_grants (person_id, user_id);
CREATE INDEX break_glass_grants_unreviewed ON break_glass_grants (id) WHERE reviewed_at IS NULL;

-- The consent record is kept as given: no deletes, and only the columns that record a later
-- event (withdrawal, revocation, review) may change.
CREATE TRIGGER consent_directives_no_delete BEFORE DELETE ON consent_directives
BEGIN
    SELECT RAISE(ABORT, 'consent_directives are never deleted');
END;
CREATE TRIGGER consent_directives_immutable BEFORE UPDATE OF id, person_id, version, supersedes_id, effect, categories,
    purposes, given_by, given_by_name, method, given_at, expires_at, created_at, created_by ON consent_directives
BEGIN
    SELECT RAISE(ABORT, 'consent_directives are never edited');
END;
CREATE TRIGGER consent_directive_organisations_no_change BEFORE UPDATE ON consent_directive_organisations
BEGIN
    SELECT RAISE(ABORT, 'consent_directive_organisations are never edited');
END;
CREATE TRIGGER consent_directive_organisations_no_delete BEFORE DELETE ON consent_directive_organisations
BEGIN
    SELECT RAISE(ABORT, 'consent_directive_organisations are never edited');
END;
CREATE TRIGGER lockbox_entries_no_delete BEFORE DELETE ON lockbox_entries
BEGIN
    SELECT RAISE(ABORT, 'lockbox_entries are never deleted');
END;
CREATE TRIGGER lockbox_entries_immutable BEFORE UPDATE OF id, person_id, organisation_id, category, requested_by,
    created_at, created_by ON lockbox_entries
BEGIN
    SELECT RAISE(ABORT, 'lockbox_entries are never edited');
END;
CREATE TRIGGER break_glass_grants_no_delete BEFORE DELETE ON break_glass_grants
BEGIN
    SELECT RAISE(ABORT, 'break_glass_grants are never deleted');
END;
CREATE TRIGGER break_glass_grants_immutable BEFORE UPDATE OF id, person_id, user_id, organisation_id, reason,
    granted_at, expires_at ON break_glass_grants
BEGIN
    SELECT RAISE(ABORT, 'break_glass_grants are never edited');
END;
