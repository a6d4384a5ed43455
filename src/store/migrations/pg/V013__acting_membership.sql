-- The membership a user acts under for the session (domain::acting_grant): chosen at sign-in or
-- from the header by users with several memberships; empty means the rule's default.
ALTER TABLE sessions ADD COLUMN acting_organisation_id BIGINT;
ALTER TABLE sessions ADD COLUMN acting_role TEXT;
