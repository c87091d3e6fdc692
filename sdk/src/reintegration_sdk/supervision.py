"""Background tasks that must not die quietly.

The relay and the inbox consumer wait out every outage by themselves. One that still ends
(a bug, an error no retry can cure) would leave the process answering HTTP while publishing
or consuming nothing, and a supervisor only restarts processes that exit. So the end of such
a task, unless the service is stopping, is fatal: the process goes down with a non-zero exit
and its supervisor starts it again.
"""

import asyncio
import logging
import os
import signal
from collections.abc import Callable, Coroutine
from typing import Any

log = logging.getLogger(__name__)

OnFatal = Callable[[str, BaseException], None]


class TaskEnded(RuntimeError):
    """A background task returned although the service was not stopping."""


def supervise(
    work: Coroutine[Any, Any, None], name: str, stopping: asyncio.Event, on_fatal: OnFatal
) -> "asyncio.Task[None]":
    """Run `work` as a task; `on_fatal(name, error)` if it ends before `stopping` is set."""
    task = asyncio.create_task(work, name=name)

    def ended(done: "asyncio.Task[None]") -> None:
        if done.cancelled():
            if not stopping.is_set():
                on_fatal(name, TaskEnded(f"{name} was cancelled"))
            return
        error = done.exception()
        if error is not None:
            on_fatal(name, error)
        elif not stopping.is_set():
            on_fatal(name, TaskEnded(f"{name} returned while the service was running"))

    task.add_done_callback(ended)
    return task


def terminate_process(name: str, error: BaseException) -> None:
    """The default: log, then SIGTERM this process so its server shuts down and it exits."""
    log.critical("%s died: %r; stopping the process so it is restarted", name, error,
                 exc_info=error)  # fmt: skip
    os.kill(os.getpid(), signal.SIGTERM)
