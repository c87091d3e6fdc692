"""Command handlers: the office's programme stream, then the decider. No rules here."""

from programme.domain import ConfigureProgramme, decider, programme_stream
from reintegration_contracts.events.programme import ProgrammeConfigured
from reintegration_sdk import UnitOfWork


async def configure(work: UnitOfWork, command: ConfigureProgramme) -> list[ProgrammeConfigured]:
    return await work.execute(decider, programme_stream(work.country_office), command)
