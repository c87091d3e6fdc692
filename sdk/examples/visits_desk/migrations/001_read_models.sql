-- The desk's read models. home_visits: one row per visit (its own events).
CREATE TABLE home_visits (
    visit_id        uuid PRIMARY KEY,
    country_office  text NOT NULL,
    returnee_id     uuid NOT NULL,
    visited_on      date NOT NULL,
    purpose         text NOT NULL,
    outcome         text NOT NULL,
    referral_needed boolean NOT NULL
);
CREATE INDEX home_visits_by_returnee ON home_visits (country_office, returnee_id, visited_on);

-- Who the office registered, and when they arrived (intake's events, through the inbox).
CREATE TABLE registered_returnees (
    returnee_id    uuid PRIMARY KEY,
    country_office text NOT NULL,
    arrival_date   date NOT NULL
);
