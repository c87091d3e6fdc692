"""Object mothers: a typical returnee, registration and session, overridable per test."""

import random
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any
from uuid import UUID, uuid4

import asyncpg
import httpx

from intake.domain import (
    HoldCounsellingSession,
    IdentityDocument,
    KnownPerson,
    PersonalData,
    RegisterReturnee,
)
from reintegration_contracts import Domain, EventEnvelope, topic_for
from reintegration_contracts.events.intake import ExpertPresence, ReturneeRegistered
from reintegration_contracts.types import AgeBand, Locality, ReturnType, Sex
from reintegration_sdk.auth import Role
from reintegration_sdk.testing.infrastructure import Infrastructure
from reintegration_sdk.testing.service import auth_headers, read_topic

TODAY = date(2025, 3, 10)
ARRIVAL = date(2025, 2, 3)
COMMUNITY = Locality(region="Centre-Est", commune="Tenkodogo")


def a_person(**overrides: Any) -> PersonalData:
    person = PersonalData(
        given_names="Aminata",
        family_name="Ouédraogo",
        birth_date=date(1996, 5, 14),
        phone="+226 70 12 34 56",
        address="Secteur 4, rue 12, Tenkodogo",
        identity_document=IdentityDocument("national_id", "B1234567"),
    )
    return replace(person, **overrides)


def a_registration(**overrides: Any) -> RegisterReturnee:
    command = RegisterReturnee(
        returnee_id=uuid4(),
        registered_on=TODAY,
        arrival_date=ARRIVAL,
        return_type=ReturnType.ASSISTED_VOLUNTARY,
        community=COMMUNITY,
        sex=Sex.FEMALE,
        person=a_person(),
        household_size=4,
    )
    return replace(command, **overrides)


def known_as(person: PersonalData, returnee_id: UUID | None = None) -> KnownPerson:
    return KnownPerson(
        returnee_id=returnee_id or uuid4(),
        given_names=person.given_names,
        family_name=person.family_name,
        birth_date=person.birth_date,
        phone=person.phone,
        document_number=person.identity_document.number if person.identity_document else None,
    )


def registered(returnee_id: UUID, arrival_date: date = ARRIVAL) -> ReturneeRegistered:
    return ReturneeRegistered(
        returnee_id=returnee_id,
        arrival_date=arrival_date,
        return_type=ReturnType.ASSISTED_VOLUNTARY,
        community=COMMUNITY,
        sex=Sex.MALE,
        age_band=AgeBand.AGE_25_34,
        is_minor=False,
        household_size=3,
    )


def a_session(participants: list[UUID], **overrides: Any) -> HoldCounsellingSession:
    command = HoldCounsellingSession(
        session_id=uuid4(),
        held_on=date(2025, 3, 5),
        today=TODAY,
        community=COMMUNITY,
        experts_present=(ExpertPresence(sector="agriculture", count=2),),
        local_authorities_present=1,
        civil_society_present=2,
        participant_ids=tuple(participants),
    )
    return replace(command, **overrides)


# --- Over HTTP -------------------------------------------------------------------------------


def unique_letters(length: int = 8) -> str:
    """Letters no other test shares, so one test's people never look like another's."""
    return "".join(chr(ord("a") + int(c, 16)) for c in uuid4().hex[:length]).capitalize()


def unique_phone() -> str:
    digits = f"{random.randrange(10**8):08d}"
    return f"+226 {digits[:2]} {digits[2:4]} {digits[4:6]} {digits[6:]}"


def a_person_body(**overrides: Any) -> dict[str, Any]:
    return {
        "given_names": "Aminata " + unique_letters(),
        "family_name": "Ouédraogo" + unique_letters(4).lower(),
        "birth_date": date(random.randint(1960, 2000), random.randint(1, 12), 14).isoformat(),
        "phone": unique_phone(),
        "address": f"Secteur {random.randint(1, 30)}, rue {unique_letters(5)}",
        "identity_document": {"kind": "national_id", "number": "B" + uuid4().hex[:9].upper()},
        "notes": "Arrived with a cousin; " + unique_letters(),
        **overrides,
    }


def a_registration_body(**overrides: Any) -> dict[str, Any]:
    return {
        "arrival_date": (date.today() - timedelta(days=40)).isoformat(),
        "return_type": "assisted_voluntary",
        "community": {"region": "Centre-Est", "commune": "Tenkodogo"},
        "sex": "female",
        "person": a_person_body(),
        "vulnerabilities": ["single_parent"],
        "declared_trades": [{"trade": "tailoring", "years_of_experience": 5}],
        "aspirations": ["garment_workshop"],
        "household_size": 4,
        **overrides,
    }


def a_member_body(**overrides: Any) -> dict[str, Any]:
    """A community member: a registration without what only a return has."""
    body = a_registration_body(registered_on=(date.today() - timedelta(days=2)).isoformat())
    for returnee_only in ("arrival_date", "return_type", "declared_trades", "aspirations",
                          "household_size"):  # fmt: skip
        del body[returnee_only]
    return {**body, **overrides}


@dataclass
class IntakeUnderTest:
    """The running service, its two offices and a direct line to its database."""

    http: httpx.AsyncClient
    office: str
    other_office: str
    infrastructure: Infrastructure
    db: asyncpg.Connection

    def headers(self, *roles: str, office: str | None = None) -> dict[str, str]:
        return auth_headers(roles or [Role.CASEWORKER], [office or self.office])

    def url(self, path: str, office: str | None = None) -> str:
        return f"/offices/{office or self.office}{path}"

    async def register(self, body: dict[str, Any] | None = None) -> dict[str, Any]:
        response = await self.http.post(
            self.url("/returnees"), json=body or a_registration_body(), headers=self.headers()
        )
        assert response.status_code == 201, response.text
        result: dict[str, Any] = response.json()
        return result

    async def register_member(self, body: dict[str, Any] | None = None) -> str:
        response = await self.http.post(
            self.url("/community-members"), json=body or a_member_body(), headers=self.headers()
        )
        assert response.status_code == 201, response.text
        member_id: str = response.json()["member_id"]
        return member_id

    async def published(self, stream_id: str, count: int) -> list[EventEnvelope]:
        """The events of one stream on the office's intake topic, once `count` have arrived."""
        envelopes = await read_topic(
            self.infrastructure,
            topic_for(self.office, Domain.INTAKE),
            until=lambda es: len([e for e in es if e.subject == stream_id]) >= count,
        )
        return [e for e in envelopes if e.subject == stream_id]

    async def events_stored(self) -> int:
        count: int = await self.db.fetchval("SELECT count(*) FROM events")
        return count

    async def events_stored_for(self, returnee_id: str) -> int:
        count: int = await self.db.fetchval(
            "SELECT count(*) FROM events WHERE stream_id = $1", f"returnee-{returnee_id}"
        )
        return count
