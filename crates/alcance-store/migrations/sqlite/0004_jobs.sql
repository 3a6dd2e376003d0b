-- Durable background jobs and stored triage models (sqlite). Keep in step with postgres/0004_jobs.sql.

-- Jobs are enqueued in the transaction of the change that causes them (outbox). A worker
-- claims a due job with a lease (locked_by, locked_until); a lease that runs out (a crashed
-- process) makes the job due again. state: queued, running, done, dead.
CREATE TABLE jobs (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    payload TEXT NOT NULL,
    -- At most one unfinished job per key (e.g. one pending retraining); NULL for no limit.
    dedupe_key TEXT,
    state TEXT NOT NULL CHECK (state IN ('queued', 'running', 'done', 'dead')),
    run_at BIGINT NOT NULL,
    attempts BIGINT NOT NULL,
    max_attempts BIGINT NOT NULL,
    locked_by TEXT,
    locked_until BIGINT,
    last_error TEXT,
    created_at BIGINT NOT NULL,
    finished_at BIGINT
);
CREATE INDEX jobs_due ON jobs (state, run_at, id);
CREATE UNIQUE INDEX jobs_dedupe ON jobs (dedupe_key) WHERE finished_at IS NULL;

-- Every triage model trained from the bundled corpus plus agents' decisions, with how it did
-- on the held-back slice. At most one is active; a candidate that did worse than the active
-- model is kept for the record without its weights.
CREATE TABLE triage_models (
    id INTEGER PRIMARY KEY,
    version TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL,
    cause TEXT NOT NULL,
    examples BIGINT NOT NULL,
    agent_examples BIGINT NOT NULL,
    holdout_size BIGINT NOT NULL,
    -- Per mille on the held-back slice; the model it was compared with and its score.
    holdout_score BIGINT NOT NULL,
    compared_with TEXT NOT NULL,
    compared_score BIGINT NOT NULL,
    metrics TEXT NOT NULL,
    accepted BOOLEAN NOT NULL,
    active BOOLEAN NOT NULL,
    model BLOB
);
CREATE UNIQUE INDEX triage_models_one_active ON triage_models (active) WHERE active;
