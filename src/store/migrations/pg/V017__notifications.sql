-- Notifications (features/notification, docs/NOTIFICATIONS.md): each user's in-app inbox, and
-- whether they want each one by email too. The text is kept in both languages as written when
-- the event happened; it names no child (a reference, organisations, a status, a due item).
-- dedupe_key names a job's occasion (a reminder, an overdue item): one row per user and key.
ALTER TABLE users ADD COLUMN email_notifications INTEGER NOT NULL DEFAULT 1 CHECK (email_notifications IN (0, 1));

CREATE TABLE notifications (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users (id),
    kind       TEXT NOT NULL CHECK (kind IN ('assigned', 'referral_new', 'referral_update', 'referral_reminder', 'overdue')),
    reference  TEXT NOT NULL,
    text_fr    TEXT NOT NULL,
    text_en    TEXT NOT NULL,
    link       TEXT NOT NULL CHECK (substr(link, 1, 1) = '/'),
    dedupe_key TEXT,
    created_at TEXT NOT NULL,
    read_at    TEXT,
    UNIQUE (user_id, dedupe_key)
);
CREATE INDEX notifications_inbox ON notifications (user_id, id);
CREATE INDEX notifications_unread ON notifications (user_id) WHERE read_at IS NULL;
