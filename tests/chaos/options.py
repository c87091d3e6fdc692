"""`pytest --chaos=short|full|off`: which fault suite runs (a plugin the root conftest loads).

short (the default, what `make test` runs): a few representative faults, one after another
on one private stack and one start of the five services. full (`make chaos`): every fault,
each on a private stack and services of its own. off: no chaos case at all.
"""

import pytest


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.getgroup("chaos").addoption(
        "--chaos",
        choices=("short", "full", "off"),
        default="short",
        help="fault suite: short (a few faults on one platform start; default), "
        "full (every fault on a platform of its own; `make chaos`), or off",
    )
