"""Sustainability scoring configurations: one file per programme under `programmes/`.

A configuration names its indicators (each in one of three dimensions, with an answer scale
mapping every allowed answer to a value in 0..1, and a weight), the dimensions' weights and the
composite threshold above which a reintegration counts as sustainable. The arithmetic lives in
`domain.score_survey`; programmes/README.md documents the method.
"""

from functools import cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator

Dimension = Literal["economic", "social", "psychosocial"]
DIMENSIONS: tuple[Dimension, ...] = ("economic", "social", "psychosocial")
PROGRAMMES = Path(__file__).parent / "programmes"


class Indicator(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    dimension: Dimension
    question: str = Field(min_length=3)
    weight: float = Field(gt=0)
    scale: dict[str, float] = Field(min_length=2, description="answer -> value in 0..1")

    @model_validator(mode="after")
    def _values_in_range(self) -> "Indicator":
        if any(not 0 <= value <= 1 for value in self.scale.values()):
            raise ValueError(f"{self.id}: scale values must lie in 0..1")
        return self


class ScoringConfig(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str = Field(pattern=r"^[a-z][a-z0-9_-]*$")
    version: int = Field(ge=1)
    title: str
    threshold: float = Field(ge=0, le=1)
    dimension_weights: dict[Dimension, float]
    indicators: tuple[Indicator, ...] = Field(min_length=3)

    @property
    def reference(self) -> str:
        return f"{self.id}@{self.version}"

    @model_validator(mode="after")
    def _every_dimension_measured(self) -> "ScoringConfig":
        for dimension in DIMENSIONS:
            if self.dimension_weights.get(dimension, 0) <= 0:
                raise ValueError(f"dimension {dimension} needs a positive weight")
            if not any(i.dimension == dimension for i in self.indicators):
                raise ValueError(f"dimension {dimension} has no indicator")
        ids = [i.id for i in self.indicators]
        if len(ids) != len(set(ids)):
            raise ValueError("indicator ids must be unique")
        return self


def load_config(path: Path) -> ScoringConfig:
    return ScoringConfig.model_validate(yaml.safe_load(path.read_text()))


@cache
def programme_configs(folder: Path = PROGRAMMES) -> dict[str, ScoringConfig]:
    """Every shipped configuration by programme id; a malformed file fails at start-up."""
    configs = [load_config(path) for path in sorted(folder.glob("*.yaml"))]
    return {config.id: config for config in configs}
