-- Alcance schema v1 (SQLite). Times are UTC milliseconds since the epoch; enums are their
-- stable snake_case names. Keep in step with postgres/0001_init.sql (a test compares them).

CREATE TABLE policies (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL,
    version BIGINT NOT NULL,
    content TEXT NOT NULL,
    content_sha256 TEXT NOT NULL,
    loaded_at BIGINT NOT NULL,
    UNIQUE (key, version)
);

CREATE TABLE organizations (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    time_zone TEXT NOT NULL,
    active BOOLEAN NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('admin', 'agent', 'manager', 'requester')),
    organization_id BIGINT REFERENCES organizations (id),
    password_hash TEXT,
    language TEXT NOT NULL,
    active BOOLEAN NOT NULL,
    created_at BIGINT NOT NULL,
    CHECK ((role IN ('admin', 'agent')) = (organization_id IS NULL))
);
CREATE INDEX users_organization ON users (organization_id);

CREATE TABLE api_tokens (
    id INTEGER PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id),
    token_hash TEXT NOT NULL UNIQUE,
    label TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    last_used_at BIGINT,
    revoked_at BIGINT
);

CREATE TABLE sessions (
    id INTEGER PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    user_id BIGINT NOT NULL REFERENCES users (id),
    csrf_token TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);

CREATE TABLE contracts (
    id INTEGER PRIMARY KEY,
    organization_id BIGINT NOT NULL REFERENCES organizations (id),
    policy_id BIGINT NOT NULL REFERENCES policies (id),
    name TEXT NOT NULL,
    starts_on TEXT NOT NULL,
    ends_on TEXT,
    hourly_rate_minor BIGINT NOT NULL,
    currency TEXT NOT NULL,
    tax_rate_basis_points BIGINT NOT NULL,
    allow_overdraft BOOLEAN NOT NULL,
    time_zone TEXT NOT NULL,
    active BOOLEAN NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX contracts_organization ON contracts (organization_id);

CREATE TABLE assets (
    id INTEGER PRIMARY KEY,
    organization_id BIGINT NOT NULL REFERENCES organizations (id),
    kind TEXT NOT NULL CHECK (kind IN ('software', 'server')),
    name TEXT NOT NULL,
    url TEXT,
    description TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX assets_organization ON assets (organization_id);

CREATE TABLE tickets (
    id INTEGER PRIMARY KEY,
    number BIGINT NOT NULL UNIQUE,
    organization_id BIGINT NOT NULL REFERENCES organizations (id),
    requester_id BIGINT NOT NULL REFERENCES users (id),
    assignee_id BIGINT REFERENCES users (id),
    asset_id BIGINT REFERENCES assets (id),
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    channel TEXT NOT NULL,
    priority TEXT NOT NULL,
    category TEXT,
    coverage TEXT NOT NULL,
    status TEXT NOT NULL,
    policy_id BIGINT REFERENCES policies (id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    resolved_at BIGINT,
    closed_at BIGINT
);
-- Every list filter has an index that ends in number, so a filtered page is an index walk.
CREATE INDEX tickets_org_number ON tickets (organization_id, number);
CREATE INDEX tickets_requester_number ON tickets (requester_id, number);
CREATE INDEX tickets_assignee_number ON tickets (assignee_id, number);
CREATE INDEX tickets_status_number ON tickets (status, number);
CREATE INDEX tickets_priority_number ON tickets (priority, number);
CREATE INDEX tickets_category_number ON tickets (category, number);
CREATE INDEX tickets_coverage_number ON tickets (coverage, number);

CREATE TABLE comments (
    id INTEGER PRIMARY KEY,
    ticket_id BIGINT NOT NULL REFERENCES tickets (id),
    author_id BIGINT NOT NULL REFERENCES users (id),
    body TEXT NOT NULL,
    internal BOOLEAN NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX comments_ticket ON comments (ticket_id, id);

CREATE TABLE attachments (
    id INTEGER PRIMARY KEY,
    ticket_id BIGINT NOT NULL REFERENCES tickets (id),
    uploader_id BIGINT NOT NULL REFERENCES users (id),
    internal BOOLEAN NOT NULL,
    file_name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size_bytes BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    content BLOB NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX attachments_ticket ON attachments (ticket_id, id);

-- The history of a ticket. Append-only: the triggers refuse any edit or deletion.
CREATE TABLE ticket_events (
    id INTEGER PRIMARY KEY,
    ticket_id BIGINT NOT NULL REFERENCES tickets (id),
    actor_id BIGINT REFERENCES users (id),
    kind TEXT NOT NULL,
    -- Internal events (notes, internal attachments) are never shown to client contacts.
    internal BOOLEAN NOT NULL,
    before_value TEXT,
    after_value TEXT,
    reason TEXT,
    created_at BIGINT NOT NULL
);
CREATE INDEX ticket_events_ticket ON ticket_events (ticket_id, id);

CREATE TRIGGER ticket_events_no_update BEFORE UPDATE ON ticket_events
BEGIN
    SELECT RAISE(ABORT, 'ticket_events is append-only');
END;

CREATE TRIGGER ticket_events_no_delete BEFORE DELETE ON ticket_events
BEGIN
    SELECT RAISE(ABORT, 'ticket_events is append-only');
END;
