-- The rules these stood in for are the domain's now (committee.domain):
--
-- A returnee takes part in one pending or approved plan at a time: `holds_a_place` decides it
-- from the plans' own streams, and submissions naming one returnee take turns (a transaction
-- lock per returnee), so neither the `active` flag nor the unique index is needed.
DROP INDEX one_open_plan_per_returnee;
ALTER TABLE plan_beneficiaries DROP COLUMN active;
CREATE INDEX plan_beneficiaries_by_returnee ON plan_beneficiaries (country_office, returnee_id);

-- One locality whatever the spelling: the projection stores the domain's key
-- (`locality_key`: trimmed, case folded) and queries compare and group by it. Rows already
-- there get lower(btrim()), the comparison used so far (the same for the names in use);
-- `reintegrate projections rebuild --service committee` recomputes them with the domain's.
ALTER TABLE plans ADD COLUMN region_key text, ADD COLUMN commune_key text;
UPDATE plans SET region_key = lower(btrim(region)), commune_key = lower(btrim(commune));
ALTER TABLE plans ALTER COLUMN region_key SET NOT NULL, ALTER COLUMN commune_key SET NOT NULL;
DROP INDEX plans_by_locality;
CREATE INDEX plans_by_locality ON plans (country_office, region_key, commune_key, status);
