-- Read models built from intake's own events (projections.py); a rebuild truncates and replays.
CREATE TABLE caseload (
    returnee_id         uuid PRIMARY KEY,
    country_office      text NOT NULL,
    sub_office          text,
    arrival_date        date NOT NULL,
    return_type         text NOT NULL,
    region              text NOT NULL,
    commune             text NOT NULL,
    sex                 text NOT NULL,
    age_band            text NOT NULL,
    is_minor            boolean NOT NULL,
    vulnerabilities     text[] NOT NULL,
    declared_trades     jsonb NOT NULL,
    aspirations         text[] NOT NULL,
    household_size      int NOT NULL,
    stage               text NOT NULL,
    duplicate_override  jsonb,
    registered_at       timestamptz NOT NULL,
    erased_on           date
);
CREATE INDEX caseload_by_office ON caseload (country_office, stage, registered_at);
CREATE INDEX caseload_by_commune ON caseload (country_office, commune);

-- Consents in force now; the history is the event stream.
CREATE TABLE current_consents (
    returnee_id       uuid NOT NULL,
    purpose           text NOT NULL,
    partner_category  text NOT NULL,
    given_on          date NOT NULL,
    PRIMARY KEY (returnee_id, purpose, partner_category)
);

CREATE TABLE counselling_history (
    event_id             uuid PRIMARY KEY,
    returnee_id          uuid NOT NULL,
    kind                 text NOT NULL CHECK (kind IN ('interview', 'group_session')),
    happened_on          date NOT NULL,
    session_id           uuid,
    days_since_arrival   int,
    intended_track       text,
    skills               text[] NOT NULL DEFAULT '{}',
    years_of_experience  int,
    aspirations          text[] NOT NULL DEFAULT '{}',
    position             bigint NOT NULL
);
CREATE INDEX counselling_history_by_returnee ON counselling_history (returnee_id, position);

CREATE TABLE counselling_sessions (
    session_id                 uuid PRIMARY KEY,
    country_office             text NOT NULL,
    held_on                    date NOT NULL,
    region                     text NOT NULL,
    commune                    text NOT NULL,
    experts_present            jsonb NOT NULL,
    local_authorities_present  int NOT NULL,
    civil_society_present      int NOT NULL,
    participant_ids            uuid[] NOT NULL
);

-- Written by reactions to other services' events (through the inbox), not by a rebuild:
-- a case's stage after training, committee, procurement and follow-up.
CREATE TABLE case_milestones (
    country_office  text NOT NULL,
    returnee_id     uuid NOT NULL,
    stage           text NOT NULL,
    reached_at      timestamptz NOT NULL,
    PRIMARY KEY (returnee_id, stage)
);

-- PlanRejected names the plan, not its beneficiaries: remembered from PlanSubmitted.
CREATE TABLE plan_beneficiaries (
    plan_id      uuid NOT NULL,
    returnee_id  uuid NOT NULL,
    PRIMARY KEY (plan_id, returnee_id)
);
