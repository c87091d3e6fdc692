"""Where a plan is carried out, and which committee decides it.

Caseworkers type region and commune names by hand ("Centre-Est", "centre-est ", "CENTRE-EST"):
one locality is the same place whatever the spelling of its case and surrounding spaces. The
read models store the key this module gives, so a list filtered by commune, the funnel per
locality and the localities ready to convene group plans exactly as a decision compares a
session's locality with a plan's.
"""

from reintegration_contracts.types import Locality


def place_key(name: str) -> str:
    """A region's or a commune's name as compared: trimmed, case folded."""
    return name.strip().casefold()


def locality_key(locality: Locality) -> tuple[str, str]:
    """The (region, commune) a locality is compared by."""
    return place_key(locality.region), place_key(locality.commune)


def same_locality(a: Locality, b: Locality) -> bool:
    """The committee of a plan's own locality decides it: are these the same place?"""
    return locality_key(a) == locality_key(b)


def locality_name(locality: Locality) -> str:
    return f"{locality.commune}, {locality.region}"
