-- API clients of the FHIR R4 API (features/fhir, docs/FHIR.md): OAuth 2.0 client credentials
-- for a partner's system, acting as one organisation in one role through a service account of
-- its own (a users row without a password, with one membership). Secrets are kept only as
-- argon2id hashes, access tokens only as BLAKE2b hashes. A client moves only through its table
-- (domain::api_client_lifecycle(): active -> revoked) by store::fire_transition.
CREATE TABLE api_clients (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    client_id       TEXT NOT NULL UNIQUE,
    secret_hash     TEXT NOT NULL,
    name            TEXT NOT NULL,
    organisation_id BIGINT NOT NULL REFERENCES organisations (id),
    user_id         BIGINT NOT NULL UNIQUE REFERENCES users (id),
    role            TEXT NOT NULL CHECK (role IN ('coordinator', 'provider_manager', 'participant_staff')),
    scopes          TEXT NOT NULL,
    status          TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'revoked')),
    created_at      TEXT NOT NULL,
    created_by      BIGINT NOT NULL REFERENCES users (id),
    updated_at      TEXT NOT NULL,
    last_used_at    TEXT
);
CREATE INDEX api_clients_organisation ON api_clients (organisation_id, id);

CREATE TABLE api_client_events (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    api_client_id BIGINT NOT NULL REFERENCES api_clients (id),
    at            TEXT NOT NULL,
    user_id       BIGINT REFERENCES users (id),
    event         TEXT NOT NULL,
    status        TEXT NOT NULL,
    note          TEXT NOT NULL DEFAULT ''
);
CREATE INDEX api_client_events_client ON api_client_events (api_client_id, id);

-- Live access tokens (expired ones are deleted when the client asks for a new one).
CREATE TABLE api_tokens (
    token_hash    TEXT PRIMARY KEY,
    api_client_id BIGINT NOT NULL REFERENCES api_clients (id),
    scopes        TEXT NOT NULL,
    issued_at     TEXT NOT NULL,
    expires_at    TEXT NOT NULL
);
CREATE INDEX api_tokens_client ON api_tokens (api_client_id, expires_at);
