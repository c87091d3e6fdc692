"""Programmes run through the platform as a country office would: over HTTP only."""
