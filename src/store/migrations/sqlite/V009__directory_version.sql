-- A counter that moves whenever anything the public search reads changes: the search rows,
-- the indexed text (and so the full-text statistics), categories, languages and taxonomy
-- codes. The in-memory search index (store/search_index.hpp) is labelled with the value it
-- was built from and is used only by a transaction that reads the same value, so it never
-- answers from older data than the database holds. Triggers keep it, so no write path can
-- forget to.
CREATE TABLE directory_version (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    version INTEGER NOT NULL
);
INSERT INTO directory_version (id, version) VALUES (1, 1);

CREATE TRIGGER directory_version_search_insert AFTER INSERT ON service_search BEGIN
    UPDATE directory_version SET version = version + 1 WHERE id = 1;
END;
CREATE TRIGGER directory_version_search_update AFTER UPDATE ON service_search BEGIN
    UPDATE directory_version SET version = version + 1 WHERE id = 1;
END;
CREATE TRIGGER directory_version_search_delete AFTER DELETE ON service_search BEGIN
    UPDATE directory_version SET version = version + 1 WHERE id = 1;
END;
CREATE TRIGGER directory_version_text_insert AFTER INSERT ON services BEGIN
    UPDATE directory_version SET version = version + 1 WHERE id = 1;
END;
CREATE TRIGGER directory_version_text_update AFTER UPDATE OF search_text ON services BEGIN
    UPDATE directory_version SET version = version + 1 WHERE id = 1;
END;
CREATE TRIGGER directory_version_category_insert AFTER INSERT ON service_categories BEGIN
    UPDATE directory_version SET version = version + 1 WHERE id = 1;
END;
CREATE TRIGGER directory_version_category_update AFTER UPDATE ON service_categories BEGIN
    UPDATE directory_version SET version = version + 1 WHERE id = 1;
END;
CREATE TRIGGER directory_version_category_delete AFTER DELETE ON service_categories BEGIN
    UPDATE directory_version SET version = version + 1 WHERE id = 1;
END;
CREATE TRIGGER directory_version_language_insert AFTER INSERT ON service_languages BEGIN
    UPDATE directory_version SET version = version + 1 WHERE id = 1;
END;
CREATE TRIGGER directory_version_language_update AFTER UPDATE ON service_languages BEGIN
    UPDATE directory_version SET version = version + 1 WHERE id = 1;
END;
CREATE TRIGGER directory_version_language_delete AFTER DELETE ON service_languages BEGIN
    UPDATE directory_version SET version = version + 1 WHERE id = 1;
END;
CREATE TRIGGER directory_version_term_insert AFTER INSERT ON taxonomy_terms BEGIN
    UPDATE directory_version SET version = version + 1 WHERE id = 1;
END;
CREATE TRIGGER directory_version_term_update AFTER UPDATE OF code ON taxonomy_terms BEGIN
    UPDATE directory_version SET version = version + 1 WHERE id = 1;
END;
