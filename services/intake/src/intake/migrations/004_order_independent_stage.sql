-- A case's stage is a function of the set of facts about it (projections.refresh_stage):
-- plans are kept with their outcome instead of as milestones in arrival order. Existing cases
-- get their stage from these facts on the next `reintegrate projections rebuild --service
-- intake` (plan outcomes recorded before this migration are not known until then).
CREATE TABLE plan_outcomes (
    plan_id  uuid PRIMARY KEY,
    outcome  text NOT NULL CHECK (outcome IN ('rejected', 'approved'))
);
DELETE FROM case_milestones WHERE stage IN ('plan_submitted', 'plan_rejected', 'plan_approved');

-- Counselling entries are ordered by the time their event was recorded: an event read from
-- Kafka carries it, not the store position it had.
ALTER TABLE counselling_history ADD COLUMN recorded_at timestamptz;
UPDATE counselling_history h SET recorded_at = e.recorded_at
    FROM events e WHERE e.event_id = h.event_id;
ALTER TABLE counselling_history ALTER COLUMN recorded_at SET NOT NULL;
DROP INDEX counselling_history_by_returnee;
ALTER TABLE counselling_history DROP COLUMN position;
CREATE INDEX counselling_history_by_returnee ON counselling_history (returnee_id, recorded_at);
