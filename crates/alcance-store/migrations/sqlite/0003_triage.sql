-- Triage suggestions (SQLite). Keep in step with postgres/0003_triage.sql.

-- What the classifier suggested when the ticket was opened, and what agents did with it.
-- Confidences are per mille (0-1000); top_words is a JSON array of strings; clause is the
-- policy section behind the suggested category.
CREATE TABLE ticket_suggestions (
    ticket_id BIGINT NOT NULL PRIMARY KEY REFERENCES tickets (id),
    category TEXT NOT NULL,
    coverage TEXT NOT NULL,
    priority TEXT NOT NULL,
    confidence BIGINT NOT NULL,
    coverage_confidence BIGINT NOT NULL,
    clause TEXT NOT NULL,
    top_words TEXT NOT NULL,
    model_version TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    accepted_at BIGINT,
    corrected BOOLEAN
);

-- The unclassified queue, most confident suggestion first.
CREATE INDEX ticket_suggestions_confidence ON ticket_suggestions (confidence, ticket_id);
