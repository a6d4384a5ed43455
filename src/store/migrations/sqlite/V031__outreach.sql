-- Outreach and knowledge sharing (features/network, docs/NETWORK.md "Outreach and knowledge
-- sharing"): what the coordinating agency and its providers did to make the network known and to
-- share what they know, each activity logged once in its area, in the language it was given in.
-- organisation_id is the organisation its recorder acted for (whose activity it is); the
-- organisations involved are listed in outreach_organisations.
CREATE TABLE outreach_activities (
    id              INTEGER PRIMARY KEY,
    sda_id          INTEGER NOT NULL REFERENCES service_delivery_areas (id),
    organisation_id INTEGER NOT NULL REFERENCES organisations (id),
    kind            TEXT NOT NULL CHECK (kind IN ('family_session', 'referrer_presentation', 'community_event', 'webinar',
                                                  'community_of_practice', 'publication', 'other')),
    title           TEXT NOT NULL,
    lang            TEXT NOT NULL CHECK (lang IN ('fr', 'en', 'both')),
    held_on         TEXT NOT NULL,
    people_reached  INTEGER CHECK (people_reached IS NULL OR people_reached BETWEEN 0 AND 100000),
    summary         TEXT NOT NULL,
    follow_up       TEXT NOT NULL DEFAULT '',
    version         INTEGER NOT NULL DEFAULT 1,
    created_at      TEXT NOT NULL,
    created_by      INTEGER REFERENCES users (id),
    updated_at      TEXT NOT NULL,
    updated_by      INTEGER REFERENCES users (id)
);
CREATE INDEX outreach_activities_area ON outreach_activities (sda_id, held_on);

-- Whom each activity reached: one or more audiences.
CREATE TABLE outreach_audiences (
    activity_id INTEGER NOT NULL REFERENCES outreach_activities (id),
    audience    TEXT NOT NULL CHECK (audience IN ('families', 'referring_agencies', 'schools', 'health', 'community',
                                                  'providers')),
    PRIMARY KEY (activity_id, audience)
);

-- The organisations involved in each activity (one to forty).
CREATE TABLE outreach_organisations (
    activity_id     INTEGER NOT NULL REFERENCES outreach_activities (id),
    organisation_id INTEGER NOT NULL REFERENCES organisations (id),
    PRIMARY KEY (activity_id, organisation_id)
);
CREATE INDEX outreach_organisations_organisation ON outreach_organisations (organisation_id, activity_id);
