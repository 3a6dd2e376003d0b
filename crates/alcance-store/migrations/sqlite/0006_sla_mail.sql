-- SLA clocks and e-mail in and out (SQLite). Keep in step with postgres/0006_sla_mail.sql.

-- Each open ticket's SLA as last computed: the due instants of its targets and the earliest
-- one still running (the queue sorts by it). Recomputed on every change and by the SLA job.
CREATE TABLE ticket_sla (
    ticket_id BIGINT NOT NULL PRIMARY KEY REFERENCES tickets (id),
    first_response_due BIGINT,
    update_due BIGINT,
    resolution_due BIGINT,
    -- The earliest due instant of a target still running; NULL when none runs (paused, met).
    urgent_at BIGINT,
    -- ok, warning or breached: the worst of the running targets.
    state TEXT NOT NULL,
    computed_at BIGINT NOT NULL
);
CREATE INDEX ticket_sla_urgent ON ticket_sla (urgent_at, ticket_id);

-- Every message that reached `alcance mail ingest` or the IMAP poller, and what became of
-- it: new_ticket, reply, ignored, held_unknown_sender, held_suspicious, rejected; held ones
-- wait for an agent (accepted or rejected).
CREATE TABLE inbound_emails (
    id INTEGER PRIMARY KEY,
    received_at BIGINT NOT NULL,
    from_address TEXT NOT NULL,
    subject TEXT NOT NULL,
    message_id TEXT,
    outcome TEXT NOT NULL,
    ticket_id BIGINT REFERENCES tickets (id),
    reason TEXT,
    text_body TEXT NOT NULL,
    raw BLOB NOT NULL,
    decided_by BIGINT REFERENCES users (id),
    decided_at BIGINT
);
CREATE INDEX inbound_emails_outcome ON inbound_emails (outcome, id);
CREATE UNIQUE INDEX inbound_emails_message_id ON inbound_emails (message_id);

-- Outgoing e-mail gains what SMTP delivery and threading need.
ALTER TABLE outbox_emails ADD COLUMN body_html TEXT;
ALTER TABLE outbox_emails ADD COLUMN message_id TEXT;
ALTER TABLE outbox_emails ADD COLUMN in_reply_to TEXT;
ALTER TABLE outbox_emails ADD COLUMN ticket_id BIGINT REFERENCES tickets (id);
ALTER TABLE outbox_emails ADD COLUMN attempts BIGINT NOT NULL DEFAULT 0;
ALTER TABLE outbox_emails ADD COLUMN last_error TEXT;
