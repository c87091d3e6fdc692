"""The office's client against a real HTTP server on 127.0.0.1 that fails, then recovers.

The server is a few lines of asyncio speaking HTTP/1.1 over a real socket: it can close the
connection without answering, answer 503 with `Retry-After`, hang past the client's timeout,
refuse connections (not listening yet), or answer. Every request it saw is kept, with its
`Idempotency-Key`, so a test can tell what the service would have seen.
"""

import asyncio
import contextlib
import json
import socket
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import pytest

from reintegration_scenarios.client import (
    IDEMPOTENCY_HEADER,
    CommandRefused,
    Platform,
    ServiceUnavailable,
    Waits,
)
from reintegration_scenarios.retries import RetryPolicy
from reintegration_sdk.auth import Role

pytestmark = pytest.mark.integration

FAST = RetryPolicy(first_pause=0.02, factor=2.0, max_pause=0.2, jitter=0.0)


@dataclass
class Seen:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class FlakyServer:
    """Answers each request with the next scripted action; then 201 for ever."""

    actions: list[str]
    port: int = 0
    seen: list[Seen] = field(default_factory=list)
    _server: asyncio.Server | None = None

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", self.port)
        self.port = self._server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()

    @property
    def keys(self) -> list[str | None]:
        return [s.headers.get(IDEMPOTENCY_HEADER.lower()) for s in self.seen]

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                request = await _read_request(reader)
                if request is None:
                    return
                self.seen.append(request)
                action = self.actions.pop(0) if self.actions else "201"
                if action == "cut":  # the answer is lost: close without a byte
                    return
                if action.startswith("hang:"):
                    await asyncio.sleep(float(action.removeprefix("hang:")))
                    return
                status, _, extra = action.partition(":")
                headers, body = {}, {"id": "x-1"}
                if status == "503":
                    headers["Retry-After"] = extra or "0"
                    body = {"error": "service_unavailable", "detail": "database restarting"}
                elif status.startswith("4"):
                    body = {"error": "rule_violation", "rule": extra}
                writer.write(_response(int(status), headers, body))
                await writer.drain()
        finally:
            writer.close()
            with contextlib.suppress(ConnectionError):
                await writer.wait_closed()


async def _read_request(reader: asyncio.StreamReader) -> Seen | None:
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except (asyncio.IncompleteReadError, ConnectionError):
        return None
    lines = head.decode("latin-1").split("\r\n")
    method, path, _ = lines[0].split(" ", 2)
    headers = {}
    for line in lines[1:]:
        if ":" in line:
            name, value = line.split(":", 1)
            headers[name.strip().lower()] = value.strip()
    body = await reader.readexactly(int(headers.get("content-length", "0")))
    return Seen(method, path, headers, body)


def _response(status: int, headers: dict[str, str], body: object) -> bytes:
    payload = json.dumps(body).encode()
    lines = [f"HTTP/1.1 {status} X", "Content-Type: application/json"]
    lines += [f"Content-Length: {len(payload)}", *(f"{k}: {v}" for k, v in headers.items())]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + payload


def _unused_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextlib.asynccontextmanager
async def flaky(*actions: str, port: int = 0) -> AsyncIterator[FlakyServer]:
    server = FlakyServer(list(actions), port)
    await server.start()
    try:
        yield server
    finally:
        await server.stop()


def office_client(port: int, patience: float = 10.0, timeout: float = 5.0) -> Platform:
    return Platform(
        {"intake": f"http://127.0.0.1:{port}"},
        "bf",
        patience_seconds=patience,
        retry=FAST,
        request_timeout=timeout,
    )


async def register(api: Platform, waits: Waits | None = None) -> object:
    body = {"name": "A"}
    if waits is None:
        return await api.send("intake", "POST", "/offices/bf/returnees", Role.CASEWORKER, body)
    return await api.send("intake", "POST", "/offices/bf/returnees", Role.CASEWORKER, body, waits)


async def test_an_answer_lost_twice_is_asked_again_under_the_same_idempotency_key() -> None:
    async with flaky("cut", "cut") as server, office_client(server.port) as api:
        assert await register(api) == {"id": "x-1"}
    assert len(server.seen) == 3
    assert server.keys[0] is not None and len(set(server.keys)) == 1
    assert [s.body for s in server.seen] == [b'{"name":"A"}'] * 3
    assert api.timings.accepted == 1 and api.timings.unavailable == 2


async def test_each_logical_command_has_a_key_of_its_own() -> None:
    async with flaky() as server, office_client(server.port) as api:
        await register(api)
        await register(api)
    assert len(server.seen) == 2 and len(set(server.keys)) == 2


async def test_a_503_is_retried_after_the_seconds_its_retry_after_asks_for() -> None:
    async with flaky("503:1") as server, office_client(server.port) as api:
        began = time.monotonic()
        await register(api)
        waited = time.monotonic() - began
    # The backoff alone would have retried after 0.02 s; the server asked for a second.
    assert waited >= 1.0
    assert len(server.seen) == 2 and len(set(server.keys)) == 1


async def test_a_service_that_is_not_listening_yet_is_waited_for() -> None:
    port = _unused_port()
    async with office_client(port) as api:
        command = asyncio.create_task(register(api))
        await asyncio.sleep(0.5)  # connections are refused meanwhile
        assert not command.done()
        async with flaky(port=port) as server:
            assert await asyncio.wait_for(command, timeout=5) == {"id": "x-1"}
    assert api.timings.unavailable >= 2
    assert len(server.seen) == 1 and server.keys[0] is not None


async def test_a_request_that_times_out_is_sent_again_with_the_same_key() -> None:
    async with flaky("hang:2") as server, office_client(server.port, timeout=0.3) as api:
        await register(api)
    assert len(server.seen) == 2 and len(set(server.keys)) == 1


async def test_not_yet_refusals_are_waited_out_under_the_same_key() -> None:
    waits = Waits.on((409, "returnee_not_counselled"))
    async with (
        flaky("409:returnee_not_counselled", "cut", "409:returnee_not_counselled") as server,
        office_client(server.port) as api,
    ):
        await register(api, waits)
    assert len(server.seen) == 4 and len(set(server.keys)) == 1
    assert api.timings.retries == 2 and api.timings.unavailable == 1


async def test_a_final_refusal_is_raised_at_once() -> None:
    async with flaky("409:likely_duplicate") as server, office_client(server.port) as api:
        with pytest.raises(CommandRefused) as refused:
            await register(api)
    assert refused.value.status == 409 and "likely_duplicate" in refused.value.body
    assert len(server.seen) == 1


async def test_a_500_is_a_bug_to_report_not_to_retry() -> None:
    async with flaky("500") as server, office_client(server.port) as api:
        with pytest.raises(CommandRefused) as refused:
            await register(api)
    assert refused.value.status == 500 and len(server.seen) == 1


async def test_a_service_that_never_comes_back_ends_in_one_clear_error_at_the_deadline() -> None:
    port = _unused_port()
    async with office_client(port, patience=0.6) as api:
        began = time.monotonic()
        with pytest.raises(ServiceUnavailable) as unavailable:
            await register(api)
        waited = time.monotonic() - began
    assert 0.6 <= waited < 2.0
    assert "ConnectError" in str(unavailable.value) and "intake POST" in str(unavailable.value)


async def test_a_service_answering_only_503_ends_at_the_deadline_naming_the_last_answer() -> None:
    async with flaky(*["503:0"] * 1000) as server, office_client(server.port, patience=0.5) as api:
        with pytest.raises(ServiceUnavailable) as unavailable:
            await register(api)
    assert "503" in str(unavailable.value) and "database restarting" in str(unavailable.value)
    assert len(set(server.keys)) == 1


async def test_reads_are_retried_too_and_carry_no_idempotency_key() -> None:
    async with flaky("cut", "503:0") as server, office_client(server.port) as api:
        assert await api.read("intake", "/offices/bf/returnees", Role.CASEWORKER) == {"id": "x-1"}
    assert len(server.seen) == 3 and server.keys == [None, None, None]
    assert api.timings.accepted == 0  # reads are not commands
