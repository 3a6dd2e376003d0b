-- Web sign-in support and collision hints (SQLite). Keep in step with postgres/0002_web.sql.

-- Who has a ticket open in the agent console, refreshed by polling; stale rows are ignored.
CREATE TABLE ticket_viewers (
    ticket_id BIGINT NOT NULL REFERENCES tickets (id),
    user_id BIGINT NOT NULL REFERENCES users (id),
    seen_at BIGINT NOT NULL,
    PRIMARY KEY (ticket_id, user_id)
);

-- Outgoing e-mail. Until SMTP is configured, admins read it here; nothing is lost.
CREATE TABLE outbox_emails (
    id INTEGER PRIMARY KEY,
    to_address TEXT NOT NULL,
    subject TEXT NOT NULL,
    body_text TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    sent_at BIGINT
);

-- Single-use password reset links; the token itself is never stored.
CREATE TABLE password_resets (
    id INTEGER PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    user_id BIGINT NOT NULL REFERENCES users (id),
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT
);

-- Failed sign-ins, counted per e-mail over a window to slow down guessing (all nodes see them).
CREATE TABLE login_failures (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX login_failures_email ON login_failures (email, created_at);

-- Ticket lists sorted by last activity.
CREATE INDEX tickets_updated ON tickets (updated_at, number);
