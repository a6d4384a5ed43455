-- A notification of what the family did on a file from its own pages (features/family: its
-- consent changed, a concern raised): kind 'family'. SQLite cannot change a CHECK constraint, so
-- the table is copied into one that allows it; its rows and ids are kept.
CREATE TABLE notifications_next (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id),
    kind       TEXT NOT NULL CHECK (kind IN ('assigned', 'referral_new', 'referral_update', 'referral_reminder', 'overdue',
                                             'family')),
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
