-- Status changes are transitions of a lifecycle table (domain/lifecycle.hpp), written by
-- store::write_transition with an event row in the same transaction. A referral's event rows
-- gain the event's name (rows written before have none, but a referral's receipt); privacy
-- requests and breaches get event tables of their own.
ALTER TABLE referral_events ADD COLUMN event TEXT;
UPDATE referral_events SET event = 'receive' WHERE status = 'received';

CREATE TABLE privacy_request_events (
    id         INTEGER PRIMARY KEY,
    request_id INTEGER NOT NULL REFERENCES privacy_requests (id),
    at         TEXT NOT NULL,
    user_id    INTEGER REFERENCES users (id),
    event      TEXT NOT NULL,
    status     TEXT NOT NULL,
    note       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX privacy_request_events_request ON privacy_request_events (request_id, id);

CREATE TABLE privacy_breach_events (
    id        INTEGER PRIMARY KEY,
    breach_id INTEGER NOT NULL REFERENCES privacy_breaches (id),
    at        TEXT NOT NULL,
    user_id   INTEGER REFERENCES users (id),
    event     TEXT NOT NULL,
    status    TEXT NOT NULL,
    note      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX privacy_breach_events_breach ON privacy_breach_events (breach_id, id);
