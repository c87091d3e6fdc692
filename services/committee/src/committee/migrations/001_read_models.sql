-- Read models of the committee service. All are rebuilt from events: the first four from the
-- service's own stream, entrepreneurship_graduates from training's topic.

-- One row per business plan: what the lists, the funnel and the convening query read.
CREATE TABLE plans (
    plan_id           uuid PRIMARY KEY,
    country_office    text    NOT NULL,
    kind              text    NOT NULL,
    region            text    NOT NULL,
    commune           text    NOT NULL,
    sector            text    NOT NULL,
    trade             text    NOT NULL,
    activity          text    NOT NULL,
    beneficiary_count int     NOT NULL,
    status            text    NOT NULL,
    currency          text    NOT NULL,
    submitted_on      date    NOT NULL,
    submitted_total   bigint  NOT NULL,
    in_kind_total     bigint  NOT NULL,
    review_revision   int,
    reviewed_on       date,
    reviewed_total    bigint,
    flagged_lines     int,
    session_id        uuid,
    decided_on        date,
    approved_total    bigint,
    amended           boolean NOT NULL DEFAULT false
);
CREATE INDEX plans_by_locality
    ON plans (country_office, lower(region), lower(commune), status);
CREATE INDEX plans_by_session ON plans (session_id) WHERE session_id IS NOT NULL;

-- Who is in which plan. A returnee takes part in one pending or approved plan at a time: the
-- unique index holds that rule even when two submissions race past the handler's check.
CREATE TABLE plan_beneficiaries (
    plan_id        uuid    NOT NULL,
    returnee_id    uuid    NOT NULL,
    country_office text    NOT NULL,
    active         boolean NOT NULL DEFAULT true,
    PRIMARY KEY (plan_id, returnee_id)
);
CREATE UNIQUE INDEX one_open_plan_per_returnee
    ON plan_beneficiaries (country_office, returnee_id) WHERE active;

CREATE TABLE committee_sessions (
    session_id     uuid  PRIMARY KEY,
    country_office text  NOT NULL,
    region         text  NOT NULL,
    commune        text  NOT NULL,
    held_on        date  NOT NULL,
    members        jsonb NOT NULL
);
CREATE INDEX committee_sessions_by_office ON committee_sessions (country_office, held_on);

CREATE TABLE convening_thresholds (
    country_office text PRIMARY KEY,
    threshold      int  NOT NULL,
    set_on         date NOT NULL
);

-- Returnees who passed the entrepreneurship training, as training reported it.
CREATE TABLE entrepreneurship_graduates (
    country_office text NOT NULL,
    returnee_id    uuid NOT NULL,
    cohort_id      uuid NOT NULL,
    completed_on   date NOT NULL,
    PRIMARY KEY (country_office, returnee_id)
);
