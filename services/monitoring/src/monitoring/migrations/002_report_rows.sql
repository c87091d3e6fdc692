-- The reports in SQL (issue 18): what the office and HQ reports count, kept beside each case
-- and plan file as rows the database aggregates, so a report never loads every file. Each row
-- is derived from its file's fold when the file is saved (files.py), so it is as independent
-- of arrival order as the file. A database migrated from 001 gets them at the next
-- `reintegrate projections rebuild --service monitoring`.

ALTER TABLE case_files
    ADD COLUMN sex             text,
    ADD COLUMN age_band        text,
    ADD COLUMN commune         text,
    ADD COLUMN trade           text,
    ADD COLUMN caseworker      text,
    ADD COLUMN vulnerabilities text[] NOT NULL DEFAULT '{}';

-- One row per stage a returnee reached, dated (followed up and sustainable included).
CREATE TABLE case_stages (
    returnee_id    uuid NOT NULL,
    country_office text NOT NULL,
    stage          text NOT NULL,
    reached_on     date NOT NULL,
    PRIMARY KEY (returnee_id, stage)
);
CREATE INDEX case_stages_by_office ON case_stages (country_office, stage, reached_on);

-- One row per stage a business plan reached.
CREATE TABLE plan_stages (
    plan_id        uuid NOT NULL,
    country_office text NOT NULL,
    stage          text NOT NULL,
    reached_on     date NOT NULL,
    PRIMARY KEY (plan_id, stage)
);
CREATE INDEX plan_stages_by_office ON plan_stages (country_office, stage);

-- Scheduled visits not made yet: the overdue list is those due before today.
CREATE TABLE open_visits (
    returnee_id    uuid NOT NULL,
    order_id       uuid NOT NULL,
    due_on         date NOT NULL,
    country_office text NOT NULL,
    PRIMARY KEY (returnee_id, order_id, due_on)
);
CREATE INDEX open_visits_by_office ON open_visits (country_office, due_on);
