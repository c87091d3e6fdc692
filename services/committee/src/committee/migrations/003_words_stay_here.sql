-- People's own words stay in this database, never on the wire (DESIGN.md, "People and their
-- data"): the v2 committee events carry catalogue item codes and categories. A plan's activity,
-- its items and specifications in words and the in-kind contribution in words ('submission'),
-- the committee's words on a decision ('decision'), and the organisations sitting at a session
-- are written by the command that appends the event, in its transaction. They are primary
-- data, not read models: a rebuild leaves them alone, and erasing a returnee deletes the words
-- of every plan naming them without touching any stream.

CREATE TABLE plan_words (
    plan_id        uuid  NOT NULL,
    part           text  NOT NULL CHECK (part IN ('submission', 'decision')),
    country_office text  NOT NULL,
    words          jsonb NOT NULL,
    PRIMARY KEY (plan_id, part)
);

CREATE TABLE session_words (
    session_id     uuid  PRIMARY KEY,
    country_office text  NOT NULL,
    organisations  jsonb NOT NULL  -- one per member, in the order of the event's members
);

-- Rows projected from v1 events held the activity: keep it here, and leave the read model as a
-- projection of the upcast events writes it.
INSERT INTO plan_words (plan_id, part, country_office, words)
SELECT plan_id, 'submission', country_office, jsonb_build_object('activity', activity)
FROM plans;
ALTER TABLE plans DROP COLUMN activity;

INSERT INTO session_words (session_id, country_office, organisations)
SELECT session_id, country_office,
       coalesce((SELECT jsonb_agg(m->>'organisation' ORDER BY n)
                 FROM jsonb_array_elements(members) WITH ORDINALITY AS t(m, n)), '[]')
FROM committee_sessions;
UPDATE committee_sessions SET
    members = (SELECT coalesce(jsonb_agg(jsonb_build_object('role', m->'role') ORDER BY n), '[]')
               FROM jsonb_array_elements(members) WITH ORDINALITY AS t(m, n));
