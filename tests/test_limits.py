"""Tests for symconv.limits: time limits that interrupt, nest and restore what they replace."""

from __future__ import annotations

import math
import pickle
import signal
import threading
import time
from fractions import Fraction

import pytest

from symconv.errors import SymconvError, TimeLimitError, UnsupportedInputError
from symconv.limits import check_deadline, check_timeout, remaining, time_limit

needs_alarm = pytest.mark.skipif(not hasattr(signal, "setitimer"),
                                 reason="SIGALRM timers are Unix-only")


def _spin(seconds):
    """Pure Python work that never calls check_deadline (only a signal can stop it)."""
    end = time.monotonic() + seconds
    n = 0
    while time.monotonic() < end:
        n += 1
    return n


def _stopped(seconds, what, body):
    """Run ``body`` under ``time_limit``; the error and the time it took to stop."""
    start = time.monotonic()
    with pytest.raises(TimeLimitError) as info:
        with time_limit(seconds, what):
            body()
    return info.value, time.monotonic() - start


# -- the error -------------------------------------------------------------------------------
def test_the_error_names_the_limit_and_the_operation():
    err = TimeLimitError(5, "the convolution")
    assert str(err).startswith("the convolution did not finish within 5 s;")
    assert (err.seconds, err.what) == (5, "the convolution")
    assert isinstance(err, SymconvError) and isinstance(err, TimeoutError)
    back = pickle.loads(pickle.dumps(err))  # crosses process boundaries intact
    assert (type(back), str(back), back.what) == (TimeLimitError, str(err), err.what)


# -- validation ------------------------------------------------------------------------------
@pytest.mark.parametrize("bad", [0, -1, 0.0, math.inf, math.nan, True, "5", 1j, [1]])
def test_invalid_limits_are_refused_saying_what_is_accepted(bad):
    with pytest.raises(UnsupportedInputError, match="positive, finite number of seconds"):
        check_timeout(bad)
    with pytest.raises(UnsupportedInputError, match="timeout="):
        with time_limit(bad):
            pass  # pragma: no cover - refused before the block runs


def test_valid_limits():
    assert check_timeout(None) is None
    assert check_timeout(2) == 2.0 and isinstance(check_timeout(2), float)
    assert check_timeout(Fraction(1, 2)) == 0.5


# -- no limit --------------------------------------------------------------------------------
def test_no_limit_changes_nothing():
    before = signal.getsignal(signal.SIGALRM)
    with time_limit(None, "anything"):
        assert remaining() is None
        check_deadline()  # nothing to run out
        assert signal.getsignal(signal.SIGALRM) is before
    assert remaining() is None


def test_a_fast_block_returns_its_value_and_leaves_nothing_armed():
    before = signal.getsignal(signal.SIGALRM)
    with time_limit(10, "a sum"):
        assert 9 < remaining() <= 10
        total = sum(range(1000))
    assert total == 499500
    assert remaining() is None
    assert signal.getsignal(signal.SIGALRM) is before
    if hasattr(signal, "getitimer"):
        assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    time.sleep(0.05)  # no stray alarm fires later


# -- interruption ----------------------------------------------------------------------------
@needs_alarm
def test_the_alarm_interrupts_pure_python_work():
    err, elapsed = _stopped(0.3, "the spin", lambda: _spin(30))
    assert err.what == "the spin" and err.seconds == 0.3
    assert 0.25 < elapsed < 3


@needs_alarm
def test_an_error_swallowed_by_the_work_does_not_let_it_run_on():
    def stubborn():
        for _ in range(3):  # catches the first alarms, as a broad `except` in a library might
            try:
                _spin(30)
            except TimeLimitError:
                pass
        _spin(30)

    _err, elapsed = _stopped(0.2, "stubborn work", stubborn)
    assert elapsed < 3


def test_cooperative_checks_stop_work_off_the_main_thread():
    out = {}

    def work():
        before = signal.getsignal(signal.SIGALRM)
        start = time.monotonic()
        try:
            with time_limit(0.2, "threaded work"):
                while True:
                    check_deadline()
        except TimeLimitError as err:
            out["err"] = err
        out["elapsed"] = time.monotonic() - start
        out["handler unchanged"] = signal.getsignal(signal.SIGALRM) is before

    th = threading.Thread(target=work)
    th.start()
    th.join(10)
    assert not th.is_alive()
    assert out["err"].what == "threaded work"
    assert 0.15 < out["elapsed"] < 3
    assert out["handler unchanged"]


def test_each_thread_has_its_own_deadline():
    seen = {}

    def other():
        seen["remaining"] = remaining()

    with time_limit(10, "main"):
        th = threading.Thread(target=other)
        th.start()
        th.join()
    assert seen["remaining"] is None


# -- nesting ---------------------------------------------------------------------------------
@needs_alarm
def test_a_shorter_inner_limit_fires_and_the_outer_one_stays_in_force():
    with time_limit(20, "the outer job"):
        err, elapsed = _stopped(0.2, "the inner step", lambda: _spin(30))
        assert err.what == "the inner step" and elapsed < 3
        left = remaining()
        assert left is not None and 15 < left < 20  # the outer limit is back
        delay, _interval = signal.getitimer(signal.ITIMER_REAL)
        assert 15 < delay <= left + 0.1  # and its alarm is armed again
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


@needs_alarm
def test_an_inner_limit_never_extends_an_outer_one():
    def inner():
        with time_limit(60, "the inner step"):
            assert remaining() <= 0.3
            _spin(30)

    err, elapsed = _stopped(0.3, "the outer job", inner)
    assert err.what == "the outer job"
    assert elapsed < 3


@needs_alarm
def test_the_outer_limit_fires_after_a_completed_inner_block():
    def body():
        with time_limit(0.1, "the inner step"):
            pass
        _spin(30)

    err, elapsed = _stopped(0.4, "the outer job", body)
    assert err.what == "the outer job" and 0.35 < elapsed < 3


def test_cooperative_nesting():
    with time_limit(20, "outer"):
        with pytest.raises(TimeLimitError, match="inner"):
            with time_limit(0.05, "inner"):
                time.sleep(0.1)
                check_deadline()
        check_deadline()  # the outer one has time left


# -- a foreign timer -------------------------------------------------------------------------
@needs_alarm
def test_a_foreign_handler_and_timer_are_restored():
    fired = []

    def foreign(signum, frame):
        fired.append(signum)

    old = signal.signal(signal.SIGALRM, foreign)
    try:
        signal.setitimer(signal.ITIMER_REAL, 5.0)
        _err, elapsed = _stopped(0.2, "ours", lambda: _spin(30))
        assert elapsed < 3
        assert signal.getsignal(signal.SIGALRM) is foreign
        delay, _ = signal.getitimer(signal.ITIMER_REAL)
        assert 4 < delay < 5  # what was left of it, not a fresh 5 s
        assert not fired
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


@needs_alarm
def test_a_foreign_timer_that_fires_first_keeps_its_handler():
    class ForeignAlarmError(Exception):
        pass

    def foreign(signum, frame):
        raise ForeignAlarmError

    old = signal.signal(signal.SIGALRM, foreign)
    try:
        signal.setitimer(signal.ITIMER_REAL, 0.2)
        with pytest.raises(ForeignAlarmError):
            with time_limit(30, "ours"):
                assert signal.getsignal(signal.SIGALRM) is foreign
                _spin(30)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def test_an_alarm_that_lands_in_a_gc_callback_is_not_lost():
    # An exception raised in a garbage-collector callback is printed and dropped by Python
    # (an "unraisable" exception: a pytest error here); the limit must still stop the block.
    import gc

    from symconv.errors import TimeLimitError
    from symconv.limits import time_limit

    def slow_callback(phase, info):
        if phase == "start":
            spin_until = time.monotonic() + 0.02
            while time.monotonic() < spin_until:
                pass

    ballast = [[] for _ in range(2_000_000)]  # a big heap: each collection takes a while
    gc.callbacks.append(slow_callback)
    start = time.monotonic()
    try:
        with pytest.raises(TimeLimitError):
            with time_limit(0.1, "collecting"):
                while time.monotonic() - start < 10:  # no hang if the limit is lost
                    gc.collect()
                    spin_until = time.monotonic() + 0.02
                    while time.monotonic() < spin_until:
                        pass
    finally:
        gc.callbacks.remove(slow_callback)
    assert time.monotonic() - start < 5 and ballast


def test_an_alarm_during_an_import_waits_for_the_import_to_finish(tmp_path, monkeypatch):
    # The lazy package imports inside a time limit; an exception raised in the middle of an
    # import leaves the module half-made, and its next import fails with an unrelated error.
    import sys

    from symconv.errors import TimeLimitError
    from symconv.limits import time_limit

    (tmp_path / "slow_module_for_limits.py").write_text(
        "import time\nstart = time.monotonic()\nwhile time.monotonic() - start < 0.3:\n"
        "    pass\nDONE = True\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    with pytest.raises(TimeLimitError):
        with time_limit(0.05, "importing"):
            import slow_module_for_limits  # noqa: F401
            while True:
                pass
    assert sys.modules["slow_module_for_limits"].DONE  # the import completed
    sys.modules.pop("slow_module_for_limits")
