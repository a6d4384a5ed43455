-- The closed loop of every referral (features/referral): inbound referrals (the public form, a
-- professional, a warm referral) and outbound ones, sent from a child's file to a service found
-- in the directory, are one record with one lifecycle (domain::referral_lifecycle), whose
-- states are those of the HL7 SDOH closed loop: requested, received, accepted, declined,
-- waitlisted, in_progress, completed, cancelled.
--
-- An outbound referral (source 'file') has a file and no pathway; it records what the family
-- consented to share with the receiving organisation (shared_categories: category codes,
-- comma-separated), its expected date while waitlisted, and when the reminder that it was not
-- answered in time was raised.
ALTER TABLE referrals ADD COLUMN shared_categories TEXT NOT NULL DEFAULT '';
ALTER TABLE referrals ADD COLUMN expected_date TEXT;
ALTER TABLE referrals ADD COLUMN reminded_at TEXT;

-- SQLite cannot alter a column's constraints, and rebuilding the table would orphan the rows
-- that name it (foreign keys cannot be switched off inside the migration's transaction). The
-- constraints are widened in place instead, as sqlite.org/lang_altertable.html describes for
-- loosening CHECK and NOT NULL constraints: the stored definition is rewritten with the same
-- columns in the same order (the rows on disk do not change), and the connection reloads it.
-- The checks it adds hold for every existing row (none is waitlisted or from a file, and every
-- one has a pathway); the other connections reload the schema on the index created below.
PRAGMA writable_schema = ON;
UPDATE sqlite_schema SET sql = 'CREATE TABLE referrals (
    id                       INTEGER PRIMARY KEY,
    reference                TEXT NOT NULL UNIQUE,
    sda_id                   INTEGER NOT NULL REFERENCES service_delivery_areas (id),
    pathway_id               INTEGER REFERENCES referral_pathways (id),
    organisation_id          INTEGER NOT NULL REFERENCES organisations (id),
    service_id               INTEGER REFERENCES services (id),
    previous_id              INTEGER REFERENCES referrals (id),
    person_id                INTEGER REFERENCES people (id),
    source                   TEXT NOT NULL CHECK (source IN (''youth'', ''family'', ''professional'', ''warm_referral'', ''phone'', ''file'')),
    referrer_user_id         INTEGER REFERENCES users (id),
    referrer_organisation_id INTEGER REFERENCES organisations (id),
    referrer_name            TEXT NOT NULL DEFAULT '''',
    referrer_organisation    TEXT NOT NULL DEFAULT '''',
    referrer_phone           TEXT,
    referrer_email           TEXT,
    given_name               TEXT NOT NULL,
    family_name              TEXT NOT NULL,
    search_key               TEXT NOT NULL DEFAULT '''',
    date_of_birth            TEXT NOT NULL,
    official_language        TEXT NOT NULL CHECK (official_language IN (''fr'', ''en'')),
    preferred_language       TEXT NOT NULL DEFAULT '''',
    contact_given_name       TEXT NOT NULL,
    contact_family_name      TEXT NOT NULL,
    contact_relationship     TEXT NOT NULL,
    contact_phone            TEXT,
    contact_email            TEXT,
    needs                    TEXT NOT NULL,
    consent_given_by         TEXT NOT NULL CHECK (consent_given_by IN (''child_youth'', ''substitute_decision_maker'')),
    consent_method           TEXT NOT NULL CHECK (consent_method IN (''written'', ''verbal'', ''electronic'')),
    status                   TEXT NOT NULL DEFAULT ''received'' CHECK (status IN (''requested'', ''received'', ''accepted'', ''declined'', ''waitlisted'', ''in_progress'', ''completed'', ''cancelled'')),
    decline_reason           TEXT,
    warm_referral_id         INTEGER REFERENCES referrals (id),
    received_at              TEXT NOT NULL,
    updated_at               TEXT NOT NULL,
    shared_categories        TEXT NOT NULL DEFAULT '''',
    expected_date            TEXT,
    reminded_at              TEXT,
    CHECK (status <> ''declined'' OR decline_reason IS NOT NULL),
    CHECK (status <> ''waitlisted'' OR expected_date IS NOT NULL),
    CHECK (source <> ''file'' OR person_id IS NOT NULL),
    CHECK (source = ''file'' OR pathway_id IS NOT NULL)
)' WHERE type = 'table' AND name = 'referrals';
PRAGMA writable_schema = RESET;
PRAGMA writable_schema = OFF;

CREATE INDEX referrals_file ON referrals (person_id, received_at) WHERE person_id IS NOT NULL;
CREATE INDEX referrals_unanswered ON referrals (status, received_at) WHERE status IN ('requested', 'received');
