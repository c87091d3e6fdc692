-- Beyond returnees (#20): community members, psychosocial support and the job path.

-- What a psychosocial session's facilitator noted is about its participants: vault only,
-- deleted with any participant's personal data on erasure.
CREATE TABLE vault_psychosocial_notes (
    session_id       uuid PRIMARY KEY,
    country_office   text NOT NULL,
    participant_ids  uuid[] NOT NULL,
    note             text NOT NULL,
    recorded_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX vault_psychosocial_notes_by_participant
    ON vault_psychosocial_notes USING gin (participant_ids);

-- Read models (projections.py); a rebuild truncates and replays them.
CREATE TABLE community_members (
    member_id        uuid PRIMARY KEY,
    country_office   text NOT NULL,
    sub_office       text,
    registered_on    date NOT NULL,
    region           text NOT NULL,
    commune          text NOT NULL,
    sex              text NOT NULL,
    age_band         text NOT NULL,
    is_minor         boolean NOT NULL,
    vulnerabilities  text[] NOT NULL,
    caseworker       text
);
CREATE INDEX community_members_by_office ON community_members (country_office, registered_on);

CREATE TABLE psychosocial_sessions (
    session_id       uuid PRIMARY KEY,
    country_office   text NOT NULL,
    kind             text NOT NULL,
    held_on          date NOT NULL,
    region           text NOT NULL,
    commune          text NOT NULL,
    facilitator      text NOT NULL,
    participant_ids  uuid[] NOT NULL
);
CREATE INDEX psychosocial_sessions_by_participant
    ON psychosocial_sessions USING gin (participant_ids);

CREATE TABLE psychosocial_assistance (
    event_id     uuid PRIMARY KEY,
    returnee_id  uuid NOT NULL,
    provided_on  date NOT NULL,
    forms        text[] NOT NULL
);
CREATE INDEX psychosocial_assistance_by_returnee ON psychosocial_assistance (returnee_id);

CREATE TABLE job_fairs (
    fair_id               uuid PRIMARY KEY,
    country_office        text NOT NULL,
    held_on               date NOT NULL,
    region                text NOT NULL,
    commune               text NOT NULL,
    organisations         jsonb NOT NULL,
    participant_ids       uuid[] NOT NULL,
    young_people_present  int NOT NULL
);
CREATE INDEX job_fairs_by_participant ON job_fairs USING gin (participant_ids);

CREATE TABLE cv_support (
    event_id      uuid PRIMARY KEY,
    returnee_id   uuid NOT NULL,
    supported_on  date NOT NULL
);
CREATE INDEX cv_support_by_returnee ON cv_support (returnee_id);

-- One row per referral; its outcomes in the order they were recorded (one stream: in order).
CREATE TABLE job_referrals (
    referral_id      uuid PRIMARY KEY,
    country_office   text NOT NULL,
    returnee_id      uuid NOT NULL,
    referred_on      date NOT NULL,
    to_kind          text NOT NULL,
    organisation_id  text,
    sector           text NOT NULL,
    fair_id          uuid,
    outcomes         jsonb NOT NULL DEFAULT '[]'
);
CREATE INDEX job_referrals_by_office ON job_referrals (country_office, referred_on);
CREATE INDEX job_referrals_by_returnee ON job_referrals (returnee_id);
