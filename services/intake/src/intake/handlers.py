"""Command handlers: load the streams, let the domain decide, append and keep the vault in step,
all in one transaction. No rule of the field lives here."""

from dataclasses import replace
from uuid import UUID

import asyncpg

from intake import vault
from intake.domain import (
    CaseCommand,
    EraseReturnee,
    HoldCounsellingSession,
    RecordInterview,
    RegisterReturnee,
    ReturneeCase,
    SessionOutcome,
    decide,
    fold,
    hold_session,
)
from reintegration_contracts import EventPayload
from reintegration_sdk.auth import AuthorizationError
from reintegration_sdk.eventstore import EventContext, EventStore
from reintegration_sdk.runtime import Runtime


def returnee_stream(returnee_id: UUID) -> str:
    return f"returnee-{returnee_id}"


def session_stream(session_id: UUID) -> str:
    return f"counselling-session-{session_id}"


async def load_case(
    db: asyncpg.Connection, store: EventStore, country_office: str, returnee_id: UUID
) -> tuple[ReturneeCase | None, int]:
    """The case and its stream version; another office's returnee is refused (403)."""
    events = await store.load(db, returnee_stream(returnee_id))
    if events and events[0].country_office != country_office:
        raise AuthorizationError(f"returnee {returnee_id} belongs to another country office")
    return fold(e.payload() for e in events), (events[-1].version if events else 0)


async def register_returnee(
    runtime: Runtime, context: EventContext, command: RegisterReturnee
) -> list[EventPayload]:
    office = context.country_office
    async with runtime.transaction() as db:
        await vault.lock_office_registrations(db, office)
        alike = await vault.people_alike(db, office, command.person)
        events = decide(None, replace(command, people_alike=alike))
        await runtime.store.append(db, returnee_stream(command.returnee_id), 0, events, context)
        await vault.keep(db, office, command.returnee_id, command.person, command.override_note)
    return events


async def act_on_case(
    runtime: Runtime, context: EventContext, returnee_id: UUID, command: CaseCommand
) -> list[EventPayload]:
    async with runtime.transaction() as db:
        return await _decide_on_case(db, runtime.store, context, returnee_id, command)


async def record_interview(
    runtime: Runtime, context: EventContext, returnee_id: UUID, command: RecordInterview
) -> list[EventPayload]:
    async with runtime.transaction() as db:
        events = await _decide_on_case(db, runtime.store, context, returnee_id, command)
        if command.note:
            await vault.keep_interview_note(db, returnee_id, command.interviewed_on, command.note)
    return events


async def erase_returnee(
    runtime: Runtime, context: EventContext, returnee_id: UUID, command: EraseReturnee
) -> list[EventPayload]:
    async with runtime.transaction() as db:
        events = await _decide_on_case(db, runtime.store, context, returnee_id, command)
        await vault.forget(db, returnee_id)
    return events


async def _decide_on_case(
    db: asyncpg.Connection,
    store: EventStore,
    context: EventContext,
    returnee_id: UUID,
    command: CaseCommand,
) -> list[EventPayload]:
    state, version = await load_case(db, store, context.country_office, returnee_id)
    events = decide(state, command)
    await store.append(db, returnee_stream(returnee_id), version, events, context)
    return events


async def hold_counselling_session(
    runtime: Runtime, context: EventContext, command: HoldCounsellingSession
) -> SessionOutcome:
    """The session's stream and one CounsellingAttended in each participant's stream."""
    store = runtime.store
    async with runtime.transaction() as db:
        held = await store.load(db, session_stream(command.session_id))
        cases = await _participants(db, store, context.country_office, command.participant_ids)
        outcome = hold_session(bool(held), command, {i: c for i, (c, _) in cases.items()})
        await store.append(db, session_stream(command.session_id), 0, [outcome.session], context)
        for returnee_id, attended in outcome.attendances.items():
            stream, version = returnee_stream(returnee_id), cases[returnee_id][1]
            await store.append(db, stream, version, [attended], context)
    return outcome


async def _participants(
    db: asyncpg.Connection, store: EventStore, office: str, returnee_ids: tuple[UUID, ...]
) -> dict[UUID, tuple[ReturneeCase | None, int]]:
    cases: dict[UUID, tuple[ReturneeCase | None, int]] = {}
    for returnee_id in dict.fromkeys(returnee_ids):
        try:
            cases[returnee_id] = await load_case(db, store, office, returnee_id)
        except AuthorizationError:
            cases[returnee_id] = (None, 0)  # another office's returnee is unknown here
    return cases
