-- Calendar closures (SQLite). Keep in step with postgres/0007_closures.sql.

-- Days an admin closes the office ("Vacaciones colectivas"), on top of public holidays: the
-- business SLA clock does not run on them. A closure with no contract applies to every
-- contract. Dates are local calendar dates, YYYY-MM-DD, both included.
CREATE TABLE calendar_closures (
    id INTEGER PRIMARY KEY,
    contract_id BIGINT REFERENCES contracts (id),
    first_day TEXT NOT NULL,
    last_day TEXT NOT NULL,
    name TEXT NOT NULL,
    created_by BIGINT NOT NULL REFERENCES users (id),
    created_at BIGINT NOT NULL
);
CREATE INDEX calendar_closures_contract ON calendar_closures (contract_id, first_day);
