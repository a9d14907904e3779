"""Tests for symconv.workers: long-lived workers, replaced only after a kill."""

from __future__ import annotations

import os
import time

import pytest

from symconv.errors import UnsupportedInputError
from symconv.workers import WorkerPool, pid, run_isolated


def _task(kind, value=0):
    if kind == "pid":
        return os.getpid()
    if kind == "sleep":
        time.sleep(value)
        return "slept"
    if kind == "spin":  # pure Python: the soft limit (SIGALRM) stops it
        while True:
            pass
    if kind == "hog":
        return len(bytearray(8 * 1024**3))
    if kind == "exit":
        os._exit(value)
    if kind == "raise":
        raise ValueError("bad")
    if kind == "unpicklable":
        return lambda: 0
    if kind == "block":  # a C call that ignores SIGALRM's Python handler: only a kill helps
        import signal

        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
        time.sleep(value)
        return "unreachable"
    return value * value


def test_results_come_back_with_their_index_and_workers_are_reused():
    with WorkerPool(2) as pool:
        out = dict(pool.map(_task, [("square", i) for i in range(20)], timeout=10))
        assert {i: o.value for i, o in out.items()} == {i: i * i for i in range(20)}
        pids = {o.value for _, o in pool.map(_task, [("pid",)] * 10, timeout=10)}
    assert len(pids) <= 2 and os.getpid() not in pids


def test_each_failure_is_one_outcome_and_only_killed_workers_are_replaced():
    tasks = [("spin",), ("hog",), ("exit", 7), ("raise",), ("unpicklable",), ("block", 30),
             ("square", 3)]
    start = time.monotonic()
    with WorkerPool(2, memory_mb=512) as pool:
        out = dict(pool.map(_task, tasks, timeout=0.5))
    assert time.monotonic() - start < 20
    status = {tasks[i][0]: (o.status, o.message) for i, o in out.items()}
    assert status["spin"] == ("timeout", "")
    assert status["hog"] == ("memory", "memory limit exceeded")
    assert status["exit"] == ("crashed", "the worker died (exit code 7)")
    assert status["raise"] == ("error", "ValueError: bad")
    assert status["unpicklable"][0] == "error" and "cannot return" in status["unpicklable"][1]
    assert status["block"] == ("timeout", "")  # killed after the grace period
    assert out[6].value == 9


def test_a_soft_timeout_keeps_the_worker_and_a_hard_one_replaces_it():
    with WorkerPool(1) as pool:
        (first,) = [o.value for _, o in pool.map(pid, [()])]
        list(pool.map(_task, [("spin",)], timeout=0.3))  # stopped by its own alarm
        (same,) = [o.value for _, o in pool.map(pid, [()])]
        list(pool.map(_task, [("block", 30)], timeout=0.3))  # killed
        (fresh,) = [o.value for _, o in pool.map(pid, [()])]
    assert first == same != fresh


def test_run_isolated_and_argument_checks():
    assert run_isolated(_task, ("square", 5), timeout=5).value == 25
    assert run_isolated(_task, ("sleep", 5), timeout=0.2).status == "timeout"
    with pytest.raises(UnsupportedInputError, match="workers must be an integer >= 1"):
        WorkerPool(0)
    with pytest.raises(UnsupportedInputError, match="memory_mb must be an integer >= 64"):
        WorkerPool(1, memory_mb=1)
    with pytest.raises(UnsupportedInputError, match="timeout"):
        list(WorkerPool(1).map(_task, [("square", 1)], timeout=-1))


def _add(a, b):
    return a + b


def test_common_arguments_reach_every_task_and_survive_a_replaced_worker():
    with WorkerPool(2) as pool:
        out = dict(pool.map(_add, [(i,) for i in range(6)], timeout=10, common=(100,)))
        assert {i: o.value for i, o in out.items()} == {i: 100 + i for i in range(6)}
        list(pool.map(_task, [("block", 30)], timeout=0.3))  # a worker killed and replaced
        out = dict(pool.map(_add, [(i,) for i in range(4)], timeout=10, common=(7,)))
        assert {i: o.value for i, o in out.items()} == {i: 7 + i for i in range(4)}
