-- Capacity building (features/network, docs/NETWORK.md "Capacity building"): the area's training
-- catalogue, which roles must complete each training and within how many days, and completion
-- records per person. Where each person and provider stands is computed when read.
CREATE TABLE trainings (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    sda_id          BIGINT NOT NULL REFERENCES service_delivery_areas (id),
    title_fr        TEXT NOT NULL,
    title_en        TEXT NOT NULL,
    description_fr  TEXT NOT NULL DEFAULT '',
    description_en  TEXT NOT NULL DEFAULT '',
    format          TEXT NOT NULL CHECK (format IN ('in_person', 'online', 'hybrid', 'self_paced')),
    hours_tenths    INTEGER NOT NULL CHECK (hours_tenths BETWEEN 1 AND 2000),
    validity_months INTEGER CHECK (validity_months IS NULL OR validity_months BETWEEN 1 AND 120),
    joint           INTEGER NOT NULL DEFAULT 0 CHECK (joint IN (0, 1)),
    retired         INTEGER NOT NULL DEFAULT 0 CHECK (retired IN (0, 1)),
    version         INTEGER NOT NULL DEFAULT 1,
    created_at      TEXT NOT NULL,
    created_by      BIGINT REFERENCES users (id),
    updated_at      TEXT NOT NULL,
    updated_by      BIGINT REFERENCES users (id)
);
CREATE INDEX trainings_area ON trainings (sda_id, retired);

-- A joint training's partner organisations (seed 002: trainings given together across partners).
CREATE TABLE training_partners (
    training_id     BIGINT NOT NULL REFERENCES trainings (id),
    organisation_id BIGINT NOT NULL REFERENCES organisations (id),
    PRIMARY KEY (training_id, organisation_id)
);

-- Which role must complete it, within how many days of the later of taking up the role and
-- set_on (the day the requirement was set: adding one does not make everyone overdue at once).
CREATE TABLE training_requirements (
    training_id BIGINT NOT NULL REFERENCES trainings (id),
    role        TEXT NOT NULL CHECK (role IN ('coordinator', 'participant_staff', 'provider_manager', 'privacy_officer')),
    due_days    INTEGER NOT NULL CHECK (due_days BETWEEN 1 AND 730),
    set_on      TEXT NOT NULL,
    PRIMARY KEY (training_id, role)
);

-- A person's completion of a training, recorded under one of their organisations.
CREATE TABLE training_completions (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    training_id     BIGINT NOT NULL REFERENCES trainings (id),
    user_id         BIGINT NOT NULL REFERENCES users (id),
    organisation_id BIGINT NOT NULL REFERENCES organisations (id),
    completed_on    TEXT NOT NULL,
    note            TEXT NOT NULL DEFAULT '',
    recorded_at     TEXT NOT NULL,
    recorded_by     BIGINT REFERENCES users (id),
    UNIQUE (training_id, user_id, completed_on)
);
CREATE INDEX training_completions_user ON training_completions (user_id, training_id, completed_on);
