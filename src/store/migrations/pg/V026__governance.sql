-- The network's governance (features/governance, docs/GOVERNANCE.md): an area's committees and
-- tables, their member organisations and representatives, meetings with agendas and minutes, the
-- decisions log and the yearly report signed by every member. Meetings, decisions and reports
-- move only through their tables (domain::meeting_lifecycle(), decision_lifecycle(),
-- yearly_report_lifecycle()) by store::fire_transition, each move a row of their events table.
CREATE TABLE committees (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    sda_id     BIGINT NOT NULL REFERENCES service_delivery_areas (id),
    name_fr    TEXT NOT NULL,
    name_en    TEXT NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('steering_group', 'governance_table', 'working_group')),
    mandate    TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    created_by BIGINT REFERENCES users (id),
    updated_at TEXT NOT NULL,
    updated_by BIGINT REFERENCES users (id)
);
CREATE INDEX committees_area ON committees (sda_id, id);

-- A member organisation and its representative; left_on '' while it is a member.
CREATE TABLE committee_members (
    committee_id    BIGINT NOT NULL REFERENCES committees (id),
    organisation_id BIGINT NOT NULL REFERENCES organisations (id),
    representative  TEXT NOT NULL,
    title           TEXT NOT NULL DEFAULT '',
    email           TEXT NOT NULL DEFAULT '',
    joined_on       TEXT NOT NULL,
    left_on         TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (committee_id, organisation_id)
);
CREATE INDEX committee_members_organisation ON committee_members (organisation_id, committee_id);

CREATE TABLE committee_meetings (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    committee_id BIGINT NOT NULL REFERENCES committees (id),
    held_on      TEXT NOT NULL,
    location     TEXT NOT NULL DEFAULT '',
    agenda       TEXT NOT NULL,
    minutes      TEXT NOT NULL DEFAULT '',
    status       TEXT NOT NULL DEFAULT 'scheduled'
                 CHECK (status IN ('scheduled', 'held', 'minutes_approved', 'cancelled')),
    created_at   TEXT NOT NULL,
    created_by   BIGINT REFERENCES users (id),
    updated_at   TEXT NOT NULL,
    updated_by   BIGINT REFERENCES users (id)
);
CREATE INDEX committee_meetings_committee ON committee_meetings (committee_id, held_on);

CREATE TABLE meeting_attendance (
    meeting_id      BIGINT NOT NULL REFERENCES committee_meetings (id),
    organisation_id BIGINT NOT NULL REFERENCES organisations (id),
    PRIMARY KEY (meeting_id, organisation_id)
);

CREATE TABLE meeting_events (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    meeting_id BIGINT NOT NULL REFERENCES committee_meetings (id),
    at         TEXT NOT NULL,
    user_id    BIGINT REFERENCES users (id),
    event      TEXT NOT NULL,
    status     TEXT NOT NULL,
    note       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX meeting_events_meeting ON meeting_events (meeting_id, id);

-- The decisions log: reference "DEC-YYYY-NNNN", the follow-up owner (a member organisation) and
-- its due date.
CREATE TABLE governance_decisions (
    id                    BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    committee_id          BIGINT NOT NULL REFERENCES committees (id),
    meeting_id            BIGINT REFERENCES committee_meetings (id),
    reference             TEXT NOT NULL UNIQUE,
    decided_on            TEXT NOT NULL,
    decision              TEXT NOT NULL,
    decided_by            TEXT NOT NULL,
    owner_organisation_id BIGINT NOT NULL REFERENCES organisations (id),
    owner_person          TEXT NOT NULL DEFAULT '',
    due_on                TEXT NOT NULL,
    status                TEXT NOT NULL DEFAULT 'open'
                          CHECK (status IN ('open', 'in_progress', 'done', 'cancelled')),
    created_at            TEXT NOT NULL,
    created_by            BIGINT REFERENCES users (id),
    updated_at            TEXT NOT NULL,
    updated_by            BIGINT REFERENCES users (id),
    CHECK (due_on >= decided_on)
);
CREATE INDEX governance_decisions_committee ON governance_decisions (committee_id, due_on);
CREATE INDEX governance_decisions_owner ON governance_decisions (owner_organisation_id, due_on);
CREATE INDEX governance_decisions_due ON governance_decisions (status, due_on);

-- Its moves and its follow-up notes (event 'follow_up', the status unchanged).
CREATE TABLE decision_events (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    decision_id BIGINT NOT NULL REFERENCES governance_decisions (id),
    at          TEXT NOT NULL,
    user_id     BIGINT REFERENCES users (id),
    event       TEXT NOT NULL,
    status      TEXT NOT NULL,
    note        TEXT NOT NULL DEFAULT ''
);
CREATE INDEX decision_events_decision ON decision_events (decision_id, id);

-- The yearly report to the ministry's regional office: its sections, the figures counted when it
-- was circulated, and the digest (BLAKE2b-256 of domain::yearly_report_canonical) every member
-- signs.
CREATE TABLE yearly_reports (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    committee_id   BIGINT NOT NULL REFERENCES committees (id),
    year           INTEGER NOT NULL,
    activities     TEXT NOT NULL,
    achievements   TEXT NOT NULL DEFAULT '',
    challenges     TEXT NOT NULL DEFAULT '',
    priorities     TEXT NOT NULL DEFAULT '',
    members        INTEGER NOT NULL DEFAULT 0,
    meetings_held  INTEGER NOT NULL DEFAULT 0,
    decisions_made INTEGER NOT NULL DEFAULT 0,
    decisions_done INTEGER NOT NULL DEFAULT 0,
    decisions_open INTEGER NOT NULL DEFAULT 0,
    digest         TEXT NOT NULL DEFAULT '',
    status         TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'circulating', 'submitted')),
    version        INTEGER NOT NULL DEFAULT 1,
    created_at     TEXT NOT NULL,
    created_by     BIGINT REFERENCES users (id),
    updated_at     TEXT NOT NULL,
    updated_by     BIGINT REFERENCES users (id),
    UNIQUE (committee_id, year)
);

-- Who must sign (every member when circulated) and who did: signed_at '' until signed.
CREATE TABLE yearly_report_signatures (
    report_id       BIGINT NOT NULL REFERENCES yearly_reports (id),
    organisation_id BIGINT NOT NULL REFERENCES organisations (id),
    user_id         BIGINT REFERENCES users (id),
    signed_at       TEXT NOT NULL DEFAULT '',
    digest          TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (report_id, organisation_id)
);

CREATE TABLE yearly_report_events (
    id        BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    report_id BIGINT NOT NULL REFERENCES yearly_reports (id),
    at        TEXT NOT NULL,
    user_id   BIGINT REFERENCES users (id),
    event     TEXT NOT NULL,
    status    TEXT NOT NULL,
    note      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX yearly_report_events_report ON yearly_report_events (report_id, id);
