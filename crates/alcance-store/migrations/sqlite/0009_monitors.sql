-- Monitors, incidents and monitoring integrations (SQLite). Keep in step with postgres/0009_monitors.sql.

-- A check Alcance runs on a client's server or software (HTTP, TLS certificate) or expects
-- from it (heartbeat). The streak columns carry the flap damping between checks;
-- next_check_at is also the claim: a server takes a due check by moving it forward with a
-- compare-and-set, so each check runs once per interval however many servers run.
CREATE TABLE monitors (
    id INTEGER PRIMARY KEY,
    organization_id BIGINT NOT NULL REFERENCES organizations (id),
    asset_id BIGINT REFERENCES assets (id),
    name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('http', 'tls', 'heartbeat')),
    target TEXT NOT NULL,
    method TEXT NOT NULL,
    expected_status BIGINT NOT NULL,
    keyword TEXT,
    interval_seconds BIGINT NOT NULL,
    timeout_seconds BIGINT NOT NULL,
    slow_ms BIGINT,
    failures_to_open BIGINT NOT NULL,
    successes_to_close BIGINT NOT NULL,
    category TEXT,
    grace_seconds BIGINT NOT NULL,
    -- SHA-256 of the heartbeat URL's secret; the secret itself is shown once.
    heartbeat_hash TEXT UNIQUE,
    enabled BOOLEAN NOT NULL,
    state TEXT NOT NULL,
    failures BIGINT NOT NULL,
    successes BIGINT NOT NULL,
    last_check_at BIGINT,
    next_check_at BIGINT NOT NULL,
    last_response_ms BIGINT,
    last_code TEXT,
    last_ping_at BIGINT,
    cert_not_after BIGINT,
    created_by BIGINT NOT NULL REFERENCES users (id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX monitors_due ON monitors (enabled, next_check_at);
CREATE INDEX monitors_organization ON monitors (organization_id, id);

-- One row per conclusive check: uptime and the response-time chart read these.
CREATE TABLE monitor_checks (
    id INTEGER PRIMARY KEY,
    monitor_id BIGINT NOT NULL REFERENCES monitors (id),
    checked_at BIGINT NOT NULL,
    ok BOOLEAN NOT NULL,
    response_ms BIGINT,
    code TEXT NOT NULL
);
CREATE INDEX monitor_checks_monitor ON monitor_checks (monitor_id, checked_at);

-- A problem a monitor or an external tool reported, tracked by one ticket. The key (a
-- monitor's id, an alert fingerprint, host/service) finds the open incident through the
-- partial unique index: never by scanning tickets, and never two open for one key.
CREATE TABLE incidents (
    id INTEGER PRIMARY KEY,
    organization_id BIGINT NOT NULL REFERENCES organizations (id),
    source TEXT NOT NULL,
    incident_key TEXT NOT NULL,
    monitor_id BIGINT REFERENCES monitors (id),
    ticket_id BIGINT NOT NULL REFERENCES tickets (id),
    title TEXT NOT NULL,
    last_code TEXT NOT NULL,
    last_threshold BIGINT,
    occurrences BIGINT NOT NULL,
    opened_at BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL,
    resolved_at BIGINT
);
CREATE UNIQUE INDEX incidents_open_key ON incidents (organization_id, incident_key) WHERE resolved_at IS NULL;
CREATE INDEX incidents_organization ON incidents (organization_id, opened_at);
CREATE INDEX incidents_ticket ON incidents (ticket_id);

-- Tokens external tools (Alertmanager, Checkmk, webhooks) post alerts with, one
-- organisation each; stored as SHA-256 digests.
CREATE TABLE integration_tokens (
    id INTEGER PRIMARY KEY,
    organization_id BIGINT NOT NULL REFERENCES organizations (id),
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_by BIGINT NOT NULL REFERENCES users (id),
    created_at BIGINT NOT NULL,
    last_used_at BIGINT,
    revoked_at BIGINT
);
CREATE INDEX integration_tokens_organization ON integration_tokens (organization_id);

-- What a contract says about monitoring: whether its status page is public, and whether a
-- recovery resolves the incident's ticket by itself. No row: private, and it does.
CREATE TABLE contract_monitoring (
    contract_id BIGINT PRIMARY KEY REFERENCES contracts (id),
    status_page_public BOOLEAN NOT NULL,
    resolve_on_recovery BOOLEAN NOT NULL,
    updated_at BIGINT NOT NULL
);
