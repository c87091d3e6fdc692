"""An old event version is read as the current one through its upcaster."""

from uuid import uuid4

import pytest

from reintegration_contracts import read_payload, upcast
from reintegration_contracts.events.intake import ReturneeRegistered, ReturneeRegisteredV1
from reintegration_contracts.registry import PayloadInvalid, UnknownEventType, latest_version
from reintegration_contracts.types import AgeBand

pytestmark = pytest.mark.unit


def _v1(age: int) -> dict[str, object]:
    return ReturneeRegisteredV1(
        returnee_id=uuid4(),
        arrival_date="2018-03-02",  # type: ignore[arg-type]
        return_type="assisted_voluntary",  # type: ignore[arg-type]
        community={"region": "Centre-Est", "commune": "Tenkodogo"},  # type: ignore[arg-type]
        sex="male",  # type: ignore[arg-type]
        age=age,
        household_size=4,
    ).model_dump(mode="json")


def test_returnee_registered_v1_reads_as_v2_with_an_age_band_instead_of_the_age() -> None:
    stored = _v1(age=16)
    payload = read_payload("ReturneeRegistered", 1, stored)
    assert isinstance(payload, ReturneeRegistered)
    assert payload.age_band is AgeBand.AGE_15_17
    assert payload.is_minor is True
    assert "age" not in payload.model_dump()
    assert str(payload.returnee_id) == stored["returnee_id"]


def test_upcast_reaches_the_latest_version() -> None:
    version, data = upcast("ReturneeRegistered", 1, _v1(age=40))
    assert version == latest_version("ReturneeRegistered") == 2
    assert data["age_band"] == "35-44"
    assert data["is_minor"] is False


def test_unknown_versions_and_invalid_payloads_are_named() -> None:
    with pytest.raises(UnknownEventType):
        read_payload("ReturneeRegistered", 9, {})
    with pytest.raises(UnknownEventType):
        read_payload("NoSuchEvent", 1, {})
    with pytest.raises(PayloadInvalid, match="household_size"):
        read_payload("ReturneeRegistered", 1, {**_v1(age=30), "household_size": 0})
