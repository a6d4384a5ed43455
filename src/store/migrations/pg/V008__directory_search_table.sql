-- Directory search at province scale: a narrow row per service holding exactly what the public
-- search filters and sorts on, so that ranking thousands of full-text matches never reads the
-- wide services rows. Kept in step by DirectoryRepo (refresh_search_row) wherever the search
-- text is recomputed and when a service's waitlist or activity, or its organisation's
-- activity, changes. Categories and languages stay in their link tables (narrow already).
CREATE TABLE service_search (
    service_id     BIGINT PRIMARY KEY REFERENCES services (id),
    -- The service and its organisation are both active: only these are searched.
    public         INTEGER NOT NULL CHECK (public IN (0, 1)),
    sda_id         BIGINT NOT NULL,
    age_min        INTEGER,
    age_max        INTEGER,
    fls_designated INTEGER NOT NULL CHECK (fls_designated IN (0, 1)),
    -- 0 open, 1 on a waitlist, 2 closed; wait_weeks is 0 unless on a waitlist.
    wait_rank      INTEGER NOT NULL CHECK (wait_rank IN (0, 1, 2)),
    wait_weeks     INTEGER NOT NULL,
    sort_name_fr   TEXT NOT NULL,
    sort_name_en   TEXT NOT NULL,
    updated_at     TEXT NOT NULL
);

INSERT INTO service_search (service_id, public, sda_id, age_min, age_max, fls_designated, wait_rank, wait_weeks,
                            sort_name_fr, sort_name_en, updated_at)
SELECT s.id, CASE WHEN s.active = 1 AND o.active = 1 THEN 1 ELSE 0 END, o.sda_id, s.age_min, s.age_max,
       s.fls_designated, CASE s.waitlist_status WHEN 'open' THEN 0 WHEN 'waitlist' THEN 1 ELSE 2 END,
       COALESCE(s.wait_weeks, 0), s.sort_name_fr, s.sort_name_en, s.waitlist_updated_at
FROM services s JOIN organisations o ON o.id = s.organisation_id;

-- Browsing without words reads one of these in order and stops after a page or at the count cap.
CREATE INDEX service_search_name_fr ON service_search (public, sort_name_fr, service_id);
CREATE INDEX service_search_name_en ON service_search (public, sort_name_en, service_id);
CREATE INDEX service_search_wait_fr ON service_search (public, wait_rank, wait_weeks, sort_name_fr, service_id);
CREATE INDEX service_search_wait_en ON service_search (public, wait_rank, wait_weeks, sort_name_en, service_id);
CREATE INDEX service_search_updated ON service_search (public, updated_at DESC, service_id);
CREATE INDEX service_search_sda ON service_search (sda_id, public);

-- The search indexes of V004 on the wide rows are no longer read by the search.
DROP INDEX services_search_filters;
DROP INDEX services_sort_fr;
DROP INDEX services_sort_en;

-- The search text's tsvector, stored (and so kept in step by PostgreSQL) and indexed, instead
-- of recomputing to_tsvector for every match to rank it.
ALTER TABLE services ADD COLUMN search_vector tsvector
    GENERATED ALWAYS AS (to_tsvector('simple', search_text)) STORED;
DROP INDEX services_search;
CREATE INDEX services_search_vector ON services USING GIN (search_vector);
