"""Test support for services built on the SDK: real broker and database, never mocks.

Enable with `pytest_plugins = ["reintegration_sdk.testing.plugin"]`.
"""
