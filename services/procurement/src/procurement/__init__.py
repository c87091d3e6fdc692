"""The procurement service."""
