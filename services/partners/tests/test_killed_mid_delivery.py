"""The partners service killed (SIGKILL) while webhooks are in flight, then started again:
every entry still arrives, and no `webhook-id` ever comes with other bytes."""

import asyncio
import os
import signal
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from uuid import uuid4

import httpx
import pytest
from partners_builders import (
    PartnersUnderTest,
    Receiver,
    certification,
    consent,
    new_partner_id,
    receiving,
)
from standardwebhooks.webhooks import Webhook

from reintegration_sdk.testing.infrastructure import Infrastructure, free_port
from reintegration_sdk.testing.plugin import temporary_database
from reintegration_sdk.testing.service import eventually, untouched_office

pytestmark = pytest.mark.integration
ENTRIES = 20


def unhurried(_: int) -> tuple[int, dict[str, str], float]:
    return 200, {}, 0.25


class Process:
    """`python -m partners` as a child process, on its own port and database."""

    def __init__(self, infrastructure: Infrastructure, database: str, office: str,
                 workdir: Path) -> None:  # fmt: skip
        self.port = free_port()
        self.env = {
            **os.environ,
            "KAFKA_BOOTSTRAP_SERVERS": infrastructure.kafka_bootstrap_servers,
            "DATABASE_URL": database,
            "SERVICE_DATABASE": database.rsplit("/", 1)[-1],
            "COUNTRY_OFFICES": office,
            "HTTP_PORT": str(self.port),
            "CONSUMER_GROUP": f"test-{uuid4().hex[:10]}",
            "PARTNERS_RETRY_SCALE": "0.0005",
            "PARTNERS_WEBHOOK_TIMEOUT_SECONDS": "1",
            "PARTNERS_POLL_SECONDS": "0.1",
            "RELAY_IDLE_POLL_SECONDS": "0.2",
        }
        self.workdir = workdir
        self.child: subprocess.Popen[bytes] | None = None
        self.starts = 0

    def output(self) -> str:
        return (self.workdir / f"partners-{self.starts}.log").read_text()[-3000:]

    def spawn(self) -> None:
        self.starts += 1
        log = (self.workdir / f"partners-{self.starts}.log").open("wb")
        self.child = subprocess.Popen(
            [sys.executable, "-m", "partners"], env=self.env, cwd=self.workdir,
            stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip

    async def start(self) -> None:
        self.spawn()

        async def ready() -> None:
            assert self.child is not None
            assert self.child.poll() is None, f"partners exited:\n{self.output()}"
            async with httpx.AsyncClient() as client:
                try:
                    answer = await client.get(f"http://127.0.0.1:{self.port}/ready")
                except httpx.HTTPError as error:
                    raise AssertionError(str(error)) from error
            assert answer.status_code == 200

        # A first start on a busy machine: imports, migrations, topics, the consumer group.
        await eventually(ready, timeout=180, interval=0.5)

    def kill(self) -> None:
        assert self.child is not None
        self.child.send_signal(signal.SIGKILL)
        self.child.wait(timeout=30)

    def stop(self) -> None:
        if self.child is not None and self.child.poll() is None:
            self.child.terminate()
            self.child.wait(timeout=30)


@pytest.fixture
async def killable(infrastructure: Infrastructure, tmp_path: Path) -> AsyncIterator[Process]:
    async with temporary_database(infrastructure, prefix="test_partners_kill") as database:
        office = await untouched_office(infrastructure)
        process = Process(infrastructure, database, office, tmp_path)
        try:
            yield process
        finally:
            process.stop()


async def test_nothing_is_lost_and_no_id_changes_bytes_across_a_kill(
    killable: Process, infrastructure: Infrastructure
) -> None:
    await killable.start()
    office = killable.env["COUNTRY_OFFICES"]
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{killable.port}") as client:
        partners = PartnersUnderTest(client, office, infrastructure, [office])
        partner = new_partner_id()
        await partners.register(partner)
        await partners.sign(partner)
        async with receiving(unhurried) as receiver:
            _, secret = await partners.add_endpoint(partner, receiver.url)
            returnees = [uuid4() for _ in range(ENTRIES)]
            await partners.publish(*(consent(r) for r in returnees))
            await partners.publish(*(certification(r) for r in returnees))

            async def some(receiver: Receiver) -> None:
                assert len(receiver.received) >= 4

            await eventually(lambda: some(receiver), timeout=60)
            killable.kill()  # a request is as good as certainly in flight
            await asyncio.sleep(0.5)
            await killable.start()

            async def every_entry() -> None:
                assert len(receiver.by_id()) == ENTRIES

            await eventually(every_entry, timeout=90)
    for bodies in receiver.by_id().values():
        assert len(set(bodies)) == 1
    for request in receiver.received:
        Webhook(secret).verify(request.body, request.headers)
