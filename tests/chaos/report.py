"""The chaos table (fault | recovered in s | lost | duplicated effects | dead-lettered) and its
JSON twin in test-artifacts/chaos.json (pure formatting, and one file write)."""

import json
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from chaos.harness import RECOVERY_LIMIT_S, CaseResult

HEADERS = ("fault", "recovered in s", "lost", "duplicated effects", "dead-lettered", "result")


def recovered(result: CaseResult) -> str:
    if result.fault == "none":
        return "-"
    if result.recovered_in is None:
        return "never"
    return f"{result.recovered_in:.1f}"


def dead_lettered(result: CaseResult) -> str:
    findings = result.findings
    if not findings.to_dead_letter:
        return "-"
    return f"{findings.dead_lettered}/{findings.to_dead_letter}"


def verdict(result: CaseResult, width: int = 70) -> str:
    if result.passed:
        return "ok"
    first = result.all_problems[0]
    more = len(result.all_problems) - 1
    text = f"FAIL: {first}" + (f" (+{more} more)" if more else "")
    return text if len(text) <= width else text[: width - 3] + "..."


def rows(results: Sequence[CaseResult]) -> list[tuple[str, ...]]:
    return [
        (
            r.fault,
            recovered(r),
            str(r.findings.total_lost),
            str(r.findings.total_duplicated),
            dead_lettered(r),
            verdict(r),
        )
        for r in results
    ]


def table(results: Sequence[CaseResult]) -> str:
    lines = [HEADERS, *rows(results)]
    widths = [max(len(line[i]) for line in lines) for i in range(len(HEADERS))]
    numeric = {1, 2, 3, 4}

    def render(line: tuple[str, ...]) -> str:
        cells = [
            cell.rjust(widths[i]) if i in numeric else cell.ljust(widths[i])
            for i, cell in enumerate(line)
        ]
        return " | ".join(cells).rstrip()

    rule = "-+-".join("-" * w for w in widths)
    done = f"Done when: 0 lost, 0 duplicated, recovered within {RECOVERY_LIMIT_S:.0f} s, "
    done += "every poison record dead-lettered with a reason."
    return "\n".join([render(lines[0]), rule, *(render(line) for line in lines[1:]), done])


def as_json(result: CaseResult) -> dict[str, Any]:
    findings = result.findings
    return {
        "fault": result.fault,
        "description": result.description,
        "office": result.office,
        "passed": result.passed,
        "recovered_in_s": result.recovered_in,
        "not_recovered_because": result.not_recovered_because or None,
        "lost": findings.total_lost,
        "lost_by_kind": dict(findings.lost),
        "duplicated_effects": findings.total_duplicated,
        "duplicated_by_kind": dict(findings.duplicated),
        "dead_lettered": findings.dead_lettered,
        "to_dead_letter": findings.to_dead_letter,
        "problems": result.all_problems,
        "notes": result.notes,
        "scenario_error": result.runner_error,
        "commands_accepted": result.commands,
        "attempts_without_answer": result.unavailable,
        "seconds": round(result.seconds, 1),
        "phases_s": {k: round(v, 1) for k, v in result.phases.items()},
        "service_logs": result.log_dir,
    }


def write(path: Path, results: Sequence[CaseResult], mode: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    document = {
        "suite": mode,
        "finished_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "recovery_limit_s": RECOVERY_LIMIT_S,
        "cases": [as_json(r) for r in results],
    }
    path.write_text(json.dumps(document, indent=2) + "\n")
