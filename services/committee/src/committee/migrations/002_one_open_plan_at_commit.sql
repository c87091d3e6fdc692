-- "A returnee takes part in one pending or approved plan at a time" holds for every committed
-- state, checked at commit rather than row by row: a read model applied in another order than
-- the plans were decided (its own events interleaved across streams, a replay) passes through
-- states where a returnee's second plan is in before the first one's rejection. A command
-- checks it at once (handlers.submit_plan sets it IMMEDIATE), so a racing submission still
-- meets it there.
DROP INDEX one_open_plan_per_returnee;
ALTER TABLE plan_beneficiaries ADD CONSTRAINT one_open_plan_per_returnee
    EXCLUDE USING btree (country_office WITH =, returnee_id WITH =) WHERE (active)
    DEFERRABLE INITIALLY DEFERRED;
