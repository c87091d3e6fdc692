"""The checked-in schemas are current, and a backward-incompatible change is caught."""

import json
import shutil
from pathlib import Path

import pytest

from reintegration_contracts.compatibility import compatibility_problems
from reintegration_contracts.schemas import DEFAULT_DIR, check, current_schemas, render

pytestmark = pytest.mark.unit


def test_checked_in_schemas_are_current_and_compatible() -> None:
    assert check(DEFAULT_DIR) == []


def test_every_registered_event_version_has_a_checked_in_schema() -> None:
    names = set(current_schemas())
    on_disk = {str(p.relative_to(DEFAULT_DIR)) for p in DEFAULT_DIR.glob("*/*.json")}
    assert names == on_disk
    assert "intake/ReturneeRegistered.v1.json" in names


@pytest.fixture
def schema_copy(tmp_path: Path) -> Path:
    copy = tmp_path / "contracts" / "schemas"
    shutil.copytree(DEFAULT_DIR, copy)
    (tmp_path / "contracts" / "asyncapi.json").write_text(
        (DEFAULT_DIR.parent / "asyncapi.json").read_text()
    )
    return copy


def _edit(path: Path, change: object) -> None:
    schema = json.loads(path.read_text())
    change(schema)  # type: ignore[operator]
    path.write_text(render(schema))


def test_a_field_the_checked_in_version_lacks_and_requires_is_incompatible(
    schema_copy: Path,
) -> None:
    # Simulates a developer adding a *required* field to KitDelivered v1: the checked-in copy
    # now looks older than the code, and a consumer of the old shape would break.
    def drop_required_field(schema: dict) -> None:  # type: ignore[type-arg]
        del schema["properties"]["acknowledged_by_beneficiary"]
        schema["required"].remove("acknowledged_by_beneficiary")

    _edit(schema_copy / "procurement" / "KitDelivered.v1.json", drop_required_field)
    problems = check(schema_copy)
    assert any("acknowledged_by_beneficiary" in p and "required" in p for p in problems)


def test_a_removed_field_and_a_changed_type_are_incompatible(schema_copy: Path) -> None:
    def add_field_and_change_type(schema: dict) -> None:  # type: ignore[type-arg]
        schema["properties"]["legacy_code"] = {"type": "string"}
        schema["properties"]["household_size"] = {"type": "string"}

    _edit(schema_copy / "intake" / "ReturneeRegistered.v2.json", add_field_and_change_type)
    problems = check(schema_copy)
    assert any("legacy_code: field removed" in p for p in problems)
    assert any("household_size" in p and "type" in p for p in problems)


def test_a_stale_schema_file_is_reported(schema_copy: Path) -> None:
    path = schema_copy / "training" / "SkillCertified.v1.json"
    schema = json.loads(path.read_text())
    schema["description"] = "edited by hand"
    path.write_text(render(schema))
    assert check(schema_copy) == [
        "training/SkillCertified.v1.json: checked-in schema is stale (run `make schemas`)"
    ]


def test_adding_an_optional_field_is_compatible() -> None:
    old = {"type": "object", "properties": {"a": {"type": "integer"}}, "required": ["a"]}
    new = {
        "type": "object",
        "properties": {"a": {"type": "integer"}, "b": {"type": "string", "default": "x"}},
        "required": ["a"],
    }
    assert compatibility_problems(old, new) == []


def test_making_a_field_required_or_changing_an_enum_is_incompatible() -> None:
    old = {
        "type": "object",
        "properties": {"a": {"type": "integer"}, "e": {"enum": ["x", "y"]}},
        "required": ["a"],
    }
    new = {
        "type": "object",
        "properties": {"a": {"type": "integer"}, "e": {"enum": ["x"]}},
        "required": ["a", "e"],
    }
    problems = compatibility_problems(old, new)
    assert any("e: optional field made required" in p for p in problems)
    assert any("'enum' changed" in p for p in problems)
