"""The office's daily allowance: what each attended day earns a trainee.

One stream per office holds the rates it set, each effective from a date.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from reintegration_contracts import EventPayload
from reintegration_contracts.events.training import DailyAllowanceSet
from reintegration_sdk import Decider, RuleViolation


def allowance_stream(office: str) -> str:
    return f"daily-allowance-{office}"


@dataclass(frozen=True)
class DailyRate:
    daily_amount: int
    currency: str
    effective_from: date = date.min


# Used until an office sets its own rate. The figure is an example, not an official rate:
# trainees get slightly above the legal minimum wage, and 2,500 XOF a day sits a little above
# Burkina Faso's minimum wage counted per working day. Each office sets its real figure.
DEFAULT_DAILY_RATES: dict[str, DailyRate] = {"bf": DailyRate(2500, "XOF")}


def rate_on(
    office: str, rates: Sequence[DailyRate], day: date, programme: DailyRate | None = None
) -> DailyRate | None:
    """The rate in force on `day`: the latest set on or before it, else the allowance of
    the office's programme configuration, else the office default."""
    in_force = [rate for rate in rates if rate.effective_from <= day]
    if in_force:
        return max(in_force, key=lambda rate: rate.effective_from)
    return programme or DEFAULT_DAILY_RATES.get(office)


@dataclass(frozen=True)
class OfficeRates:
    """The rates an office has set, with its built-in default behind them: a fact that
    attendance and day-care commands carry, gathered from the office's allowance stream."""

    office: str
    history: tuple[DailyRate, ...] = ()
    programme: DailyRate | None = None

    def on(self, day: date) -> DailyRate | None:
        return rate_on(self.office, self.history, day, self.programme)


@dataclass(frozen=True)
class SetDailyAllowance:
    daily_amount: int
    currency: str
    effective_from: date
    # Gathered by the handler: the legal minimum the office's programme configuration sets
    # (none when it has set no programme), over its working days of a month.
    legal_minimum_monthly_wage: int | None = None
    working_days_per_month: int = 22


Rates = tuple[DailyRate, ...]


def decide(rates: Rates, command: SetDailyAllowance) -> list[EventPayload]:
    minimum = command.legal_minimum_monthly_wage
    monthly = command.daily_amount * command.working_days_per_month
    # Trainees are paid slightly above the legal minimum wage, never at or below it.
    if minimum is not None and monthly <= minimum:
        raise RuleViolation(
            "allowance_not_above_minimum_wage",
            f"{command.daily_amount} {command.currency} a day is {monthly} over "
            f"{command.working_days_per_month} working days, not above the legal minimum of "
            f"{minimum} a month.",
        )
    # Allowances already accrued keep the rate they were accrued at; a new rate only looks
    # forward from the newest one, so the history of rates stays readable in order.
    latest = max((rate.effective_from for rate in rates), default=None)
    if latest is not None and command.effective_from <= latest:
        raise RuleViolation(
            "allowance_rate_out_of_order",
            f"A new daily allowance must take effect after {latest}, the latest one set.",
        )
    return [
        DailyAllowanceSet(
            daily_amount=command.daily_amount,
            currency=command.currency,
            effective_from=command.effective_from,
        )
    ]


def evolve(rates: Rates, event: EventPayload) -> Rates:
    if isinstance(event, DailyAllowanceSet):
        return (*rates, DailyRate(event.daily_amount, event.currency, event.effective_from))
    return rates


no_rates: Rates = ()
decider = Decider(initial=no_rates, evolve=evolve, decide=decide)
