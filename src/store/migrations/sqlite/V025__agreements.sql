-- The agreements registry (features/agreements, docs/AGREEMENTS.md).
--
-- Every formal agreement of an area's network, kept by its coordinating agency: its parties (two
-- or more organisations), its kind and what it covers, its dates, its status (moved only through
-- domain::agreement_lifecycle() by store::fire_transition, each move a row of agreement_events),
-- and the evaluations that follow it up (seed 002: inventory, update or strengthen, evaluate,
-- follow up).
CREATE TABLE agreements (
    id           INTEGER PRIMARY KEY,
    sda_id       INTEGER NOT NULL REFERENCES service_delivery_areas (id),
    reference    TEXT NOT NULL UNIQUE,
    title_fr     TEXT NOT NULL,
    title_en     TEXT NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('csp_provider', 'csp_participant', 'partnership')),
    summary      TEXT NOT NULL DEFAULT '',
    effective_on TEXT NOT NULL,
    expires_on   TEXT NOT NULL DEFAULT '',
    review_due   TEXT NOT NULL,
    status       TEXT NOT NULL DEFAULT 'draft'
                 CHECK (status IN ('draft', 'active', 'under_review', 'renewed', 'expired', 'terminated')),
    version      INTEGER NOT NULL DEFAULT 1,
    created_at   TEXT NOT NULL,
    created_by   INTEGER REFERENCES users (id),
    updated_at   TEXT NOT NULL,
    updated_by   INTEGER REFERENCES users (id),
    CHECK (expires_on = '' OR expires_on > effective_on),
    CHECK (review_due >= effective_on)
);
-- The inventory: an area's agreements (or every area's, for the ministry) in review-date order.
CREATE INDEX agreements_area ON agreements (sda_id, review_due, reference);
CREATE INDEX agreements_review ON agreements (review_due, reference);

CREATE TABLE agreement_parties (
    agreement_id    INTEGER NOT NULL REFERENCES agreements (id),
    organisation_id INTEGER NOT NULL REFERENCES organisations (id),
    PRIMARY KEY (agreement_id, organisation_id)
);
CREATE INDEX agreement_parties_organisation ON agreement_parties (organisation_id, agreement_id);

CREATE TABLE agreement_scopes (
    agreement_id INTEGER NOT NULL REFERENCES agreements (id),
    scope        TEXT NOT NULL,
    PRIMARY KEY (agreement_id, scope)
);

CREATE TABLE agreement_events (
    id           INTEGER PRIMARY KEY,
    agreement_id INTEGER NOT NULL REFERENCES agreements (id),
    at           TEXT NOT NULL,
    user_id      INTEGER REFERENCES users (id),
    event        TEXT NOT NULL,
    status       TEXT NOT NULL,
    note         TEXT NOT NULL DEFAULT ''
);
CREATE INDEX agreement_events_agreement ON agreement_events (agreement_id, id);

CREATE TABLE agreement_evaluations (
    id               INTEGER PRIMARY KEY,
    agreement_id     INTEGER NOT NULL REFERENCES agreements (id),
    evaluated_on     TEXT NOT NULL,
    expected_results TEXT NOT NULL DEFAULT '',
    indicators       TEXT NOT NULL DEFAULT '',
    findings         TEXT NOT NULL,
    adjustments      TEXT NOT NULL DEFAULT '',
    outcome          TEXT NOT NULL
                     CHECK (outcome IN ('keep', 'strengthen', 'renegotiate', 'new_agreement_needed', 'end')),
    next_review_due  TEXT NOT NULL DEFAULT '',
    created_at       TEXT NOT NULL,
    created_by       INTEGER REFERENCES users (id)
);
CREATE INDEX agreement_evaluations_agreement ON agreement_evaluations (agreement_id, evaluated_on);

-- The agreement's files (signed copies, amendments, annexes): checked when uploaded (size, name,
-- type, content matching its type: domain::validate(DocumentUpload)), kept here, in the
-- database, never under a path the server serves as a file; given back only as a download.
-- content: the bytes in base64url (no padding); checksum: BLAKE2b-256 of the bytes, hex.
CREATE TABLE agreement_documents (
    id           INTEGER PRIMARY KEY,
    agreement_id INTEGER NOT NULL REFERENCES agreements (id),
    kind         TEXT NOT NULL CHECK (kind IN ('signed_copy', 'amendment', 'annex', 'other')),
    filename     TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size         INTEGER NOT NULL,
    checksum     TEXT NOT NULL,
    content      TEXT NOT NULL,
    uploaded_at  TEXT NOT NULL,
    uploaded_by  INTEGER REFERENCES users (id)
);
CREATE INDEX agreement_documents_agreement ON agreement_documents (agreement_id, id);

-- The reminders of an agreement's review and expiry (store::raise_agreement_reminders): kind
-- 'agreement'. SQLite cannot change a CHECK constraint, so the table is copied into one that
-- allows it; its rows and ids are kept.
CREATE TABLE notifications_next (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id),
    kind       TEXT NOT NULL CHECK (kind IN ('assigned', 'referral_new', 'referral_update', 'referral_reminder', 'overdue',
                                             'family', 'agreement')),
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
