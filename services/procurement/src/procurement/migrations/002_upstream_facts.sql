-- What procurement learned from other services' events (written by reactions through the
-- inbox): the facts its rules need, that its own event store does not hold.

CREATE TABLE plans (
    plan_id         uuid PRIMARY KEY,
    country_office  text   NOT NULL,
    kind            text   NOT NULL,
    trade           text   NOT NULL,
    beneficiary_ids uuid[] NOT NULL,
    currency        text   NOT NULL,
    submitted_on    date,
    status          text   NOT NULL CHECK (status IN ('submitted', 'approved', 'rejected')),
    decided_on      date,
    approved_total  bigint
);
CREATE INDEX plans_by_office ON plans (country_office, status);

CREATE TABLE certifications (
    returnee_id    uuid NOT NULL,
    trade          text NOT NULL,
    country_office text NOT NULL,
    level          text NOT NULL,
    certified_on   date NOT NULL,
    PRIMARY KEY (returnee_id, trade)
);
CREATE INDEX certifications_by_office ON certifications (country_office, certified_on);
