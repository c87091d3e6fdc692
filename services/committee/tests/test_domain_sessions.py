"""Sessions, convening and localities as tables: given a stream, a command -> events or the
rule; the locality and funnel rules the read models and reports use."""

from dataclasses import dataclass

import pytest

from committee.domain import (
    DEFAULT_CONVENING_THRESHOLD,
    HoldSession,
    SetConveningThreshold,
    approval_rate,
    locality_key,
    place_key,
    ready_to_convene,
    same_locality,
    sessions,
    threshold_in_force,
    thresholds,
)
from reintegration_contracts.events.committee import CommitteeSessionHeld, ConveningThresholdSet
from reintegration_contracts.types import Locality
from reintegration_sdk import InvalidField, InvalidFields, RuleViolation

from .domain_builders import (
    AGRONOMIST,
    EMPLOYMENT_AGENCY,
    MAYOR,
    NGO,
    TODAY,
    a_holding,
    a_session,
)

pytestmark = pytest.mark.unit


@dataclass(frozen=True)
class Refused:
    rule: str
    error: type[Exception] = RuleViolation


# Holding a session ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "command", "expected"),
    [
        pytest.param([], a_holding(), [a_session()], id="valid-session"),
        pytest.param(
            [],
            a_holding(members=(MAYOR, AGRONOMIST, EMPLOYMENT_AGENCY)),
            [a_session(members=[MAYOR, AGRONOMIST, EMPLOYMENT_AGENCY])],
            id="without-civil-society",
        ),
        pytest.param(
            [],
            a_holding(members=(MAYOR, AGRONOMIST)),
            Refused("session_not_quorate"),
            id="two-members",
        ),
        pytest.param(
            [],
            a_holding(members=(MAYOR, NGO, NGO)),
            Refused("session_not_quorate"),
            id="no-technical-expert",
        ),
        pytest.param(
            [],
            a_holding(members=(NGO, AGRONOMIST, EMPLOYMENT_AGENCY)),
            Refused("session_not_quorate"),
            id="no-local-authority",
        ),
        pytest.param(
            [],
            a_holding(held_on=TODAY.replace(month=7)),
            Refused("invalid_field", InvalidField),
            id="held-in-the-future",
        ),
        pytest.param(
            [a_session()], a_holding(), Refused("session_already_held"), id="recorded-twice"
        ),
    ],
)
def test_holding_a_session(
    given: list[CommitteeSessionHeld],
    command: HoldSession,
    expected: list[CommitteeSessionHeld] | Refused,
) -> None:
    if isinstance(expected, Refused):
        with pytest.raises(expected.error) as refusal:
            sessions.given(given, command)
        assert getattr(refusal.value, "rule", "") == expected.rule
    else:
        assert sessions.given(given, command) == expected


def test_a_session_in_the_future_names_the_field() -> None:
    with pytest.raises(InvalidFields) as refusal:
        sessions.given([], a_holding(held_on=TODAY.replace(month=7)))
    assert refusal.value.problems == [("held_on", "is in the future")]


def test_a_session_stream_is_its_one_event() -> None:
    assert sessions.fold([]) is None
    assert sessions.fold([a_session()]) == a_session()


# Convening --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("waiting", "threshold", "ready"), [(3, 4, False), (4, 4, True), (5, 4, True), (2, 2, True)]
)
def test_a_locality_is_ready_to_convene_at_the_threshold(
    waiting: int, threshold: int, ready: bool
) -> None:
    assert ready_to_convene(waiting, threshold) is ready


def test_setting_the_convening_threshold() -> None:
    command = SetConveningThreshold(threshold=5, today=TODAY)
    (event,) = thresholds.given([], command)
    assert (event.threshold, event.set_on) == (5, TODAY)
    assert event == ConveningThresholdSet(threshold=5, set_on=TODAY)
    earlier = ConveningThresholdSet(threshold=3, set_on=TODAY.replace(month=1))
    assert thresholds.given([earlier], command) == [event]
    assert thresholds.fold([earlier, event]) == event


@pytest.mark.parametrize(
    ("setting", "in_force"), [(None, DEFAULT_CONVENING_THRESHOLD), (2, 2), (15, 15)]
)
def test_the_default_threshold_holds_until_the_office_sets_one(
    setting: int | None, in_force: int
) -> None:
    assert DEFAULT_CONVENING_THRESHOLD == 4
    assert threshold_in_force(setting) == in_force


# Localities -------------------------------------------------------------------------------

TENKODOGO = Locality(region="Centre-Est", commune="Tenkodogo")


@pytest.mark.parametrize(
    ("other", "same"),
    [
        pytest.param(TENKODOGO, True, id="as-written"),
        pytest.param(Locality(region="centre-est ", commune="TENKODOGO"), True, id="case-spaces"),
        pytest.param(Locality(region=" CENTRE-EST", commune=" tenkodogo "), True, id="padded"),
        pytest.param(Locality(region="Centre-Est", commune="Koupela"), False, id="other-commune"),
        pytest.param(Locality(region="Centre", commune="Tenkodogo"), False, id="other-region"),
    ],
)
def test_a_locality_is_one_place_whatever_its_spelling(other: Locality, same: bool) -> None:
    assert same_locality(TENKODOGO, other) is same
    assert (locality_key(TENKODOGO) == locality_key(other)) is same


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Centre-Est", "centre-est"),
        ("  Boucle du Mouhoun ", "boucle du mouhoun"),
        ("ÉCOLE", "école"),
        # Case folding, not lower(): what SQL's lower() would keep apart is one place here.
        ("Straße", "strasse"),
        ("STRASSE", "strasse"),
    ],
)
def test_a_place_is_compared_trimmed_and_case_folded(name: str, key: str) -> None:
    assert place_key(name) == key


# The funnel -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("approved", "decided", "rate"),
    [(2, 3, 0.6667), (3, 3, 1.0), (0, 2, 0.0), (0, 0, None), (1, 7, 0.1429)],
)
def test_the_approval_rate_is_the_share_of_decided_plans_approved(
    approved: int, decided: int, rate: float | None
) -> None:
    assert approval_rate(approved, decided) == rate
