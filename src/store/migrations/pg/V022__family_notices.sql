-- A notification of what the family did on a file from its own pages (features/family: its
-- consent changed, a concern raised): kind 'family'.
ALTER TABLE notifications DROP CONSTRAINT notifications_kind_check;
ALTER TABLE notifications ADD CONSTRAINT notifications_kind_check
    CHECK (kind IN ('assigned', 'referral_new', 'referral_update', 'referral_reminder', 'overdue', 'family'));
