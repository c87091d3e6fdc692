-- The configuration in force in each office: the latest version wins, whatever order the
-- events are applied in (a rebuild, a replay).
CREATE TABLE programme_configurations (
    country_office text PRIMARY KEY,
    version integer NOT NULL CHECK (version >= 1),
    configured_on date NOT NULL,
    configuration jsonb NOT NULL
);
