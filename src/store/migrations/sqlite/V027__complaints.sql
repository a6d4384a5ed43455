-- Complaints and issue resolution (features/complaints, docs/COMPLAINTS.md): the area's register
-- of complaints and conflicts raised by families (from their account or the public form) and by
-- providers, triaged, owned, acknowledged and resolved within the area's deadlines, with an
-- appeal. A complaint moves only through its table (domain::complaint_lifecycle()) by
-- store::fire_transition, each move a row of complaint_events.

-- The area's deadlines, in days: acknowledge from receipt, resolve from receipt, appeal from the
-- resolution (the window to appeal, then the time to decide one). No row: the defaults.
CREATE TABLE complaint_settings (
    sda_id           INTEGER PRIMARY KEY REFERENCES service_delivery_areas (id),
    acknowledge_days INTEGER NOT NULL DEFAULT 3 CHECK (acknowledge_days BETWEEN 1 AND 60),
    resolve_days     INTEGER NOT NULL DEFAULT 30 CHECK (resolve_days BETWEEN 1 AND 365),
    appeal_days      INTEGER NOT NULL DEFAULT 30 CHECK (appeal_days BETWEEN 1 AND 365),
    updated_at       TEXT NOT NULL,
    updated_by       INTEGER REFERENCES users (id)
);

-- Reference "CMP-YYYY-NNNN". raised_by_user: the family account or staff member who raised it
-- (NULL from the public form); raised_by_org: the provider organisation that raised it.
-- severity '' until triaged. Deadlines are days (YYYY-MM-DD); '' when not set.
CREATE TABLE complaints (
    id                    INTEGER PRIMARY KEY,
    sda_id                INTEGER NOT NULL REFERENCES service_delivery_areas (id),
    reference             TEXT NOT NULL UNIQUE,
    kind                  TEXT NOT NULL CHECK (kind IN ('complaint', 'conflict')),
    source                TEXT NOT NULL CHECK (source IN ('public', 'family', 'provider')),
    category              TEXT NOT NULL CHECK (category IN ('access', 'wait_times', 'quality', 'communication',
                                                            'coordination', 'privacy', 'conduct', 'other')),
    severity              TEXT NOT NULL DEFAULT '' CHECK (severity IN ('', 'low', 'medium', 'high', 'critical')),
    about_organisation_id INTEGER REFERENCES organisations (id),
    raised_by_user        INTEGER REFERENCES users (id),
    raised_by_org         INTEGER REFERENCES organisations (id),
    complainant_name      TEXT NOT NULL DEFAULT '',
    complainant_relation  TEXT NOT NULL DEFAULT ''
                          CHECK (complainant_relation IN ('', 'parent', 'youth', 'caregiver', 'professional', 'other')),
    email                 TEXT NOT NULL DEFAULT '',
    phone                 TEXT NOT NULL DEFAULT '',
    preferred_lang        TEXT NOT NULL CHECK (preferred_lang IN ('fr', 'en')),
    description           TEXT NOT NULL,
    desired_outcome       TEXT NOT NULL DEFAULT '',
    owner_user_id         INTEGER REFERENCES users (id),
    status                TEXT NOT NULL DEFAULT 'received'
                          CHECK (status IN ('received', 'triaged', 'acknowledged', 'resolved', 'appealed', 'closed',
                                            'withdrawn')),
    received_at           TEXT NOT NULL,
    acknowledge_due       TEXT NOT NULL,
    resolve_due           TEXT NOT NULL,
    resolution            TEXT NOT NULL DEFAULT '',
    resolved_on           TEXT NOT NULL DEFAULT '',
    appeal_reason         TEXT NOT NULL DEFAULT '',
    appeal_due            TEXT NOT NULL DEFAULT '',
    appeal_decision       TEXT NOT NULL DEFAULT '',
    updated_at            TEXT NOT NULL,
    updated_by            INTEGER REFERENCES users (id)
);
CREATE INDEX complaints_area ON complaints (sda_id, status, id);
CREATE INDEX complaints_owner ON complaints (owner_user_id, status);
CREATE INDEX complaints_raised_by_user ON complaints (raised_by_user, id);
CREATE INDEX complaints_raised_by_org ON complaints (raised_by_org, id);

-- Moves (write_transition) and the rest of what happened: steps taken, owner changes, overdue
-- escalations (event 'step', 'reassign', 'escalate'; status is the complaint's at the time).
CREATE TABLE complaint_events (
    id           INTEGER PRIMARY KEY,
    complaint_id INTEGER NOT NULL REFERENCES complaints (id),
    at           TEXT NOT NULL,
    user_id      INTEGER REFERENCES users (id),
    event        TEXT NOT NULL,
    status       TEXT NOT NULL,
    note         TEXT NOT NULL DEFAULT ''
);
CREATE INDEX complaint_events_complaint ON complaint_events (complaint_id, id);
CREATE INDEX complaint_events_at ON complaint_events (event, at);

-- Two more default indicators over the complaints register's events (features/reporting counts
-- the stream 'complaint', docs/REPORTING.md): complaints received by source, and resolved by
-- kind. Source and kind never change, so a quarter counted again gives the same figures.
INSERT INTO indicators (code, name_fr, name_en, stream, event, breakdown, updated_at) VALUES
    ('complaints_received', 'Plaintes et conflits reçus, selon la provenance', 'Complaints and conflicts received, by source', 'complaint', 'receive', 'source', '2026-12-07T00:00:00Z'),
    ('complaints_resolved', 'Plaintes et conflits résolus, selon le type', 'Complaints and conflicts resolved, by kind', 'complaint', 'resolve', 'kind', '2026-12-07T00:00:00Z');

-- Notifications of complaints (kind 'complaint') and of the network's governance (kind
-- 'governance', until now sent as 'agreement'). SQLite cannot change a CHECK constraint, so the
-- table is copied into one that allows them; its rows and ids are kept.
CREATE TABLE notifications_next (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id),
    kind       TEXT NOT NULL CHECK (kind IN ('assigned', 'referral_new', 'referral_update', 'referral_reminder', 'overdue',
                                             'family', 'agreement', 'governance', 'complaint')),
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
