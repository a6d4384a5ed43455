-- The runs of the scheduled jobs (jobs/scheduler.hpp; `arrimage jobs` prints them): a row written
-- when a run starts ('running') and completed when it ends. The leader decides from these rows
-- whether a job is due, so a job runs once per interval across the nodes and across a change of
-- leader; a run the commands `reminders` and `directory-reminders` make by hand is recorded too.
-- node: "host:pid" of the process that ran it; items: what the run did (emails sent, reminders
-- written); error: why it failed, shortened. Runs older than a week (or a hundred intervals) are
-- deleted as new ones end.
CREATE TABLE job_runs (
    id          INTEGER PRIMARY KEY,
    job         TEXT NOT NULL,
    node        TEXT NOT NULL,
    started_at  TEXT NOT NULL,
    finished_at TEXT,
    outcome     TEXT NOT NULL CHECK (outcome IN ('running', 'ok', 'failed')),
    items       INTEGER NOT NULL DEFAULT 0,
    error       TEXT
);
CREATE INDEX job_runs_job_started ON job_runs (job, started_at);
