-- Verbal consent is recorded with the name of its witness (empty for written and electronic
-- consent). The column is part of the consent record as given: the immutability trigger
-- now covers it.
ALTER TABLE consent_directives ADD COLUMN witness_name TEXT NOT NULL DEFAULT '';

DROP TRIGGER consent_directives_immutable;
CREATE TRIGGER consent_directives_immutable BEFORE UPDATE OF id, person_id, version, supersedes_id, effect, categories,
    purposes, given_by, given_by_name, method, witness_name, given_at, expires_at, created_at, created_by ON consent_directives
BEGIN
    SELECT RAISE(ABORT, 'consent_directives are never edited');
END;

-- A lockbox entry may keep the family's reason (optional), also part of the record as given.
ALTER TABLE lockbox_entries ADD COLUMN reason TEXT NOT NULL DEFAULT '';

DROP TRIGGER lockbox_entries_immutable;
CREATE TRIGGER lockbox_entries_immutable BEFORE UPDATE OF id, person_id, organisation_id, category, requested_by, reason,
    created_at, created_by ON lockbox_entries
BEGIN
    SELECT RAISE(ABORT, 'lockbox_entries are never edited');
END;
