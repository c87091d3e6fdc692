"""The client's retry policy as a table: which answers are tried again, and how long it waits."""

from datetime import UTC, datetime

import pytest

from reintegration_scenarios.retries import RetryPolicy, Verdict, retry_after_seconds, verdict

pytestmark = pytest.mark.unit

NO_JITTER = RetryPolicy(first_pause=0.05, factor=2.0, max_pause=1.0, jitter=0.0)


@pytest.mark.parametrize(
    ("status", "not_yet", "expected"),
    [
        (200, False, Verdict.ACCEPTED),
        (201, False, Verdict.ACCEPTED),
        (204, True, Verdict.ACCEPTED),
        (None, False, Verdict.UNAVAILABLE),  # no answer: refused, cut, timed out
        (503, False, Verdict.UNAVAILABLE),
        (503, True, Verdict.UNAVAILABLE),
        (409, True, Verdict.NOT_YET),
        (409, False, Verdict.REFUSED),
        (422, False, Verdict.REFUSED),
        (500, False, Verdict.REFUSED),  # a bug is reported, not retried away
        (502, False, Verdict.REFUSED),
    ],
)
def test_each_answer_has_one_verdict(status: int | None, not_yet: bool, expected: Verdict) -> None:
    assert verdict(status, not_yet) is expected


def test_backoff_doubles_from_the_first_pause_up_to_the_cap() -> None:
    pauses = [NO_JITTER.backoff(attempt) for attempt in range(8)]
    assert pauses == pytest.approx([0.05, 0.1, 0.2, 0.4, 0.8, 1.0, 1.0, 1.0])


def test_jitter_takes_a_random_share_of_each_pause_and_never_exceeds_the_cap() -> None:
    lowest = RetryPolicy(jitter=0.5, random=lambda: 0.0)
    highest = RetryPolicy(jitter=0.5, random=lambda: 0.999999)
    assert lowest.backoff(0) == pytest.approx(0.025)
    assert highest.backoff(0) == pytest.approx(0.05, rel=1e-4)
    assert all(highest.backoff(n) <= 1.0 for n in range(20))
    assert lowest.backoff(30) == pytest.approx(0.5)


def test_a_retry_after_longer_than_the_backoff_is_honoured() -> None:
    assert NO_JITTER.pause(0, now=0.0, deadline=60.0, retry_after=3.0) == 3.0


def test_a_retry_after_shorter_than_the_backoff_does_not_shorten_it() -> None:
    assert NO_JITTER.pause(6, now=0.0, deadline=60.0, retry_after=0.0) == pytest.approx(1.0)


def test_no_pause_reaches_past_the_deadline_so_the_last_attempt_is_at_the_deadline() -> None:
    assert NO_JITTER.pause(0, now=59.0, deadline=60.0, retry_after=30.0) == pytest.approx(1.0)
    assert NO_JITTER.pause(6, now=59.75, deadline=60.0) == pytest.approx(0.25)


def test_once_the_deadline_has_passed_there_is_no_further_attempt() -> None:
    assert NO_JITTER.pause(0, now=60.0, deadline=60.0) is None
    assert NO_JITTER.pause(3, now=61.0, deadline=60.0, retry_after=1.0) is None


NOW = datetime(2026, 3, 1, 12, 0, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("header", "seconds"),
    [
        ("2", 2.0),
        (" 120 ", 120.0),
        ("0", 0.0),
        ("Sun, 01 Mar 2026 12:00:07 GMT", 7.0),
        ("Sun, 01 Mar 2026 11:59:00 GMT", 0.0),  # a date in the past: go now
        (None, None),
        ("", None),
        ("soon", None),
        ("-3", None),
        ("1.5", None),  # RFC 9110: delta-seconds is a non-negative integer
    ],
)
def test_retry_after_is_read_as_seconds_or_as_an_http_date(
    header: str | None, seconds: float | None
) -> None:
    assert retry_after_seconds(header, NOW) == seconds
