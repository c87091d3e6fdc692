-- Who this store is, for the relay's Kafka transactions and checkpoint: a fresh database gets
-- a new random id, so it never resumes from (or fences) another database's relay.
CREATE TABLE store_identity (
    singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    store_id  uuid NOT NULL DEFAULT gen_random_uuid(),
    created_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO store_identity DEFAULT VALUES;

-- The checkpoint committed in Kafka is the truth; this row caches it, and `kafka_offset` says
-- where in the checkpoint topic to start looking for a newer one.
ALTER TABLE relay_checkpoint ADD COLUMN kafka_offset bigint;

-- Events of types this consumer does not know (a newer producer's), skipped but counted.
CREATE TABLE skipped_events (
    consumer     text   NOT NULL,
    event_type   text   NOT NULL,
    count        bigint NOT NULL,
    last_seen_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer, event_type)
);

-- A record redelivered after a crash is dead-lettered again; its row is kept once.
DELETE FROM dead_letters d USING dead_letters e
WHERE d.consumer = e.consumer AND d.topic = e.topic AND d.partition = e.partition
  AND d."offset" = e."offset" AND d.id > e.id;
CREATE UNIQUE INDEX dead_letters_once ON dead_letters (consumer, topic, partition, "offset");
