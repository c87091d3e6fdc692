-- The registry (own events) and the directory that never leaves this database.
CREATE TABLE partners (
    partner_id     text PRIMARY KEY,
    home_office    text NOT NULL,
    kind           text NOT NULL,
    category       text NOT NULL,
    offices        text[] NOT NULL,
    registered_on  date NOT NULL
);
-- Name and contacts of an organisation's people: kept here, erasable, never in an event.
CREATE TABLE partner_directory (
    partner_id  text PRIMARY KEY,
    name        text NOT NULL,
    contacts    jsonb NOT NULL DEFAULT '[]'
);
CREATE TABLE agreements (
    agreement_id  uuid PRIMARY KEY,
    partner_id    text NOT NULL,
    country_office text NOT NULL,
    offices       text[] NOT NULL,
    purposes      text[] NOT NULL,
    shares        jsonb NOT NULL,
    starts_on     date NOT NULL,
    ends_on       date NOT NULL,
    signed_on     date NOT NULL,
    revoked_on    date,
    revocation_reason text
);
CREATE INDEX agreements_by_partner ON agreements (partner_id);

-- What intake said about consent, one row per (returnee, purpose, category): the latest
-- given and latest withdrawn day, so any order of the events gives the same row.
CREATE TABLE consents (
    returnee_id     uuid NOT NULL,
    purpose         text NOT NULL,
    partner_category text NOT NULL,
    country_office  text NOT NULL,
    given_on        date,
    withdrawn_on    date,
    PRIMARY KEY (returnee_id, purpose, partner_category)
);
-- Events about one returnee, held so that a consent or an agreement arriving later releases
-- what it covers. Purged on erasure.
CREATE TABLE observed_events (
    event_id       uuid PRIMARY KEY,
    event_type     text NOT NULL,
    country_office text NOT NULL,
    returnee_id    uuid NOT NULL,
    occurred_at    timestamptz NOT NULL,
    data           jsonb NOT NULL
);
CREATE INDEX observed_by_returnee ON observed_events (returnee_id);
CREATE TABLE erased_returnees (
    returnee_id uuid PRIMARY KEY,
    erased_on   date NOT NULL
);

-- Each partner's feed: append-only, in commit order (writers hold one advisory lock, so a
-- sequence number is never handed out to a transaction that commits after a later one).
-- returnee_id is for purging and never leaves this database; `subject` is the pseudonym.
CREATE TABLE feed_entries (
    seq             bigserial PRIMARY KEY,
    entry_id        uuid NOT NULL UNIQUE,
    partner_id      text NOT NULL,
    kind            text NOT NULL,      -- event | consent_withdrawn | returnee_erased
    event_type      text NOT NULL,
    source_event_id uuid NOT NULL,
    agreement_id    uuid,
    country_office  text NOT NULL,
    returnee_id     uuid NOT NULL,
    subject         text NOT NULL,
    occurred_at     timestamptz NOT NULL,
    data            jsonb NOT NULL,
    UNIQUE (partner_id, source_event_id, kind)
);
CREATE INDEX feed_by_partner ON feed_entries (partner_id, seq);
CREATE INDEX feed_by_returnee ON feed_entries (returnee_id);

-- Delivery to Kafka: the last sequence number of each partner's feed published.
CREATE TABLE kafka_feed_checkpoint (
    partner_id    text PRIMARY KEY,
    published_seq bigint NOT NULL
);

-- Webhook endpoints: state per endpoint, so one failing or slow endpoint holds up no other.
CREATE TABLE webhook_endpoints (
    endpoint_id   uuid PRIMARY KEY,
    partner_id    text NOT NULL,
    url           text NOT NULL,
    secrets       text[] NOT NULL,     -- the newest first; several during a rotation
    state         text NOT NULL DEFAULT 'active',  -- active | disabled
    disabled_reason text,
    disabled_at   timestamptz,
    failing_since timestamptz,
    enqueued_seq  bigint NOT NULL DEFAULT 0,
    created_at    timestamptz NOT NULL DEFAULT now()
);
-- One delivery per (endpoint, feed entry): its exact bytes, made once, re-sent on every retry.
CREATE TABLE webhook_deliveries (
    delivery_id     bigserial PRIMARY KEY,
    endpoint_id     uuid NOT NULL REFERENCES webhook_endpoints ON DELETE CASCADE,
    seq             bigint NOT NULL REFERENCES feed_entries ON DELETE CASCADE,
    webhook_id      text NOT NULL,
    body            bytea NOT NULL,
    state           text NOT NULL DEFAULT 'pending',  -- pending | delivered | failed | stopped
    attempts        integer NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    last_status     integer,
    delivered_at    timestamptz,
    UNIQUE (endpoint_id, seq)
);
CREATE INDEX deliveries_due ON webhook_deliveries (endpoint_id, next_attempt_at)
    WHERE state = 'pending';
CREATE TABLE webhook_attempts (
    delivery_id  bigint NOT NULL REFERENCES webhook_deliveries ON DELETE CASCADE,
    attempt      integer NOT NULL,
    attempted_at timestamptz NOT NULL,
    status       integer,
    latency_ms   integer NOT NULL,
    error        text,
    PRIMARY KEY (delivery_id, attempt)
);
