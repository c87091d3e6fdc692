"""The configurations that ship with the platform, as test data (object mothers)."""

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from reintegration_sdk.testing.infrastructure import Infrastructure

SHIPPED = (
    Path(__file__).resolve().parents[3] / "scenarios/src/reintegration_scenarios/bundled/programmes"
)


def shipped(office: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((SHIPPED / f"{office}.json").read_text())
    return loaded


def mali(**changes: Any) -> dict[str, Any]:
    return {**shipped("ml"), **changes}


@dataclass(frozen=True)
class ProgrammeUnderTest:
    client: httpx.AsyncClient
    infrastructure: Infrastructure
    offices: tuple[str, ...]
