"""Every payload field is classified, and no event the platform publishes carries free text.

Walks the JSON Schema of every registered event version (nested models too, through `$defs`)
as `make schemas` writes it: a field without `x-classification`, a current version with a
`free_text` field, or a `category` that is a plain string without a closed pattern or enum
fails here.
"""

from typing import Any

import pytest
from pydantic import BaseModel

from reintegration_contracts import events  # noqa: F401  (registers every payload)
from reintegration_contracts.classification import KEY, FieldClass, classified
from reintegration_contracts.registry import EventKind, all_kinds, latest_version
from reintegration_contracts.schemas import PLATFORM_DOMAINS

pytestmark = pytest.mark.unit

Schema = dict[str, Any]
KINDS = [k for k in all_kinds() if k.domain in PLATFORM_DOMAINS]
CURRENT = [k for k in KINDS if k.version == latest_version(k.name)]


def _id(kind: EventKind) -> str:
    return f"{kind.name}.v{kind.version}"


def _models(root: Schema) -> list[tuple[str, Schema]]:
    """The event's own schema and every nested model's, by name."""
    found = [(str(root.get("title")), root)]
    for name, definition in root.get("$defs", {}).items():
        if "properties" in definition:
            found.append((name, definition))
    return found


def _fields(root: Schema) -> list[tuple[str, Schema]]:
    return [
        (f"{model}.{name}", prop)
        for model, schema in _models(root)
        for name, prop in schema["properties"].items()
    ]


def _value_schemas(prop: Schema, root: Schema) -> list[Schema]:
    """What a value of the field may be: optional and list wrappers and references undone."""
    if "$ref" in prop:
        return _value_schemas(root["$defs"][prop["$ref"].rsplit("/", 1)[-1]], root)
    for key in ("anyOf", "oneOf"):
        if key in prop:
            return [
                v
                for branch in prop[key]
                if branch.get("type") != "null"
                for v in _value_schemas(branch, root)
            ]
    if prop.get("type") == "array":
        return _value_schemas(prop["items"], root)
    return [prop]


def _closed(value: Schema) -> bool:
    """A value from a closed set: an enum, a constant, a string with a pattern, or a
    bounded integer scale."""
    if "enum" in value or "const" in value:
        return True
    if value.get("type") == "string":
        return "pattern" in value
    if value.get("type") == "integer":
        return "minimum" in value and "maximum" in value
    return False


def category_problems(root: Schema) -> list[str]:
    problems = []
    for where, prop in _fields(root):
        if prop.get(KEY) != FieldClass.CATEGORY:
            continue
        for value in _value_schemas(prop, root):
            if not _closed(value):
                problems.append(f"{where}: a category must be an enum or a closed pattern")
    return problems


def nested_problems(root: Schema) -> list[str]:
    return [
        f"{where}: 'nested' holds no model"
        for where, prop in _fields(root)
        if prop.get(KEY) == FieldClass.NESTED
        and not all("properties" in v for v in _value_schemas(prop, root))
    ]


@pytest.mark.parametrize("kind", KINDS, ids=_id)
def test_every_field_of_every_version_is_classified(kind: EventKind) -> None:
    schema = kind.model.model_json_schema()
    unclassified = [where for where, prop in _fields(schema) if KEY not in prop]
    assert unclassified == []
    assert {prop[KEY] for _, prop in _fields(schema)} <= {c.value for c in FieldClass}
    assert category_problems(schema) == []
    assert nested_problems(schema) == []


@pytest.mark.parametrize("kind", CURRENT, ids=_id)
def test_no_current_event_carries_free_text(kind: EventKind) -> None:
    schema = kind.model.model_json_schema()
    assert [w for w, p in _fields(schema) if p[KEY] == FieldClass.FREE_TEXT] == []


def test_the_walk_sees_nested_models_and_older_versions_that_carried_words() -> None:
    # The check is not vacuous: v1 of PlanSubmitted carried the activity and each line's
    # specification in words, and the walk finds them, nested or not.
    v1 = next(k for k in KINDS if (k.name, k.version) == ("PlanSubmitted", 1))
    words = {w for w, p in _fields(v1.model.model_json_schema()) if p[KEY] == FieldClass.FREE_TEXT}
    assert {"PlanSubmittedV1.activity", "BudgetLineV1.specification"} <= words
    assert len(CURRENT) >= 40


def test_a_plain_string_is_no_category() -> None:
    @classified(category="remark", count="times")
    class Careless(BaseModel):
        remark: str
        times: int

    @classified(category="code", count="times")
    class Careful(BaseModel):
        code: str = ""
        times: int = 0

    careless = Careless.model_json_schema()
    assert category_problems(careless) == [
        "Careless.remark: a category must be an enum or a closed pattern"
    ]
    careful = Careful.model_json_schema()
    careful["properties"]["code"]["pattern"] = r"^[a-z]+$"
    assert category_problems(careful) == []


def test_a_model_with_a_field_left_out_is_refused_on_import() -> None:
    with pytest.raises(TypeError, match="unclassified \\['note'\\]"):

        @classified(identifier="plan_id")
        class Forgetful(BaseModel):
            plan_id: str
            note: str
