"""Stop reaches work that never checks its token (a scikit-learn fit), and never leaks.

The waits below are generous safety nets against a hang, never measures of speed: a
stopped loop that never checks would otherwise run until the test process ends.
"""

from __future__ import annotations

import threading

import pytest

from workbench.core.errors import Cancelled
from workbench.core.progress import CancelToken
from workbench.core.stoppable import current_token, run_stoppable, working_under


def _endless(started: threading.Event) -> int:
    """A pure-Python loop that never looks at a token (as a library's fit)."""
    started.set()
    count = 0
    while True:
        count += 1


def _in_thread(target) -> dict:
    outcome: dict = {}

    def run() -> None:
        try:
            outcome["value"] = target()
        except BaseException as error:   # the test reads what escaped
            outcome["error"] = error
        # code after the call must run clean: nothing pending may land here
        outcome["after"] = sum(range(10_000))

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    outcome["thread"] = thread
    return outcome


def test_stop_ends_a_loop_that_never_checks():
    token, started = CancelToken(), threading.Event()
    outcome = _in_thread(lambda: run_stoppable(lambda: _endless(started), token))
    assert started.wait(30)
    token.cancel()
    outcome["thread"].join(60)
    assert not outcome["thread"].is_alive()
    assert isinstance(outcome["error"], Cancelled)
    assert outcome["after"] == sum(range(10_000))


def test_a_library_catching_exception_cannot_swallow_stop():
    token, started = CancelToken(), threading.Event()

    def stubborn() -> None:
        while True:
            try:
                _endless(started)
            except Exception:   # what a library may do around its iterations
                continue

    outcome = _in_thread(lambda: run_stoppable(stubborn, token))
    assert started.wait(30)
    token.cancel()
    outcome["thread"].join(60)
    assert isinstance(outcome.get("error"), Cancelled)


def test_a_finished_call_returns_and_a_later_stop_lands_nowhere():
    token = CancelToken()
    outcome = _in_thread(lambda: run_stoppable(lambda: 42, token))
    outcome["thread"].join(60)
    token.cancel()            # after the call: nothing listens, nothing is raised
    assert outcome["value"] == 42 and "error" not in outcome


@pytest.mark.parametrize("spin", [0, 10, 100, 1_000, 10_000])
def test_stop_at_any_moment_around_the_end_is_a_result_or_cancelled(spin):
    # Stop pressed as the call ends: either outcome is right, a leaked exception is not.
    for _ in range(20):
        token, go = CancelToken(), threading.Event()

        def short(go: threading.Event = go) -> int:
            go.set()
            return sum(range(spin))

        outcome = _in_thread(lambda short=short, token=token: run_stoppable(short, token))
        go.wait(30)
        token.cancel()
        outcome["thread"].join(60)
        assert outcome.get("value") == sum(range(spin)) or \
            isinstance(outcome.get("error"), Cancelled), outcome
        assert outcome["after"] == sum(range(10_000))


def test_a_token_cancelled_before_the_call_stops_it_at_once():
    token = CancelToken()
    token.cancel()
    ran = []
    outcome = _in_thread(lambda: run_stoppable(lambda: ran.append(1), token))
    outcome["thread"].join(60)
    assert isinstance(outcome["error"], Cancelled) and not ran


def test_the_threads_token_is_used_when_none_is_given():
    token, started = CancelToken(), threading.Event()

    def work() -> None:
        with working_under(token):
            assert current_token() is token
            run_stoppable(lambda: _endless(started))

    outcome = _in_thread(work)
    assert started.wait(30)
    token.cancel()
    outcome["thread"].join(60)
    assert isinstance(outcome["error"], Cancelled)
    assert current_token() is None          # per thread: this one has none


def test_on_the_main_thread_it_is_a_plain_call():
    # Ctrl-C stops the command line's main thread already; nothing is armed there.
    token = CancelToken()
    assert run_stoppable(lambda: 7, token) == 7
    token.cancel()
    assert sum(range(1000)) == 499500


def test_forgotten_listeners_are_not_called():
    token, calls = CancelToken(), []
    forget = token.on_cancel(lambda: calls.append("a"))
    token.on_cancel(lambda: calls.append("b"))
    forget()
    token.cancel()
    assert calls == ["b"]
