-- The library of common tools and forms (features/network, docs/NETWORK.md "The library of common
-- tools and forms"): the forms, guides, checklists, assessment tools and templates the
-- coordinating agency keeps for its area, a file per language, and each provider's adoption of
-- the mandatory ones. Where a provider stands is computed when read.
-- version_label: the current version's label ("2026-1"), set on version_set_on (YYYY-MM-DD);
-- version: the record's, for changes made from the version a form was shown with.
CREATE TABLE tools (
    id             INTEGER PRIMARY KEY,
    sda_id         INTEGER NOT NULL REFERENCES service_delivery_areas (id),
    title_fr       TEXT NOT NULL,
    title_en       TEXT NOT NULL,
    description_fr TEXT NOT NULL DEFAULT '',
    description_en TEXT NOT NULL DEFAULT '',
    kind           TEXT NOT NULL CHECK (kind IN ('form', 'guide', 'checklist', 'assessment_tool', 'template', 'other')),
    mandatory      INTEGER NOT NULL DEFAULT 0 CHECK (mandatory IN (0, 1)),
    version_label  TEXT NOT NULL,
    version_set_on TEXT NOT NULL,
    retired        INTEGER NOT NULL DEFAULT 0 CHECK (retired IN (0, 1)),
    version        INTEGER NOT NULL DEFAULT 1,
    created_at     TEXT NOT NULL,
    created_by     INTEGER REFERENCES users (id),
    updated_at     TEXT NOT NULL,
    updated_by     INTEGER REFERENCES users (id)
);
CREATE INDEX tools_area ON tools (sda_id, retired);

-- A tool's file in one language (a new one replaces it): checked when uploaded as the agreements'
-- documents are (size, name, type, content matching its type: domain::validate(DocumentUpload)),
-- kept here, in the database, and given back only as a download.
-- content: the bytes in base64url (no padding); checksum: BLAKE2b-256 of the bytes, hex;
-- version_label: the tool's when the file was uploaded.
CREATE TABLE tool_files (
    tool_id       INTEGER NOT NULL REFERENCES tools (id),
    lang          TEXT NOT NULL CHECK (lang IN ('fr', 'en')),
    filename      TEXT NOT NULL,
    content_type  TEXT NOT NULL,
    size          INTEGER NOT NULL,
    checksum      TEXT NOT NULL,
    content       TEXT NOT NULL,
    version_label TEXT NOT NULL,
    uploaded_at   TEXT NOT NULL,
    uploaded_by   INTEGER REFERENCES users (id),
    PRIMARY KEY (tool_id, lang)
);

-- A provider's confirmation that it uses a version of a mandatory tool, by its manager: one row
-- per version adopted (a new version label leaves the earlier rows as they are).
CREATE TABLE tool_adoptions (
    tool_id         INTEGER NOT NULL REFERENCES tools (id),
    organisation_id INTEGER NOT NULL REFERENCES organisations (id),
    version_label   TEXT NOT NULL,
    adopted_on      TEXT NOT NULL,
    adopted_by      INTEGER REFERENCES users (id),
    PRIMARY KEY (tool_id, organisation_id, version_label)
);
CREATE INDEX tool_adoptions_organisation ON tool_adoptions (organisation_id, tool_id);
