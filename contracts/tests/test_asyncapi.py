"""The AsyncAPI document says who sends and receives what, where dead letters go, and every
message version a consumer may still meet; the AsyncAPI Initiative's parser accepts it."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from reintegration_contracts.asyncapi import asyncapi_document
from reintegration_contracts.subscriptions import consumes

REPO = Path(__file__).resolve().parents[2]
VALIDATOR = REPO / "tools" / "spec-check" / "validate-asyncapi.mjs"


@pytest.mark.unit
def test_every_service_has_its_operations_and_every_domain_its_dead_letters() -> None:
    document = asyncapi_document()
    operations = document["operations"]
    assert operations["intake.publish"]["action"] == "send"
    for service in ("intake", "training", "committee", "procurement", "monitoring"):
        for domain in consumes(service):
            assert operations[f"{service}.receive.{domain}"]["action"] == "receive"
            assert operations[f"{service}.deadLetter.{domain}"]["channel"] == {
                "$ref": f"#/channels/{domain}_dlq"
            }
    dlq = document["channels"]["intake_dlq"]
    assert dlq["address"] == "reintegration.{countryOffice}.intake.dlq"
    headers = document["components"]["messages"]["DeadLetter"]["headers"]["properties"]
    assert {"dlq_reason", "dlq_original_topic", "dlq_original_offset"} <= set(headers)


@pytest.mark.unit
def test_a_message_is_tied_to_its_type_and_version_and_old_versions_stay_listed() -> None:
    messages = asyncapi_document()["components"]["messages"]
    for version in (1, 2):
        headers = messages[f"ReturneeRegistered.v{version}"]["headers"]["properties"]
        assert headers["ce_type"]["const"] == "org.reintegration.intake.ReturneeRegistered"
        assert headers["ce_dataversion"]["const"] == str(version)
    publish = asyncapi_document()["operations"]["intake.publish"]["messages"]
    assert {"$ref": "#/channels/intake/messages/ReturneeRegistered.v2"} in publish
    assert {"$ref": "#/channels/intake/messages/ReturneeRegistered.v1"} not in publish


@pytest.mark.integration
def test_the_asyncapi_parser_finds_no_error(tmp_path: Path) -> None:
    node = shutil.which("node")
    assert node, "node is needed to run the AsyncAPI parser (it comes with the machine)"
    assert (VALIDATOR.parent / "node_modules" / "@asyncapi" / "parser").exists(), (
        "run `make install`: it installs tools/spec-check from its lockfile"
    )
    document = tmp_path / "asyncapi.json"
    document.write_text(json.dumps(asyncapi_document()))
    result = subprocess.run(
        [node, str(VALIDATOR), str(document)], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 error(s); parsed" in result.stdout
