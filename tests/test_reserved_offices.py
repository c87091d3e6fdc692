"""Tests never write to the offices people run on a development stack.

A test that draws bf as its random office leaves its events on bf's topics for good, where
the demo's read models count them: the late-commit relay test's two FollowUpRecorded are two
more returnees followed up (the likely cause of `make demo` once showing 149 followed up for
147 kits delivered, with 147 FollowUpsScheduled on bf's topics).
"""

import pytest

from reintegration_scenarios import scenario
from reintegration_sdk.testing.service import RESERVED_OFFICES, TEST_OFFICES, random_office

pytestmark = pytest.mark.unit


def test_every_bundled_scenario_plays_in_a_reserved_office() -> None:
    offices = {scenario.load(name).country_office for name in scenario.bundled()}
    assert offices <= RESERVED_OFFICES


def test_tests_are_dealt_other_offices() -> None:
    assert RESERVED_OFFICES.isdisjoint(TEST_OFFICES)
    assert random_office() in TEST_OFFICES
