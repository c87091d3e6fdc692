"""The committee service."""
