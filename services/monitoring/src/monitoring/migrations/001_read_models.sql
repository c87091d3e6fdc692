-- Monitoring's read models, built only from events (see casefile.py). A rebuild truncates
-- these three tables and replays every topic from the beginning.

-- One row per returnee: stage dates, non-identifying attributes, due visits, visits, scores.
CREATE TABLE case_files (
    returnee_id    uuid PRIMARY KEY,
    country_office text  NOT NULL,
    data           jsonb NOT NULL
);
CREATE INDEX case_files_by_office ON case_files (country_office);

-- One row per business plan; its beneficiaries let plan-only events reach their cases.
CREATE TABLE plan_files (
    plan_id         uuid PRIMARY KEY,
    country_office  text   NOT NULL,
    beneficiary_ids uuid[] NOT NULL DEFAULT '{}',
    data            jsonb  NOT NULL
);
CREATE INDEX plan_files_by_office ON plan_files (country_office);
CREATE INDEX plan_files_by_beneficiary ON plan_files USING gin (beneficiary_ids);

-- The case timeline: plan events are filed under the plan (subject_id = plan id).
CREATE TABLE timeline_entries (
    event_id       uuid        NOT NULL,
    subject_id     uuid        NOT NULL,
    country_office text        NOT NULL,
    occurred_on    date        NOT NULL,
    recorded_at    timestamptz NOT NULL,
    domain         text        NOT NULL,
    event_name     text        NOT NULL,
    summary        text        NOT NULL,
    PRIMARY KEY (event_id, subject_id)
);
CREATE INDEX timeline_entries_by_subject ON timeline_entries (subject_id, occurred_on);
