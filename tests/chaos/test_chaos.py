"""Faults while a programme plays: the platform must heal itself, lose nothing, apply nothing
twice, and dead-letter every poison record with its reason (issue 13, `make chaos`).

Each case plays the `small` scenario through the five services' HTTP APIs, strikes one fault
of chaos.faults mid-run, and is judged from the outside by chaos.audit. `--chaos=short` (the
default, in `make test`) runs the few faults marked short on one platform start; `--chaos=full`
(`make chaos`) runs every fault on a private stack of its own. The table is printed at the end
and written to test-artifacts/chaos.json; the services' logs stay in test-artifacts/chaos/.
"""

import pytest

from chaos.faults import FAULTS, Fault
from chaos.harness import CaseResult, SiteFor, run_case

pytestmark = [pytest.mark.chaos, pytest.mark.timeout(1200)]


def explain(result: CaseResult) -> str:
    lines = [f"{result.fault} ({result.description}) on office {result.office}:"]
    lines += [f"  - {problem}" for problem in result.all_problems]
    lines += [f"  note: {note}" for note in result.notes]
    lines.append(f"  service logs: {result.log_dir}")
    return "\n".join(lines)


async def test_without_a_fault_every_check_holds(baseline: CaseResult) -> None:
    # The control: the same checks on a run nothing disturbs must all pass, or the suite
    # itself is wrong and no faulty case below can be believed.
    assert baseline.passed, explain(baseline)
    assert baseline.findings.total_lost == 0 and baseline.findings.total_duplicated == 0


@pytest.mark.parametrize("fault", FAULTS, ids=[f.slug for f in FAULTS])
async def test_the_platform_heals_itself_after(
    fault: Fault, site_for: SiteFor, baseline: CaseResult, chaos_results: list[CaseResult]
) -> None:
    counts = baseline.counts if baseline.passed else None
    async with site_for(fault.slug, 1) as site:
        result = await run_case(site, fault, counts)
    if counts is None:
        result.notes.append("no event counts to compare with: the run without fault failed")
    chaos_results.append(result)
    assert result.passed, explain(result)
    assert result.findings.total_lost == 0, explain(result)
    assert result.findings.total_duplicated == 0, explain(result)
    assert result.recovered_in is not None and result.recovered_in <= 30, explain(result)
    assert result.findings.dead_lettered == result.findings.to_dead_letter, explain(result)
