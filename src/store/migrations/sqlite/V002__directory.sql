-- Service directory: taxonomy, services and their locations, languages and categories,
-- waitlists and their history, referral pathways; full-text search (FTS5).
CREATE TABLE taxonomy_terms (
    id          INTEGER PRIMARY KEY,
    code        TEXT NOT NULL UNIQUE,
    name_fr     TEXT NOT NULL,
    name_en     TEXT NOT NULL,
    keywords_fr TEXT NOT NULL DEFAULT '',
    keywords_en TEXT NOT NULL DEFAULT '',
    sort_order  INTEGER NOT NULL DEFAULT 0,
    active      INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1))
);

-- The seeded taxonomy: stable codes, bilingual names, and keywords (synonyms) that are
-- indexed with every service of the category.
INSERT INTO taxonomy_terms (code, name_fr, name_en, keywords_fr, keywords_en, sort_order) VALUES
    ('mental_health', 'Santé mentale', 'Mental health',
     'counseling psychothérapie psychologue anxiété dépression bien-être émotionnel',
     'counselling psychotherapy psychologist anxiety depression emotional wellbeing', 10),
    ('speech_language', 'Orthophonie et langage', 'Speech and language',
     'orthophoniste parole langage communication bégaiement',
     'speech therapist speech-language pathologist communication stuttering', 20),
    ('autism', 'Services en autisme', 'Autism services',
     'autisme TSA trouble du spectre de l''autisme intervention comportementale',
     'autism ASD autism spectrum disorder applied behaviour analysis ABA', 30),
    ('respite', 'Répit', 'Respite',
     'répit familial relève gardiennage spécialisé',
     'family respite relief care', 40),
    ('developmental', 'Services aux personnes ayant une déficience intellectuelle', 'Developmental services',
     'déficience intellectuelle retard global de développement',
     'developmental disability intellectual disability developmental delay', 50),
    ('rehabilitation', 'Réadaptation', 'Rehabilitation',
     'physiothérapie ergothérapie physiothérapeute ergothérapeute motricité',
     'physiotherapy occupational therapy physiotherapist mobility', 60),
    ('education_supports', 'Soutien scolaire', 'Education supports',
     'école éducation spécialisée enseignement ressource apprentissage',
     'school special education learning support', 70),
    ('recreation', 'Loisirs', 'Recreation',
     'loisirs sports camp activités adaptées',
     'recreation sports camp adapted activities', 80),
    ('housing', 'Logement', 'Housing',
     'logement hébergement itinérance',
     'housing shelter homelessness', 90),
    ('food', 'Alimentation', 'Food',
     'banque alimentaire repas nutrition',
     'food bank meals nutrition', 100),
    ('parenting', 'Soutien parental', 'Parenting support',
     'parents familles ateliers parentalité aidants',
     'parents families workshops caregivers', 110),
    ('health_care', 'Soins de santé et soins complexes', 'Health and complex care',
     'médecin infirmière soins à domicile soins complexes',
     'doctor nurse home care medical complexity', 120),
    ('crisis', 'Intervention de crise', 'Crisis support',
     'urgence crise ligne d''écoute',
     'emergency crisis distress line', 130),
    ('transition', 'Transition à l''âge adulte', 'Transition to adulthood',
     'jeunes adultes emploi services aux adultes',
     'young adults employment adult services', 140);

-- A program or service of an organisation. Text shown to the public is bilingual.
CREATE TABLE services (
    id                   INTEGER PRIMARY KEY,
    organisation_id      INTEGER NOT NULL REFERENCES organisations (id),
    name_fr              TEXT NOT NULL,
    name_en              TEXT NOT NULL,
    -- Folded names ("ecole..."), so sorting by name is the same on both databases.
    sort_name_fr         TEXT NOT NULL,
    sort_name_en         TEXT NOT NULL,
    description_fr       TEXT NOT NULL,
    description_en       TEXT NOT NULL,
    eligibility_fr       TEXT NOT NULL DEFAULT '',
    eligibility_en       TEXT NOT NULL DEFAULT '',
    age_min              INTEGER CHECK (age_min BETWEEN 0 AND 120),
    age_max              INTEGER CHECK (age_max BETWEEN 0 AND 120),
    area_served_fr       TEXT NOT NULL DEFAULT '',
    area_served_en       TEXT NOT NULL DEFAULT '',
    access_fr            TEXT NOT NULL DEFAULT '',
    access_en            TEXT NOT NULL DEFAULT '',
    intake_fr            TEXT NOT NULL DEFAULT '',
    intake_en            TEXT NOT NULL DEFAULT '',
    fees_fr              TEXT NOT NULL DEFAULT '',
    fees_en              TEXT NOT NULL DEFAULT '',
    fls_designated       INTEGER NOT NULL DEFAULT 0 CHECK (fls_designated IN (0, 1)),
    contact_name         TEXT NOT NULL DEFAULT '',
    email                TEXT NOT NULL DEFAULT '',
    phone                TEXT NOT NULL DEFAULT '',
    website              TEXT NOT NULL DEFAULT '',
    waitlist_status      TEXT NOT NULL CHECK (waitlist_status IN ('open', 'waitlist', 'closed')),
    wait_weeks           INTEGER CHECK (wait_weeks BETWEEN 1 AND 260),
    waitlist_updated_at  TEXT NOT NULL,
    waitlist_reminded_at TEXT,
    -- Stems of every searchable word in both languages (domain/search_text.hpp).
    search_text          TEXT NOT NULL DEFAULT '',
    active               INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at           TEXT NOT NULL,
    updated_at           TEXT NOT NULL,
    CHECK ((waitlist_status = 'waitlist' AND wait_weeks IS NOT NULL) OR
           (waitlist_status <> 'waitlist' AND wait_weeks IS NULL)),
    CHECK (age_min IS NULL OR age_max IS NULL OR age_min <= age_max)
);
CREATE INDEX services_organisation ON services (organisation_id);

CREATE TABLE service_categories (
    service_id INTEGER NOT NULL REFERENCES services (id),
    term_id    INTEGER NOT NULL REFERENCES taxonomy_terms (id),
    PRIMARY KEY (service_id, term_id)
);
CREATE INDEX service_categories_term ON service_categories (term_id);

CREATE TABLE service_languages (
    service_id INTEGER NOT NULL REFERENCES services (id),
    language   TEXT NOT NULL,
    PRIMARY KEY (service_id, language)
);
CREATE INDEX service_languages_language ON service_languages (language);

-- Locations are the organisations' sites (V001); this adds what the directory shows about
-- them.
CREATE TABLE location_details (
    site_id          INTEGER PRIMARY KEY REFERENCES sites (id),
    phone            TEXT NOT NULL DEFAULT '',
    hours_fr         TEXT NOT NULL DEFAULT '',
    hours_en         TEXT NOT NULL DEFAULT '',
    accessibility_fr TEXT NOT NULL DEFAULT '',
    accessibility_en TEXT NOT NULL DEFAULT '',
    step_free_access INTEGER NOT NULL DEFAULT 0 CHECK (step_free_access IN (0, 1)),
    updated_at       TEXT NOT NULL
);

CREATE TABLE service_locations (
    service_id INTEGER NOT NULL REFERENCES services (id),
    site_id    INTEGER NOT NULL REFERENCES sites (id),
    PRIMARY KEY (service_id, site_id)
);
CREATE INDEX service_locations_site ON service_locations (site_id);

-- Every waitlist confirmation or change, for wait-time indicators.
CREATE TABLE waitlist_updates (
    id          INTEGER PRIMARY KEY,
    service_id  INTEGER NOT NULL REFERENCES services (id),
    status      TEXT NOT NULL CHECK (status IN ('open', 'waitlist', 'closed')),
    wait_weeks  INTEGER,
    recorded_at TEXT NOT NULL,
    user_id     INTEGER REFERENCES users (id)
);
CREATE INDEX waitlist_updates_service ON waitlist_updates (service_id, recorded_at);

-- For a need (taxonomy term) or a sector, in one SDA: the service or organisation to go
-- through and the access mechanism.
CREATE TABLE referral_pathways (
    id              INTEGER PRIMARY KEY,
    sda_id          INTEGER NOT NULL REFERENCES service_delivery_areas (id),
    term_id         INTEGER REFERENCES taxonomy_terms (id),
    sector          TEXT,
    mechanism       TEXT NOT NULL CHECK (mechanism IN ('single_window', 'direct_intake', 'professional_referral')),
    service_id      INTEGER REFERENCES services (id),
    organisation_id INTEGER REFERENCES organisations (id),
    notes_fr        TEXT NOT NULL DEFAULT '',
    notes_en        TEXT NOT NULL DEFAULT '',
    active          INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    CHECK (term_id IS NOT NULL OR sector IS NOT NULL),
    CHECK (service_id IS NOT NULL OR organisation_id IS NOT NULL)
);
CREATE INDEX referral_pathways_sda ON referral_pathways (sda_id);

-- Full-text search over services.search_text, kept in step by triggers; ranked with bm25().
-- The text is already folded and stemmed, so the plain ASCII tokenizer is enough.
CREATE VIRTUAL TABLE service_fts USING fts5 (search_text, tokenize = 'ascii');
CREATE TRIGGER services_fts_insert AFTER INSERT ON services BEGIN
    INSERT INTO service_fts (rowid, search_text) VALUES (new.id, new.search_text);
END;
CREATE TRIGGER services_fts_update AFTER UPDATE OF search_text ON services BEGIN
    UPDATE service_fts SET search_text = new.search_text WHERE rowid = new.id;
END;
