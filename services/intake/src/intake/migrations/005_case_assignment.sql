-- The caseworker in charge of a case (a subject id, never a name) and which assignment set it:
-- the one with the highest number wins, so a replay gives the same row. Existing cases get the
-- registering caseworker, where their registration named one, on the next rebuild.
ALTER TABLE caseload ADD COLUMN caseworker text;
ALTER TABLE caseload ADD COLUMN assignment int NOT NULL DEFAULT 0;
CREATE INDEX caseload_by_caseworker ON caseload (country_office, caseworker, registered_at);
