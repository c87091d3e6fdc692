"""The sustainability survey configurations a programme ships: one file per programme under
`programmes/`, read once at start-up (the models and the arithmetic are the domain's)."""

from functools import cache
from pathlib import Path

import yaml

from monitoring.domain.sustainability import DIMENSIONS, Dimension, Indicator, ScoringConfig

PROGRAMMES = Path(__file__).parent / "programmes"


def load_config(path: Path) -> ScoringConfig:
    return ScoringConfig.model_validate(yaml.safe_load(path.read_text()))


@cache
def programme_configs(folder: Path = PROGRAMMES) -> dict[str, ScoringConfig]:
    """Every shipped configuration by programme id; a malformed file fails at start-up."""
    configs = [load_config(path) for path in sorted(folder.glob("*.yaml"))]
    return {config.id: config for config in configs}


__all__ = [
    "DIMENSIONS",
    "Dimension",
    "Indicator",
    "ScoringConfig",
    "load_config",
    "programme_configs",
]
