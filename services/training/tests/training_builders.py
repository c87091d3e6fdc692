"""Object mothers for training's integration tests: a running service, a contracted centre,
a cohort and a counselled returnee, each with sensible defaults a test overrides."""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from uuid import UUID, uuid4

import httpx

from reintegration_contracts import Domain, EventEnvelope, topic_for
from reintegration_contracts.events.intake import (
    CounsellingAttended,
    CounsellingInterviewRecorded,
    ReturneeRegistered,
)
from reintegration_contracts.events.programme import ProgrammeConfigured
from reintegration_contracts.types import AgeBand, Locality, ReturnType, Sex, Track
from reintegration_sdk import Role
from reintegration_sdk.testing.infrastructure import Infrastructure
from reintegration_sdk.testing.service import (
    auth_headers,
    eventually,
    publish,
    read_topic,
    upstream_event,
)

TODAY = date.today()
# Courses in these tests ran recently, so attendance for their days can be recorded.
LAST_MONTH = TODAY - timedelta(days=30)
LOCALITY = {"region": "Centre-Est", "commune": "Tenkodogo"}
DAILY_ALLOWANCE = 2600


def returnee_registered(returnee_id: UUID, sex: Sex = Sex.FEMALE) -> ReturneeRegistered:
    return ReturneeRegistered(
        returnee_id=returnee_id,
        arrival_date=LAST_MONTH - timedelta(days=60),
        return_type=ReturnType.ASSISTED_VOLUNTARY,
        community=Locality(**LOCALITY),
        sex=sex,
        age_band=AgeBand.AGE_25_34,
        is_minor=False,
        household_size=3,
    )


def interview_recorded(returnee_id: UUID) -> CounsellingInterviewRecorded:
    return CounsellingInterviewRecorded(
        returnee_id=returnee_id,
        interviewed_on=LAST_MONTH - timedelta(days=20),
        years_of_experience=3,
        intended_track=Track.VOCATIONAL_TRAINING,
    )


def counselling_attended(returnee_id: UUID, on: date = LAST_MONTH) -> CounsellingAttended:
    return CounsellingAttended(
        returnee_id=returnee_id, session_id=uuid4(), attended_on=on, days_since_arrival=31
    )


@dataclass
class TrainingUnderTest:
    client: httpx.AsyncClient
    office: str
    other_office: str
    infrastructure: Infrastructure
    mali_office: str = ""

    def at(self, office: str) -> "TrainingUnderTest":
        """The same service, acting for another of its offices."""
        return TrainingUnderTest(self.client, office, self.other_office, self.infrastructure)

    async def configure_programme(self, configured: ProgrammeConfigured) -> None:
        """The programme service publishes the office's configuration."""
        await publish(self.infrastructure, [upstream_event(configured, self.office)])

    @property
    def officer(self) -> dict[str, str]:
        return auth_headers([Role.TRAINING_OFFICER], [self.office], subject="trainer-1")

    async def post(self, path: str, body: dict[str, Any]) -> httpx.Response:
        return await self.client.post(
            f"/offices/{self.office}{path}", json=body, headers=self.officer
        )

    async def get(self, path: str, **params: Any) -> httpx.Response:
        return await self.client.get(
            f"/offices/{self.office}{path}", params=params, headers=self.officer
        )

    async def registered(self, *returnee_ids: UUID, sex: Sex = Sex.FEMALE) -> None:
        """Intake says the office registered these returnees; wait until training knows."""
        await self.from_intake([returnee_registered(r, sex) for r in returnee_ids])
        for returnee_id in returnee_ids:
            await self.until_known(returnee_id, "registered")

    async def counselled(self, *returnee_ids: UUID, sex: Sex = Sex.FEMALE) -> None:
        """Intake says the office registered these returnees and they attended a group
        counselling session; wait until training knows."""
        await self.registered(*returnee_ids, sex=sex)
        await self.from_intake([counselling_attended(r) for r in returnee_ids])
        for returnee_id in returnee_ids:
            await self.until_counselled(returnee_id)

    async def interviewed(self, *returnee_ids: UUID, sex: Sex = Sex.FEMALE) -> None:
        """Registered and interviewed individually (Mali's counselling), no group session."""
        await self.registered(*returnee_ids, sex=sex)
        await self.from_intake([interview_recorded(r) for r in returnee_ids])
        for returnee_id in returnee_ids:
            await self.until_known(returnee_id, "interviewed_on")

    async def from_intake(self, events: list[Any]) -> None:
        await publish(self.infrastructure, [upstream_event(e, self.office) for e in events])

    async def until_counselled(self, returnee_id: UUID) -> None:
        await self.until_known(returnee_id, "counselled_on")

    async def until_known(self, returnee_id: UUID, fact: str) -> None:
        async def known() -> None:
            record = (await self.get(f"/returnees/{returnee_id}")).json()
            assert record[fact]

        await eventually(known)

    async def contracted_centre(
        self, trades: tuple[str, ...] = ("welding",), capacity: int = 30
    ) -> UUID:
        body = {
            "name": "CFP Tenkodogo",
            "city": "Tenkodogo",
            "trades": trades,
            "capacity": capacity,
        }
        centre_id = UUID((await self.post("/centres", body)).json()["id"])
        inspection = {
            "inspected_on": str(TODAY - timedelta(days=200)),
            "equipment_adequate": True,
            "trainers_qualified": True,
        }
        assert (await self.post(f"/centres/{centre_id}/inspections", inspection)).status_code == 201
        contract = {
            "contract_reference": f"C-{centre_id.hex[:6]}",
            "valid_from": str(TODAY - timedelta(days=180)),
            "valid_until": str(TODAY + timedelta(days=180)),
        }
        assert (await self.post(f"/centres/{centre_id}/contracts", contract)).status_code == 201
        return centre_id

    async def vocational_cohort(
        self,
        centre_id: UUID,
        trade: str = "welding",
        start: date = LAST_MONTH,
        days: int = 10,
        capacity: int = 10,
    ) -> UUID:
        body = {
            "kind": "vocational",
            "trade": trade,
            "centre_id": str(centre_id),
            "locality": LOCALITY,
            "start_date": str(start),
            "duration_days": days,
            "capacity": capacity,
        }
        response = await self.post("/cohorts", body)
        assert response.status_code == 201, response.text
        return UUID(response.json()["id"])

    async def entrepreneurship_cohort(self, start: date = LAST_MONTH, capacity: int = 20) -> UUID:
        body = {
            "kind": "entrepreneurship",
            "locality": LOCALITY,
            "start_date": str(start),
            "capacity": capacity,
        }
        response = await self.post("/cohorts", body)
        assert response.status_code == 201, response.text
        return UUID(response.json()["id"])

    async def enrol(self, cohort_id: UUID, returnee_id: UUID) -> httpx.Response:
        body = {"returnee_id": str(returnee_id), "enrolled_on": str(LAST_MONTH)}
        return await self.post(f"/cohorts/{cohort_id}/enrolments", body)

    async def attend(self, cohort_id: UUID, day: date, **marks: bool) -> httpx.Response:
        body = {
            "day": str(day),
            "marks": [{"returnee_id": r, "present": p} for r, p in marks.items()],
        }
        return await self.post(f"/cohorts/{cohort_id}/attendance", body)

    async def published(self, until: Any, timeout: float = 20.0) -> list[EventEnvelope]:
        """Training's events on Kafka for this office, read until `until(envelopes)` holds."""
        topic = topic_for(self.office, Domain.TRAINING)
        envelopes = await read_topic(self.infrastructure, topic, until=until, timeout=timeout)
        assert until(envelopes), "the expected events never reached Kafka"
        return envelopes


def about(returnee_id: UUID, name: str) -> Any:
    """A predicate: some envelope is event `name` about this returnee."""

    def holds(envelopes: list[EventEnvelope]) -> bool:
        return any(of(e, returnee_id, name) for e in envelopes)

    return holds


def of(envelope: EventEnvelope, returnee_id: UUID, name: str) -> bool:
    return envelope.event_name == name and envelope.data.get("returnee_id") == str(returnee_id)
