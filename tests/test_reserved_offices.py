"""Tests never write to the offices people run on a development stack.

`make demo` once showed 149 returnees followed up for 147 kits delivered in bf: a relay test
had drawn bf as its random office, and its two FollowUpRecorded stayed on bf's monitoring topic
for good, where monitoring's read model counted them as two more followed-up returnees.
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
