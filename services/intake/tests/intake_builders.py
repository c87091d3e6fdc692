"""Object mothers: a typical returnee, registration and session, overridable per test."""

from dataclasses import replace
from datetime import date
from typing import Any
from uuid import UUID, uuid4

from intake.domain import (
    HoldCounsellingSession,
    IdentityDocument,
    KnownPerson,
    PersonalData,
    RegisterReturnee,
)
from reintegration_contracts.events.intake import ExpertPresence, ReturneeRegistered
from reintegration_contracts.types import AgeBand, Locality, ReturnType, Sex

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
