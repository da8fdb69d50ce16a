"""Worker processes for the large, pure parts of a big build: parsing seeds and rendering
documents. Spawned (not forked: the caller may run threads), one per core, and used only
when there is enough work to pay for starting them; results come back in order.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

log = logging.getLogger(__name__)

R = TypeVar("R")


def cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def start() -> ProcessPoolExecutor | None:
    """A pool of one worker per core, or None on a single core."""
    if cores() < 2:
        return None
    return ProcessPoolExecutor(cores(), mp_context=multiprocessing.get_context("spawn"))


def ordered(pool: ProcessPoolExecutor | None, fn: Callable[..., R],
            jobs: Iterable[tuple[Any, ...]]) -> Iterator[R]:
    """fn(*job) for every job, in order: in the pool with a few jobs in flight, or here.
    If the workers cannot run (a script without a __main__ guard, limits), the rest runs
    here with a warning."""
    if pool is None:
        for job in jobs:
            yield fn(*job)
        return
    ahead: list[tuple[tuple[Any, ...], Future[R]]] = []
    it = iter(jobs)
    try:
        for job in it:
            ahead.append((job, pool.submit(fn, *job)))
            if len(ahead) > cores() + 1:
                result = ahead[0][1].result()
                ahead.pop(0)
                yield result
        while ahead:
            result = ahead[0][1].result()
            ahead.pop(0)
            yield result
    except BrokenProcessPool as e:
        log.warning("working in one process: worker processes failed (%s)", e)
        for job, _ in ahead:
            yield fn(*job)
        for job in it:
            yield fn(*job)
