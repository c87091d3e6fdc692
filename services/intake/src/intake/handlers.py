"""Command handlers: gather the facts a rule needs, then run the command. No rules here.

Each runs in the route's transaction (`work`), so the facts it reads, the events it appends,
the read models they update and the vault's rows commit together: a registration never exists
without its person, nor an erasure with the person still kept.
"""

from dataclasses import replace
from uuid import UUID

from intake import vault
from intake.domain import (
    AttendSession,
    CaseCommand,
    CaseEvent,
    EraseReturnee,
    HoldCounsellingSession,
    HoldJobFair,
    HoldPsychosocialSession,
    MakeJobReferral,
    Participant,
    RecordInterview,
    RegisterCommunityMember,
    RegisterReturnee,
    ReturneeCase,
    cases,
    fair_stream,
    job_fairs,
    member_stream,
    members,
    psychosocial_sessions,
    psychosocial_stream,
    returnee_stream,
    session_stream,
    sessions,
)
from reintegration_contracts.events.intake import (
    CommunityMemberRegistered,
    CounsellingAttended,
    CounsellingSessionHeld,
    JobFairHeld,
    PsychosocialSessionHeld,
)
from reintegration_sdk import UnitOfWork


async def register_returnee(work: UnitOfWork, command: RegisterReturnee) -> list[CaseEvent]:
    office = work.country_office
    await vault.hold_registrations_alike(work.db, office, command.person)
    command = replace(
        command, people_alike=await vault.people_alike(work.db, office, command.person)
    )
    events = await work.execute(cases, returnee_stream(command.returnee_id), command)
    await vault.keep(work.db, office, command.returnee_id, command.person, command.override_note)
    return events


async def act_on_case(work: UnitOfWork, returnee_id: UUID, command: CaseCommand) -> list[CaseEvent]:
    # Another office's returnee loads as never registered, so the domain answers 404 with the
    # words of a random id: a 403 would tell that the person is registered elsewhere.
    return await work.execute(cases, returnee_stream(returnee_id), command)


async def record_interview(
    work: UnitOfWork, returnee_id: UUID, command: RecordInterview
) -> list[CaseEvent]:
    events = await act_on_case(work, returnee_id, command)
    if command.note:
        await vault.keep_interview_note(work.db, returnee_id, command.interviewed_on, command.note)
    return events


async def erase_returnee(
    work: UnitOfWork, returnee_id: UUID, command: EraseReturnee
) -> list[CaseEvent]:
    events = await act_on_case(work, returnee_id, command)
    await vault.forget(work.db, returnee_id)
    return events


async def hold_counselling_session(
    work: UnitOfWork, command: HoldCounsellingSession
) -> tuple[CounsellingSessionHeld, list[CounsellingAttended]]:
    """The session's stream, then one CounsellingAttended in each participant's stream."""
    command = replace(command, participants=await participants(work, command.participant_ids))
    [held] = await work.execute(sessions, session_stream(command.session_id), command)
    attended = AttendSession(command.session_id, command.held_on)
    attendances = [
        event
        for returnee_id in dict.fromkeys(command.participant_ids)
        for event in await work.execute(cases, returnee_stream(returnee_id), attended)
        if isinstance(event, CounsellingAttended)
    ]
    return held, attendances


async def register_community_member(
    work: UnitOfWork, command: RegisterCommunityMember
) -> list[CommunityMemberRegistered]:
    """As a returnee's registration: the same vault, the same duplicate check, one transaction."""
    office = work.country_office
    await vault.hold_registrations_alike(work.db, office, command.person)
    command = replace(
        command, people_alike=await vault.people_alike(work.db, office, command.person)
    )
    events = await work.execute(members, member_stream(command.member_id), command)
    await vault.keep(work.db, office, command.member_id, command.person, command.override_note)
    return events


async def hold_psychosocial_session(
    work: UnitOfWork, command: HoldPsychosocialSession
) -> list[PsychosocialSessionHeld]:
    people = {
        person_id: await psychosocial_participant(work, person_id)
        for person_id in dict.fromkeys(command.participant_ids)
    }
    command = replace(command, participants=people)
    events = await work.execute(
        psychosocial_sessions, psychosocial_stream(command.session_id), command
    )
    if command.notes:
        await vault.keep_psychosocial_note(
            work.db, work.country_office, command.session_id, command.participant_ids, command.notes
        )
    return events


async def hold_job_fair(work: UnitOfWork, command: HoldJobFair) -> list[JobFairHeld]:
    command = replace(command, participants=await participants(work, command.participant_ids))
    return await work.execute(job_fairs, fair_stream(command.fair_id), command)


async def make_job_referral(
    work: UnitOfWork, returnee_id: UUID, command: MakeJobReferral
) -> list[CaseEvent]:
    if command.fair_id is not None:
        # Another office's fair loads as never held, like another office's returnee.
        fair = (await work.load(job_fairs, fair_stream(command.fair_id))).state
        command = replace(command, fair=fair)
    return await act_on_case(work, returnee_id, command)


# Facts ---------------------------------------------------------------------------------------


async def psychosocial_participant(work: UnitOfWork, person_id: UUID) -> Participant | None:
    """A returnee or a community member of this office (one id space), or None."""
    case = (await work.load(cases, returnee_stream(person_id))).state
    if case is not None:
        return Participant(arrival_date=case.arrival_date, erased=case.erased)
    member = (await work.load(members, member_stream(person_id))).state
    return Participant() if member is not None else None


async def participants(
    work: UnitOfWork, returnee_ids: tuple[UUID, ...]
) -> dict[UUID, ReturneeCase | None]:
    """Each participant's case in this office; another office's returnee is unknown here."""
    return {
        returnee_id: (await work.load(cases, returnee_stream(returnee_id))).state
        for returnee_id in dict.fromkeys(returnee_ids)
    }
