"""Runtime of the reintegration platform."""
