-- Answers to commands sent with an Idempotency-Key, written in the command's own transaction:
-- a retry finds the first answer (and the command's events are committed with it, or neither).
CREATE TABLE idempotency_keys (
    scope         text        NOT NULL,  -- who sent it: a key is unique per principal
    key           text        NOT NULL,
    fingerprint   bytea       NOT NULL,  -- method, path, query and body of the first request
    status        int,
    content_type  text,
    body          bytea,
    created_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (scope, key)
);
