"""A second process of the service waits on standby: only one delivers a database's feeds."""

import asyncio

import pytest

from partners.delivery.sole import sole

pytestmark = pytest.mark.integration
KEY = 0x7465737401


async def test_the_second_deliverer_waits_until_the_first_is_gone(partners_database: str) -> None:
    stop = asyncio.Event()
    taken = asyncio.Event()
    release = asyncio.Event()
    order: list[str] = []

    async def first() -> None:
        async with sole(partners_database, KEY, stop, 0.05) as mine:
            assert mine
            order.append("first")
            taken.set()
            await release.wait()
        order.append("first gone")

    async def second() -> None:
        await taken.wait()
        async with sole(partners_database, KEY, stop, 0.05) as mine:
            assert mine
            order.append("second")

    running = [asyncio.create_task(first()), asyncio.create_task(second())]
    await taken.wait()
    await asyncio.sleep(0.5)  # the second polls the lock meanwhile, in vain
    assert order == ["first"]
    release.set()
    await asyncio.wait_for(asyncio.gather(*running), timeout=10)
    assert sorted(order) == ["first", "first gone", "second"]


async def test_a_standby_stops_without_ever_delivering(partners_database: str) -> None:
    stop = asyncio.Event()
    async with sole(partners_database, KEY + 1, stop, 0.05) as mine:
        assert mine
        stop.set()
        async with sole(partners_database, KEY + 1, stop, 0.05) as standby:
            assert standby is False
