"""Benchmarks of the SDK runtime against raw clients and a peer library (`make bench`).

One run, on the stack's PostgreSQL server and Kafka broker, in databases and topics of its
own that are removed at the end:

- append: `EventStore.append` against raw asyncpg inserts and the `eventsourcing` library;
- relay: `Relay.publish_pending` against a raw idempotent aiokafka producer;
- inbox: the FastStream inbox subscriber applying a one-row handler against a raw consumer.
"""
