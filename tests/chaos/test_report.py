"""The chaos table says per fault what the lead must read: recovery, losses, duplicates, DLQ."""

import json
from collections import Counter
from pathlib import Path

import pytest

from chaos import report
from chaos.audit import Findings
from chaos.harness import CaseResult

pytestmark = pytest.mark.unit


def results() -> list[CaseResult]:
    clean = CaseResult("none", "without fault", "sn")
    healed = CaseResult("kill -9 intake", "while returnees register", "gn", recovered_in=4.25)
    poisoned = CaseResult(
        "poison records",
        "every kind",
        "ci",
        findings=Findings(
            lost=Counter({"published but not applied by monitoring": 5}),
            duplicated=Counter({"kit orders for one approved plan": 1}),
            dead_lettered=6,
            to_dead_letter=7,
            problems=["poison records not dead-lettered with a reason: 1 (e.g. reused_id)"],
        ),
        not_recovered_because="not dead-lettered yet: reused_id by training",
    )
    return [clean, healed, poisoned]


def test_the_table_has_a_row_per_case_with_the_five_columns_and_a_verdict() -> None:
    lines = report.table(results()).splitlines()
    assert lines[0].split(" | ") == [
        "fault         ", "recovered in s", "lost", "duplicated effects", "dead-lettered",
        "result",
    ]  # fmt: skip
    rows = [[cell.strip() for cell in line.split("|")] for line in lines[2:5]]
    assert rows[0] == ["none", "-", "0", "0", "-", "ok"]
    assert rows[1] == ["kill -9 intake", "4.2", "0", "0", "-", "ok"]
    assert rows[2][:5] == ["poison records", "never", "5", "1", "6/7"]
    assert rows[2][5].startswith("FAIL: poison records not dead-lettered")
    assert lines[-1].startswith("Done when: 0 lost, 0 duplicated, recovered within 30 s")


def test_the_json_keeps_every_finding_by_kind(tmp_path: Path) -> None:
    path = tmp_path / "chaos.json"
    report.write(path, results(), "full")
    document = json.loads(path.read_text())
    assert document["suite"] == "full" and len(document["cases"]) == 3
    poisoned = document["cases"][2]
    assert poisoned["passed"] is False
    assert poisoned["lost_by_kind"] == {"published but not applied by monitoring": 5}
    assert poisoned["duplicated_by_kind"] == {"kit orders for one approved plan": 1}
    assert (poisoned["dead_lettered"], poisoned["to_dead_letter"]) == (6, 7)
    assert poisoned["not_recovered_because"].startswith("not dead-lettered yet")
