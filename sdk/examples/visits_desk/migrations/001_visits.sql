CREATE TABLE visits_per_returnee (
    country_office text NOT NULL,
    returnee_id    uuid NOT NULL,
    visits         int  NOT NULL,
    jobs           int  NOT NULL,
    PRIMARY KEY (country_office, returnee_id)
);
CREATE TABLE visits_seen (event_id uuid PRIMARY KEY, trace text);
