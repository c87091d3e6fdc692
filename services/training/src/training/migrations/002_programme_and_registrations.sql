-- What training learns from intake and programme, through the inbox (a projection rebuild
-- leaves these alone, like counselled_returnees).

-- Returnees the office registered: assessments, courses and certificates are for them only.
-- Sex decides who may get day-care where the office's programme says so.
CREATE TABLE registered_returnees (
    country_office text NOT NULL,
    returnee_id    uuid NOT NULL,
    sex            text NOT NULL,
    arrival_date   date NOT NULL,
    PRIMARY KEY (country_office, returnee_id)
);

-- Individual interviews: counselling where the programme counts them (Mali).
CREATE TABLE interviewed_returnees (
    country_office       text NOT NULL,
    returnee_id          uuid NOT NULL,
    first_interviewed_on date NOT NULL,
    PRIMARY KEY (country_office, returnee_id)
);

-- The office's programme in force: the highest version, whatever order versions arrive in.
CREATE TABLE programme_configurations (
    country_office text PRIMARY KEY,
    version        integer NOT NULL,
    configuration  jsonb NOT NULL
);
