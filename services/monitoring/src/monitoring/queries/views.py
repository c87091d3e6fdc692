"""What the read-model queries answer: the bodies the JSON API, the CSV exports and the
dashboard share. Counts, days and categories; a returnee only by pseudonymous id."""

from datetime import date
from uuid import UUID

from pydantic import BaseModel, Field

from reintegration_contracts.stages import Stage


class FunnelStageOut(BaseModel):
    stage: Stage
    label: str
    returnees: int
    plans: int | None


class DurationOut(BaseModel):
    start: Stage
    end: Stage
    label: str
    cases: int
    median_days: float | None
    p90_days: float | None


class FlowOut(BaseModel):
    month: str
    group: str | None
    counts: dict[Stage, int]


class CompletionsOut(BaseModel):
    """A course's completions, passed and failed apart (trade empty for entrepreneurship)."""

    kind: str
    trade: str | None
    passed: int
    failed: int


class OverdueOut(BaseModel):
    returnee_id: str
    caseworker: str
    due_on: date
    days_overdue: int
    trade: str | None
    commune: str | None


class OfficeReport(BaseModel):
    country_office: str
    funnel: list[FunnelStageOut]
    durations: list[DurationOut]
    monthly: list[FlowOut]
    overdue_visits: int
    completions: list[CompletionsOut] = Field(
        default_factory=list, description="Per course and trade, passed and failed apart"
    )


class HqOffice(BaseModel):
    country_office: str
    funnel: list[FunnelStageOut]
    durations: list[DurationOut]
    monthly: list[FlowOut]


class HqReport(BaseModel):
    """Aggregates only: counts and days, by office and month. No returnee, no caseworker."""

    offices: list[HqOffice]


class TimelineLine(BaseModel):
    occurred_on: date
    domain: str
    event_name: str
    summary: str


class Timeline(BaseModel):
    returnee_id: UUID
    country_office: str
    name: str | None = Field(description="Only for roles that may see personal data")
    name_status: str = Field(description="shown | hidden | erased | unavailable")
    entries: list[TimelineLine]
