"""A complete small service on the SDK, as a country mission would write its own.

A partner NGO's desk records home visits (FollowUpRecorded), keeps a read model of visits per
returnee in the same transaction as each append, and, through the inbox, counts the visits it
sees coming back from Kafka. Run it: `uv run python -m visits_desk` (from sdk/examples).
CI runs its tests (sdk/tests/test_example_service.py).
"""
