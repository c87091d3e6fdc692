"""Sustainability scoring: a programme's survey configuration and the arithmetic, pure.

A configuration names its indicators (each in one of three dimensions, with an answer scale
mapping every allowed answer to a value in 0..1, and a weight), the dimensions' weights and the
composite threshold above which a reintegration counts as sustainable. programmes/README.md
documents the method; `monitoring.scoring` loads the shipped configurations.
"""

from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from reintegration_sdk import InvalidField

Dimension = Literal["economic", "social", "psychosocial"]
DIMENSIONS: tuple[Dimension, ...] = ("economic", "social", "psychosocial")


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


@dataclass(frozen=True)
class Scores:
    economic: float
    social: float
    psychosocial: float
    composite: float
    sustainable: bool


def score_survey(config: ScoringConfig, answers: dict[str, str]) -> Scores:
    """Weighted means: indicators within a dimension, then dimensions into the composite."""
    known = {indicator.id for indicator in config.indicators}
    unknown = sorted(set(answers) - known)
    if unknown:
        raise InvalidField(f"answers.{unknown[0]}", f"not an indicator of {config.reference}")
    dimension_scores: dict[Dimension, float] = {}
    for dimension in DIMENSIONS:
        indicators = [i for i in config.indicators if i.dimension == dimension]
        weighted = 0.0
        for indicator in indicators:
            answer = answers.get(indicator.id)
            if answer is None:
                raise InvalidField(f"answers.{indicator.id}", "every indicator must be answered")
            if answer not in indicator.scale:
                allowed = ", ".join(indicator.scale)
                raise InvalidField(f"answers.{indicator.id}", f"answer one of: {allowed}")
            weighted += indicator.weight * indicator.scale[answer]
        dimension_scores[dimension] = weighted / sum(i.weight for i in indicators)
    weights = config.dimension_weights
    composite = sum(weights[d] * dimension_scores[d] for d in DIMENSIONS) / sum(weights.values())
    return Scores(
        economic=round(dimension_scores["economic"], 3),
        social=round(dimension_scores["social"], 3),
        psychosocial=round(dimension_scores["psychosocial"], 3),
        composite=round(composite, 3),
        sustainable=composite >= config.threshold,
    )
