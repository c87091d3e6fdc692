"""Command handlers: gather the facts a rule needs, then run the command. No rules here.

Each runs in the caller's unit of work (the route's transaction, or the inbox's for a policy),
so the facts read, the events appended and the read models they update commit together.
"""

from monitoring.domain import (
    ConfigureSchedule,
    RecordFollowUp,
    Schedule,
    ScheduleFollowUps,
    ScoreSustainability,
    follow_up_stream,
    follow_ups,
    schedule_stream,
    schedules,
)
from reintegration_contracts import EventPayload
from reintegration_contracts.events.procurement import KitDelivered
from reintegration_sdk import UnitOfWork


async def configure_schedule(work: UnitOfWork, command: ConfigureSchedule) -> list[EventPayload]:
    return await work.execute(schedules, schedule_stream(work.country_office), command)


async def record_follow_up(work: UnitOfWork, command: RecordFollowUp) -> list[EventPayload]:
    return await work.execute(follow_ups, follow_up_stream(command.returnee_id), command)


async def score_survey(work: UnitOfWork, command: ScoreSustainability) -> list[EventPayload]:
    return await work.execute(follow_ups, follow_up_stream(command.returnee_id), command)


async def schedule_follow_ups(work: UnitOfWork, delivery: KitDelivered) -> list[EventPayload]:
    """Open each beneficiary's visits at the office's offsets in force now."""
    offsets = (await office_schedule(work)).offsets_days
    appended: list[EventPayload] = []
    for returnee_id in delivery.beneficiary_ids:
        command = ScheduleFollowUps(
            returnee_id, delivery.order_id, delivery.trade, delivery.delivered_on, offsets
        )
        appended += await work.execute(follow_ups, follow_up_stream(returnee_id), command)
    return appended


# Facts ---------------------------------------------------------------------------------------


async def office_schedule(work: UnitOfWork) -> Schedule:
    return (await work.load(schedules, schedule_stream(work.country_office))).state
