"""The app's catalogues against the services: every rule a service can refuse with, and every
value of the enumerations its forms offer, has a message in French and in English."""

import ast
import importlib
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from fastapi import FastAPI

pytestmark = pytest.mark.unit

REPO = Path(__file__).resolve().parents[2]
I18N = REPO / "web" / "app" / "i18n"
SERVICES = ("intake", "training", "committee", "procurement", "monitoring", "partners", "programme")
# A rule code built at run time, and the codes it can take.
DYNAMIC_RULES = {"f'{what}_before_delivery'": {"visit_before_delivery", "survey_before_delivery"}}
RAISING = {"RuleViolation"}


def load(name: str) -> Any:
    return json.loads((I18N / f"{name}.json").read_text())


def rule_codes() -> dict[str, str]:
    """Each rule code raised in services/*/src, with a file that raises it."""
    found: dict[str, str] = {}
    for path in sorted(REPO.glob("services/*/src/**/*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if not (isinstance(node, ast.Call) and node.args):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name not in RAISING:
                continue
            code = node.args[0]
            where = str(path.relative_to(REPO))
            if isinstance(code, ast.Constant) and isinstance(code.value, str):
                found[code.value] = where
            else:
                text = ast.unparse(code)
                assert text in DYNAMIC_RULES, f"{where}: rule code {text} built at run time"
                found.update(dict.fromkeys(DYNAMIC_RULES[text], where))
    return found


def both_languages(entry: Any) -> bool:
    return isinstance(entry, dict) and all(
        isinstance(entry.get(lang), str) and entry[lang].strip() for lang in ("en", "fr")
    )


def test_every_rule_of_the_services_has_a_message_in_both_languages() -> None:
    rules = load("codes")["rules"]
    codes = rule_codes()
    assert len(codes) > 40  # the scan finds the services' rules at all
    missing = {code: where for code, where in codes.items() if not both_languages(rules.get(code))}
    assert not missing, f"add these rules to web/app/i18n/codes.json: {missing}"


def test_every_error_code_of_the_platform_has_a_message() -> None:
    errors = load("codes")["errors"]
    sdk = (REPO / "sdk" / "src" / "reintegration_sdk").glob("*.py")
    used = set()
    for path in sdk:
        for node in ast.walk(ast.parse(path.read_text())):
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "id", None) == "error_body"
                and node.args
                and isinstance(node.args[0], ast.Constant)
            ):
                used.add(node.args[0].value)
            if isinstance(node, ast.Dict):
                for key, value in zip(node.keys, node.values, strict=True):
                    if (
                        isinstance(key, ast.Constant)
                        and key.value == "error"
                        and isinstance(value, ast.Constant)
                    ):
                        used.add(value.value)
    assert {"validation_error", "rule_violation", "unauthenticated", "forbidden"} <= used
    missing = sorted(code for code in used if not both_languages(errors.get(code)))
    assert not missing, f"add these error codes to web/app/i18n/codes.json: {missing}"


def service_enums() -> dict[str, set[str]]:
    enums: dict[str, set[str]] = {}
    for name in SERVICES:
        app = FastAPI()
        for router in importlib.import_module(f"{name}.app").definition.routers:
            app.include_router(router)
        for schema_name, schema in app.openapi().get("components", {}).get("schemas", {}).items():
            if "enum" in schema:
                enums.setdefault(schema_name, set()).update(schema["enum"])
    return enums


def test_the_forms_offer_exactly_the_values_the_services_accept() -> None:
    vocabulary = load("vocabulary")
    enums = service_enums()
    for name, values in vocabulary.items():
        assert name in enums, f"{name} is no enumeration of the services' APIs"
        assert set(values) == enums[name], name
        untranslated = [v for v, entry in values.items() if not both_languages(entry)]
        assert not untranslated, (name, untranslated)


def test_every_survey_question_and_answer_is_translated() -> None:
    survey = load("survey")
    programmes = REPO / "services" / "monitoring" / "src" / "monitoring" / "programmes"
    for config in programmes.glob("*.yaml"):
        for indicator in yaml.safe_load(config.read_text())["indicators"]:
            assert both_languages(survey["questions"].get(indicator["id"])), indicator["id"]
            for answer in indicator["scale"]:
                assert both_languages(survey["answers"].get(answer)), (indicator["id"], answer)


def test_every_label_has_both_languages() -> None:
    messages = load("messages")
    assert all(both_languages(entry) for entry in messages.values())
