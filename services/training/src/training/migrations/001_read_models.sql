-- Returnees who attended job counselling, as intake reported it: enrolment needs one.
-- Written by a reaction to intake's events, so a projection rebuild leaves it alone.
CREATE TABLE counselled_returnees (
    country_office    text NOT NULL,
    returnee_id       uuid NOT NULL,
    first_attended_on date NOT NULL,
    PRIMARY KEY (country_office, returnee_id)
);

CREATE TABLE centres (
    centre_id          uuid PRIMARY KEY,
    country_office     text    NOT NULL,
    name               text    NOT NULL,
    city               text    NOT NULL,
    trades             text[]  NOT NULL,
    capacity           int     NOT NULL,
    inspected_on       date,
    inspection_passed  boolean,
    contract_reference text,
    contract_from      date,
    contract_until     date
);
CREATE INDEX centres_by_office ON centres (country_office);

CREATE TABLE cohorts (
    cohort_id      uuid PRIMARY KEY,
    country_office text NOT NULL,
    kind           text NOT NULL,
    trade          text,
    centre_id      uuid,
    region         text NOT NULL,
    commune        text NOT NULL,
    start_date     date NOT NULL,
    end_date       date NOT NULL,
    capacity       int  NOT NULL
);
CREATE INDEX cohorts_by_office ON cohorts (country_office, start_date);

CREATE TABLE trainees (
    cohort_id      uuid NOT NULL,
    returnee_id    uuid NOT NULL,
    country_office text NOT NULL,
    enrolled_on    date NOT NULL,
    days_present   int  NOT NULL DEFAULT 0,
    days_absent    int  NOT NULL DEFAULT 0,
    daycare_daily  int  NOT NULL DEFAULT 0,
    completed_on   date,
    exam_score     int,
    passed         boolean,
    PRIMARY KEY (cohort_id, returnee_id)
);
CREATE INDEX trainees_by_returnee ON trainees (country_office, returnee_id);

CREATE TABLE attendance (
    cohort_id   uuid    NOT NULL,
    returnee_id uuid    NOT NULL,
    day         date    NOT NULL,
    present     boolean NOT NULL,
    PRIMARY KEY (cohort_id, returnee_id, day)
);

CREATE TABLE allowances_owed (
    cohort_id      uuid NOT NULL,
    returnee_id    uuid NOT NULL,
    day            date NOT NULL,
    country_office text NOT NULL,
    allowance      int  NOT NULL,
    daycare        int  NOT NULL,
    currency       text NOT NULL,
    PRIMARY KEY (cohort_id, returnee_id, day)
);
CREATE INDEX allowances_by_office ON allowances_owed (country_office, returnee_id);

CREATE TABLE assessments (
    event_id             uuid PRIMARY KEY,
    country_office       text    NOT NULL,
    returnee_id          uuid    NOT NULL,
    trade                text    NOT NULL,
    centre_id            uuid    NOT NULL,
    assessed_on          date    NOT NULL,
    certified            boolean NOT NULL,
    level                text,
    training_recommended boolean NOT NULL
);
CREATE INDEX assessments_by_returnee ON assessments (country_office, returnee_id);

CREATE TABLE certifications (
    event_id       uuid PRIMARY KEY,
    country_office text NOT NULL,
    returnee_id    uuid NOT NULL,
    trade          text NOT NULL,
    level          text NOT NULL,
    route          text NOT NULL,
    centre_id      uuid NOT NULL,
    cohort_id      uuid,
    certified_on   date NOT NULL
);
CREATE INDEX certifications_by_returnee ON certifications (country_office, returnee_id);

CREATE TABLE daily_allowances (
    country_office text NOT NULL,
    effective_from date NOT NULL,
    daily_amount   int  NOT NULL,
    currency       text NOT NULL,
    PRIMARY KEY (country_office, effective_from)
);
