-- What the committee needs of each office's programme (programme's ProgrammeConfigured): only
-- whether a plan waits for the entrepreneurship course. The highest version is in force,
-- whichever order the versions arrive in. No row: the course is required (Burkina Faso's way).
CREATE TABLE plan_rules (
    country_office text PRIMARY KEY,
    version integer NOT NULL,
    entrepreneurship_before_plan boolean NOT NULL
);
