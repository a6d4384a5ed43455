-- A counter that moves whenever anything the public search reads changes: the search rows,
-- the indexed text, categories, languages and taxonomy codes. The in-memory search index
-- (store/search_index.hpp) is labelled with the value it was built from and is used only by a
-- transaction that reads the same value, so it never answers from older data than the
-- database holds. Triggers keep it, so no write path can forget to.
--
-- The triggers are deferred to commit and bump once per transaction: the counter's row lock is
-- then the last lock a directory-writing transaction takes, held only while it commits, so two
-- such transactions cannot deadlock on it, and a 50,000-service import updates it once.
CREATE TABLE directory_version (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    version BIGINT NOT NULL
);
INSERT INTO directory_version (id, version) VALUES (1, 1);

CREATE FUNCTION directory_version_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('arrimage.directory_bumped', true) IS DISTINCT FROM 'yes' THEN
        PERFORM set_config('arrimage.directory_bumped', 'yes', true);
        UPDATE directory_version SET version = version + 1 WHERE id = 1;
    END IF;
    RETURN NULL;
END $$;

CREATE CONSTRAINT TRIGGER directory_version_search AFTER INSERT OR UPDATE OR DELETE ON service_search
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION directory_version_bump();
CREATE CONSTRAINT TRIGGER directory_version_text_insert AFTER INSERT ON services
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION directory_version_bump();
CREATE CONSTRAINT TRIGGER directory_version_text_update AFTER UPDATE OF search_text ON services
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION directory_version_bump();
CREATE CONSTRAINT TRIGGER directory_version_category AFTER INSERT OR UPDATE OR DELETE ON service_categories
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION directory_version_bump();
CREATE CONSTRAINT TRIGGER directory_version_language AFTER INSERT OR UPDATE OR DELETE ON service_languages
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION directory_version_bump();
CREATE CONSTRAINT TRIGGER directory_version_term AFTER INSERT OR UPDATE OF code ON taxonomy_terms
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION directory_version_bump();
