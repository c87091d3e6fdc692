-- The event store is also the outbox: the relay publishes rows in position order.
CREATE TABLE events (
    position        bigserial PRIMARY KEY,
    stream_id       text        NOT NULL,
    version         int         NOT NULL,
    event_id        uuid        NOT NULL UNIQUE,
    event_name      text        NOT NULL,
    data_version    int         NOT NULL,
    domain          text        NOT NULL,
    country_office  text        NOT NULL,
    data            jsonb       NOT NULL,
    actor           text        NOT NULL,
    correlation_id  text        NOT NULL,
    causation_id    text,
    traceparent     text,
    recorded_at     timestamptz NOT NULL DEFAULT clock_timestamp(),
    -- The writing transaction. Positions are handed out in insert order, not commit order,
    -- so the relay orders by (transaction_id, position) and reads only transactions older than
    -- every one still in flight: that set never grows again, so nothing can be skipped.
    transaction_id  xid8        NOT NULL DEFAULT pg_current_xact_id(),
    UNIQUE (stream_id, version)
);
CREATE INDEX events_relay_order ON events (transaction_id, position);

CREATE TABLE relay_checkpoint (
    name           text PRIMARY KEY,
    transaction_id xid8   NOT NULL,
    position       bigint NOT NULL,
    updated_at     timestamptz NOT NULL DEFAULT now()
);

-- Event ids already applied by a subscriber, written in the handler's own transaction.
CREATE TABLE inbox (
    consumer    text NOT NULL,
    event_id    uuid NOT NULL,
    applied_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer, event_id)
);

-- Messages a subscriber could not apply after retries, kept beside the DLQ topic copy.
CREATE TABLE dead_letters (
    id          bigserial PRIMARY KEY,
    consumer    text NOT NULL,
    topic       text NOT NULL,
    partition   int  NOT NULL,
    "offset"    bigint NOT NULL,
    reason      text NOT NULL,
    recorded_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE projection_checkpoints (
    projection text PRIMARY KEY,
    position   bigint NOT NULL
);
