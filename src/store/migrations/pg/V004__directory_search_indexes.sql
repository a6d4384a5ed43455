-- Directory search at province scale: a narrow covering index for the filters and counts,
-- so they do not read the wide service rows, and indexes for sorting by name.
CREATE INDEX services_search_filters ON services
    (active, organisation_id, waitlist_status, wait_weeks, age_min, age_max, fls_designated);
CREATE INDEX services_sort_fr ON services (active, sort_name_fr);
CREATE INDEX services_sort_en ON services (active, sort_name_en);
