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

import re
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
        declared = set(model.__pydantic_fields__)
        unknown = classes.keys() - declared
        missing = declared - classes.keys()
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


def wire_problems(schema: dict[str, Any], data: Any) -> list[str]:
    """What in `data`, a payload as published, breaks the no-free-text rule of its JSON
    `schema`: a field that is unclassified or classified free text, a field the schema does
    not know, a string outside its field's pattern or enum. Empty when clean."""
    problems: list[str] = []
    _walk(schema, schema, data, "$", problems)
    return problems


def _resolve(node: dict[str, Any], root: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        node = root["$defs"][node["$ref"].rsplit("/", 1)[-1]]
    return node


def _walk(
    node: dict[str, Any], root: dict[str, Any], value: Any, where: str, problems: list[str]
) -> None:
    node = _resolve(node, root)
    branches = node.get("anyOf") or node.get("oneOf")
    if branches:
        if value is None and any(b.get("type") == "null" for b in branches):
            return
        tries: list[list[str]] = []
        for branch in branches:
            if branch.get("type") == "null":
                continue
            found: list[str] = []
            _walk(branch, root, value, where, found)
            if not found:
                return
            tries.append(found)
        tries.sort(key=len)
        problems.extend(tries[0] if tries else [f"{where}: no alternative fits"])
        return
    if isinstance(value, dict) and "properties" in node:
        properties: dict[str, Any] = node["properties"]
        for name, item in value.items():
            prop = properties.get(name)
            if prop is None:
                problems.append(f"{where}.{name}: not in the contract")
                continue
            kind = prop.get(KEY)
            if kind is None:
                problems.append(f"{where}.{name}: unclassified")
            elif kind == FieldClass.FREE_TEXT:
                problems.append(f"{where}.{name}: free text on the wire")
            _walk(prop, root, item, f"{where}.{name}", problems)
        return
    if isinstance(value, list) and "items" in node:
        for index, item in enumerate(value):
            _walk(node["items"], root, item, f"{where}[{index}]", problems)
        return
    if isinstance(value, str):
        if "enum" in node and value not in node["enum"]:
            problems.append(f"{where}: {value!r} is not one of its categories")
        if "const" in node and value != node["const"]:
            problems.append(f"{where}: {value!r} is not {node['const']!r}")
        if "pattern" in node and re.search(node["pattern"], value) is None:
            problems.append(f"{where}: {value!r} is outside the pattern {node['pattern']}")
