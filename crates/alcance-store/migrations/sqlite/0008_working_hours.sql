-- Working hours per contract (issue 6), when the SLA check next looks at a ticket, and
-- intake's lease on an inbound message (SQLite). Keep in step with postgres/0008_working_hours.sql.

-- The contract's working week as text, canonical form of alcance_domain::calendar
-- (e.g. "lun-vie 08:00-12:00,14:00-18:00; sáb 08:00-12:00"). NULL: Monday to Friday
-- 08:00-18:00, the default before this column existed.
ALTER TABLE contracts ADD COLUMN working_hours TEXT;

-- The next instant a ticket's SLA can change by the passing of time alone (a target reaching
-- its warning threshold or its due instant), or an earlier instant when it must be
-- recomputed (a warning or breach not yet announced, a calendar that changed). The periodic
-- check reads only rows due by now; NULL means nothing will happen until the ticket changes.
ALTER TABLE ticket_sla ADD COLUMN check_at BIGINT;
CREATE INDEX ticket_sla_check ON ticket_sla (check_at, ticket_id);
-- Rows written before this column: recompute each once.
UPDATE ticket_sla SET check_at = computed_at;

-- When intake last started applying a message it recorded as "processing". A redelivery of
-- a message still "processing" long after this (the process died mid-way) is applied again;
-- one within the lease is another delivery racing the first and is a duplicate.
ALTER TABLE inbound_emails ADD COLUMN attempted_at BIGINT;
UPDATE inbound_emails SET attempted_at = received_at;
