-- Referrals (domain/referral.hpp, store/referral_repo.hpp): the referral form routed by a
-- referral pathway to the organisation that takes it, and its closed loop (accepted, declined
-- with a reason and a warm referral, completed). A referral holds personal information: only
-- ReferralRepo reads or writes it, deciding and auditing each access. Nothing is deleted.
CREATE TABLE referrals (
    id                       INTEGER PRIMARY KEY,
    reference                TEXT NOT NULL UNIQUE,
    sda_id                   INTEGER NOT NULL REFERENCES service_delivery_areas (id),
    pathway_id               INTEGER NOT NULL REFERENCES referral_pathways (id),
    organisation_id          INTEGER NOT NULL REFERENCES organisations (id),  -- receiving
    service_id               INTEGER REFERENCES services (id),
    previous_id              INTEGER REFERENCES referrals (id),  -- the declined referral this one continues
    person_id                INTEGER REFERENCES people (id),  -- the file opened from it, once registered
    source                   TEXT NOT NULL CHECK (source IN ('youth', 'family', 'professional', 'warm_referral')),
    referrer_user_id         INTEGER REFERENCES users (id),
    referrer_organisation_id INTEGER REFERENCES organisations (id),
    referrer_name            TEXT NOT NULL DEFAULT '',
    referrer_organisation    TEXT NOT NULL DEFAULT '',
    referrer_phone           TEXT,
    referrer_email           TEXT,
    given_name               TEXT NOT NULL,
    family_name              TEXT NOT NULL,
    search_key               TEXT NOT NULL DEFAULT '',  -- domain::search_key of the names (inbox search)
    date_of_birth            TEXT NOT NULL,
    official_language        TEXT NOT NULL CHECK (official_language IN ('fr', 'en')),
    preferred_language       TEXT NOT NULL DEFAULT '',
    contact_given_name       TEXT NOT NULL,
    contact_family_name      TEXT NOT NULL,
    contact_relationship     TEXT NOT NULL,
    contact_phone            TEXT,
    contact_email            TEXT,
    needs                    TEXT NOT NULL,
    consent_given_by         TEXT NOT NULL CHECK (consent_given_by IN ('child_youth', 'substitute_decision_maker')),
    consent_method           TEXT NOT NULL CHECK (consent_method IN ('written', 'verbal', 'electronic')),
    status                   TEXT NOT NULL DEFAULT 'received' CHECK (status IN ('received', 'accepted', 'declined', 'completed')),
    decline_reason           TEXT,
    warm_referral_id         INTEGER REFERENCES referrals (id),
    received_at              TEXT NOT NULL,
    updated_at               TEXT NOT NULL,
    CHECK (status <> 'declined' OR decline_reason IS NOT NULL)
);
CREATE INDEX referrals_inbox ON referrals (organisation_id, status, received_at);
CREATE INDEX referrals_sent ON referrals (referrer_user_id, received_at);

-- The closed loop's history: one row per status, with who moved it and their note.
CREATE TABLE referral_events (
    id          INTEGER PRIMARY KEY,
    referral_id INTEGER NOT NULL REFERENCES referrals (id),
    at          TEXT NOT NULL,
    user_id     INTEGER REFERENCES users (id),
    status      TEXT NOT NULL,
    note        TEXT NOT NULL DEFAULT ''
);
CREATE INDEX referral_events_referral ON referral_events (referral_id, id);

CREATE TRIGGER referrals_no_delete BEFORE DELETE ON referrals
BEGIN
    SELECT RAISE(ABORT, 'referrals are never deleted');
END;

-- Sends from the public form, to stop a flood from one address (a keyed hash: the address is
-- not kept). Rows older than the throttle window are removed as new ones arrive.
CREATE TABLE referral_form_sends (
    id           INTEGER PRIMARY KEY,
    address_hash TEXT NOT NULL,
    at           TEXT NOT NULL
);
CREATE INDEX referral_form_sends_address ON referral_form_sends (address_hash, at);
CREATE INDEX referral_form_sends_at ON referral_form_sends (at);

-- An access to a referral is audited with its id: before intake, a referral has no file.
ALTER TABLE audit_events ADD COLUMN referral_id INTEGER;
CREATE INDEX audit_events_referral ON audit_events (referral_id, id) WHERE referral_id IS NOT NULL;
