-- Verbal consent is recorded with the name of its witness (empty for written and electronic
-- consent). The column is part of the consent record as given: the immutability trigger
-- now covers it.
ALTER TABLE consent_directives ADD COLUMN witness_name TEXT NOT NULL DEFAULT '';

CREATE OR REPLACE FUNCTION consent_directives_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF (NEW.id, NEW.person_id, NEW.version, NEW.supersedes_id, NEW.effect, NEW.categories, NEW.purposes, NEW.given_by,
        NEW.given_by_name, NEW.method, NEW.witness_name, NEW.given_at, NEW.expires_at, NEW.created_at, NEW.created_by)
       IS DISTINCT FROM
       (OLD.id, OLD.person_id, OLD.version, OLD.supersedes_id, OLD.effect, OLD.categories, OLD.purposes, OLD.given_by,
        OLD.given_by_name, OLD.method, OLD.witness_name, OLD.given_at, OLD.expires_at, OLD.created_at, OLD.created_by) THEN
        RAISE EXCEPTION 'consent_directives are never edited';
    END IF;
    RETURN NEW;
END;
$$;

-- A lockbox entry may keep the family's reason (optional), also part of the record as given.
ALTER TABLE lockbox_entries ADD COLUMN reason TEXT NOT NULL DEFAULT '';

CREATE OR REPLACE FUNCTION lockbox_entries_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF (NEW.id, NEW.person_id, NEW.organisation_id, NEW.category, NEW.requested_by, NEW.reason, NEW.created_at,
        NEW.created_by)
       IS DISTINCT FROM
       (OLD.id, OLD.person_id, OLD.organisation_id, OLD.category, OLD.requested_by, OLD.reason, OLD.created_at,
        OLD.created_by) THEN
        RAISE EXCEPTION 'lockbox_entries are never edited';
    END IF;
    RETURN NEW;
END;
$$;
