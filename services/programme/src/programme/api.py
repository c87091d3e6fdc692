"""The office manager's API: read and set the office's programme configuration."""

from datetime import UTC, date, datetime

from fastapi import Depends
from pydantic import Field

from programme import handlers, queries
from programme.domain import ConfigureProgramme, Settings
from reintegration_sdk import Db, OfficePath, Role, Work, office_router, office_scoped

router = office_router(tags=["programme"])
Manager = Depends(office_scoped(Role.OFFICE_MANAGER))
# The programme is how the office works, not personal data: every office role may read it.
Reader = Depends(
    office_scoped(
        Role.CASEWORKER,
        Role.TRAINING_OFFICER,
        Role.COMMITTEE_SECRETARY,
        Role.PROCUREMENT_OFFICER,
        Role.MONITORING_OFFICER,
    )
)


class ConfigurationRequest(Settings):
    configured_on: date | None = Field(default=None, description="Today unless given")


@router.get("/configuration", dependencies=[Reader])
async def configuration(country_office: OfficePath, db: Db) -> queries.Configuration:
    """The office's programme in force (404 until its manager sets one)."""
    return await queries.configuration(db, country_office)


@router.put("/configuration", dependencies=[Manager])
async def configure(body: ConfigurationRequest, work: Work) -> queries.Configuration:
    """The office's whole programme, replacing the one in force (409 with the rule:
    `allowance_not_above_minimum_wage`, `dated_in_the_future`, `configuration_out_of_order`).
    The same configuration again records nothing and answers the one in force."""
    today = datetime.now(UTC).date()
    settings = Settings.model_validate(body.model_dump(exclude={"configured_on"}))
    command = ConfigureProgramme(settings, body.configured_on or today, today)
    await handlers.configure(work, command)
    return await queries.configuration(work.db, work.country_office)
