"""What kind of value every payload field holds, so that no free text reaches the wire.

DESIGN.md ("People and their data"): no free-text field goes on the wire. Each payload model,
nested ones too, names the class of every field with `@classified(...)`; the class shows in
the JSON Schemas and the AsyncAPI document as `x-classification`, and a contract test fails on
a field left unclassified, classified `free_text`, or called a category without a closed
pattern or enum.

- identifier: names a thing (a UUID, a subject id, a contract reference), never a person's name
- category: a value from a closed set (an enum, or a code matching a closed pattern)
- amount: a quantity measured in units (money, a score, a percentage)
- count: how many of something, or a number of days or years
- date: a date or a time
- flag: a yes or no
- reference: a named public organisation or place: a region, a commune, a contracted training
  centre or supplier, a sub-office. These are names the office publishes in its own registers
  (contracts, catalogues, maps); they name no returnee and nobody's words
- nested: a nested model (or a list of them), whose own fields are classified
- free_text: anyone's own words; never allowed in an event
"""

from collections.abc import Callable
from enum import StrEnum
from typing import Any, TypeVar

from pydantic import BaseModel

KEY = "x-classification"


class FieldClass(StrEnum):
    IDENTIFIER = "identifier"
    CATEGORY = "category"
    AMOUNT = "amount"
    COUNT = "count"
    DATE = "date"
    FLAG = "flag"
    REFERENCE = "reference"
    NESTED = "nested"
    FREE_TEXT = "free_text"


M = TypeVar("M", bound=type[BaseModel])
_classes: dict[type[BaseModel], dict[str, FieldClass]] = {}


def classified(**fields: str) -> Callable[[M], M]:
    """`@classified(identifier="plan_id", date="submitted_on reviewed_on", ...)`: the class of
    every field of the model, by space-separated field names; raises when a field is left out,
    named twice or unknown."""

    def register(model: M) -> M:
        classes: dict[str, FieldClass] = {}
        for kind, names in fields.items():
            for name in names.split():
                if name in classes:
                    raise TypeError(f"{model.__name__}.{name} is classified twice")
                classes[name] = FieldClass(kind)
        unknown = classes.keys() - model.model_fields.keys()
        missing = model.model_fields.keys() - classes.keys()
        if unknown or missing:
            raise TypeError(
                f"{model.__name__}: unclassified {sorted(missing)}, unknown {sorted(unknown)}"
            )
        _classes[model] = classes
        model.model_config["json_schema_extra"] = _annotate
        return model

    return register


def classes_of(model: type[BaseModel]) -> dict[str, FieldClass]:
    """The classes `@classified` gave the fields of `model` (empty if it was not)."""
    return dict(_classes.get(model, {}))


def _annotate(schema: dict[str, Any], model: type[BaseModel]) -> None:
    classes = _classes.get(model, {})
    for name, prop in schema.get("properties", {}).items():
        if name in classes:
            prop[KEY] = classes[name].value
