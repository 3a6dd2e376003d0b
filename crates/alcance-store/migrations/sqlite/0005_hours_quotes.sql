-- Prepaid hour packages, their ledger, time entries and quotes (SQLite). Keep in step with postgres/0005_hours_quotes.sql.

-- A package an organisation bought. Its balance is the sum of its ledger entries.
CREATE TABLE hour_packages (
    id INTEGER PRIMARY KEY,
    organization_id BIGINT NOT NULL REFERENCES organizations (id),
    minutes BIGINT NOT NULL CHECK (minutes > 0),
    price_minor BIGINT NOT NULL CHECK (price_minor >= 0),
    currency TEXT NOT NULL,
    purchased_on TEXT NOT NULL,
    expires_on TEXT NOT NULL,
    invoice_ref TEXT NOT NULL,
    created_by BIGINT NOT NULL REFERENCES users (id),
    created_at BIGINT NOT NULL
);
CREATE INDEX hour_packages_organization ON hour_packages (organization_id, expires_on);

-- Time agents spent on a ticket. billing says what it cost the client: covered (nothing),
-- hours (consumed from packages), quote (inside an accepted quote), unbilled.
CREATE TABLE time_entries (
    id INTEGER PRIMARY KEY,
    ticket_id BIGINT NOT NULL REFERENCES tickets (id),
    organization_id BIGINT NOT NULL REFERENCES organizations (id),
    agent_id BIGINT NOT NULL REFERENCES users (id),
    minutes BIGINT NOT NULL CHECK (minutes > 0),
    worked_on TEXT NOT NULL,
    note TEXT NOT NULL,
    billing TEXT NOT NULL CHECK (billing IN ('covered', 'hours', 'quote', 'unbilled')),
    created_at BIGINT NOT NULL
);
CREATE INDEX time_entries_ticket ON time_entries (ticket_id, id);
CREATE INDEX time_entries_organization ON time_entries (organization_id, worked_on);

-- Offers for not-covered work. Amounts in minor units of currency; numbers Q-YYYY-NNNN.
CREATE TABLE quotes (
    id INTEGER PRIMARY KEY,
    number TEXT NOT NULL UNIQUE,
    ticket_id BIGINT NOT NULL REFERENCES tickets (id),
    organization_id BIGINT NOT NULL REFERENCES organizations (id),
    status TEXT NOT NULL CHECK (status IN ('draft', 'sent', 'accepted', 'rejected', 'expired', 'withdrawn')),
    title TEXT NOT NULL,
    notes TEXT NOT NULL,
    currency TEXT NOT NULL,
    hourly_rate_minor BIGINT NOT NULL,
    tax_rate_basis_points BIGINT NOT NULL,
    subtotal_minor BIGINT NOT NULL,
    tax_minor BIGINT NOT NULL,
    total_minor BIGINT NOT NULL,
    -- The hours of its hour lines, reserved from packages when accepted to be paid with hours.
    hours_minutes BIGINT NOT NULL,
    valid_until TEXT NOT NULL,
    pay_with_hours BOOLEAN NOT NULL,
    created_by BIGINT NOT NULL REFERENCES users (id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    sent_at BIGINT,
    decided_by BIGINT REFERENCES users (id),
    decided_at BIGINT,
    decided_ip TEXT,
    decision_note TEXT
);
CREATE INDEX quotes_ticket ON quotes (ticket_id, id);
CREATE INDEX quotes_organization ON quotes (organization_id, status);
CREATE INDEX quotes_status_valid ON quotes (status, valid_until);

CREATE TABLE quote_lines (
    quote_id BIGINT NOT NULL REFERENCES quotes (id),
    position BIGINT NOT NULL,
    description TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('hours', 'fixed')),
    minutes BIGINT,
    rate_minor BIGINT,
    amount_minor BIGINT NOT NULL,
    PRIMARY KEY (quote_id, position)
);

-- The last quote number given per year.
CREATE TABLE quote_numbers (
    year BIGINT NOT NULL PRIMARY KEY,
    last_seq BIGINT NOT NULL
);

-- Every movement of hours. Append-only: a correction is a reversing entry (reverses_id),
-- never an edit or a delete; the triggers refuse both.
CREATE TABLE hour_ledger (
    id INTEGER PRIMARY KEY,
    organization_id BIGINT NOT NULL REFERENCES organizations (id),
    package_id BIGINT NOT NULL REFERENCES hour_packages (id),
    kind TEXT NOT NULL CHECK (kind IN ('purchase', 'consumption', 'expiry', 'adjustment', 'reversal', 'reservation', 'release')),
    minutes BIGINT NOT NULL,
    ticket_id BIGINT REFERENCES tickets (id),
    time_entry_id BIGINT REFERENCES time_entries (id),
    quote_id BIGINT REFERENCES quotes (id),
    reverses_id BIGINT UNIQUE REFERENCES hour_ledger (id),
    note TEXT NOT NULL,
    actor_id BIGINT REFERENCES users (id),
    created_at BIGINT NOT NULL
);
CREATE INDEX hour_ledger_organization ON hour_ledger (organization_id, id);
CREATE INDEX hour_ledger_package ON hour_ledger (package_id);

-- How a not-covered request is paid for, once the client chose: hours or a quote.
CREATE TABLE ticket_funding (
    ticket_id BIGINT NOT NULL PRIMARY KEY REFERENCES tickets (id),
    mode TEXT NOT NULL CHECK (mode IN ('hours', 'quote')),
    quote_id BIGINT REFERENCES quotes (id),
    decided_at BIGINT NOT NULL
);

-- Files sent with an outgoing e-mail (a quote's PDF).
CREATE TABLE outbox_attachments (
    email_id BIGINT NOT NULL REFERENCES outbox_emails (id),
    filename TEXT NOT NULL,
    content_type TEXT NOT NULL,
    data BLOB NOT NULL
);
CREATE INDEX outbox_attachments_email ON outbox_attachments (email_id);

-- Notifications sent once (a package at 20 %, empty, expiring in 30 days), by key.
CREATE TABLE notices (
    key TEXT NOT NULL PRIMARY KEY,
    created_at BIGINT NOT NULL
);

CREATE TRIGGER hour_ledger_no_update BEFORE UPDATE ON hour_ledger
BEGIN
    SELECT RAISE(ABORT, 'hour_ledger is append-only');
END;

CREATE TRIGGER hour_ledger_no_delete BEFORE DELETE ON hour_ledger
BEGIN
    SELECT RAISE(ABORT, 'hour_ledger is append-only');
END;
