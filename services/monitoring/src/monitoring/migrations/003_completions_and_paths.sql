-- Issue 19: completions per course and trade with the passed and the failed apart, and the path
-- each returnee took, kept beside each case file like the report rows of 002 (derived from the
-- file's fold when it is saved, so as independent of arrival order as the file). A database
-- migrated from 002 gets them at the next `reintegrate projections rebuild --service monitoring`.

ALTER TABLE case_files ADD COLUMN path text;

-- One row per course a returnee completed (one per cohort), passed or not.
CREATE TABLE case_completions (
    returnee_id    uuid NOT NULL,
    cohort_id      uuid NOT NULL,
    country_office text NOT NULL,
    kind           text NOT NULL,
    trade          text,
    passed         boolean NOT NULL,
    completed_on   date NOT NULL,
    PRIMARY KEY (returnee_id, cohort_id)
);
CREATE INDEX case_completions_by_office ON case_completions (country_office, kind, trade);
