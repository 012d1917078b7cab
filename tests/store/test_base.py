"""`Cancellation` on its own, with stops that stand in for a store's."""

from __future__ import annotations

import threading
import time

import pytest

from kg.errors import QueryCancelled
from kg.store import Cancellation

#: seconds a hanging stop hangs at most (on the old code, what `cancel` and the query's way out
#: waited for), well past what the tests allow
HANG = 5.0


class _HangingStop:
    """A stop that never returns while the test runs: Neo4j's TERMINATE to a server that has
    stopped answering."""

    def __init__(self) -> None:
        self.calls = 0
        self.called = threading.Event()
        self.release = threading.Event()

    def __call__(self) -> None:
        self.calls += 1
        self.called.set()
        self.release.wait(HANG)


class _Query(threading.Thread):
    """A query in the store, in a thread: it runs until `finish` is set."""

    def __init__(self, cancel: Cancellation, stop) -> None:
        super().__init__(daemon=True)
        self.cancel, self.stop = cancel, stop
        self.inside, self.finish, self.left = threading.Event(), threading.Event(), threading.Event()

    def run(self) -> None:
        with self.cancel.stopping(self.stop):
            self.inside.set()
            self.finish.wait(HANG * 2)
        self.left.set()


def test_a_cancel_whose_stop_hangs_answers_by_its_wait():
    cancel, stop = Cancellation(), _HangingStop()
    query = _Query(cancel, stop)
    query.start()
    try:
        assert query.inside.wait(5)
        started = time.monotonic()
        assert cancel.cancel(wait=0.3) is False  # the query still runs
        assert time.monotonic() - started < 1.0
        assert stop.called.wait(5) and stop.calls == 1  # one attempt at a time: a stop that hangs is not piled on
    finally:
        stop.release.set()
        query.finish.set()
        query.join()


def test_a_query_leaves_at_once_while_a_stop_hangs_and_the_cancel_then_says_it_stopped():
    cancel, stop = Cancellation(), _HangingStop()
    query = _Query(cancel, stop)
    query.start()
    answers: list[bool] = []
    canceller = threading.Thread(target=lambda: answers.append(cancel.cancel(wait=HANG * 2)))
    try:
        assert query.inside.wait(5)
        canceller.start()
        assert stop.called.wait(5)
        finished = time.monotonic()
        query.finish.set()  # the query ends on its own while its stop hangs
        assert query.left.wait(1.0)
        canceller.join(1.0)
        assert answers == [True] and time.monotonic() - finished < 1.0
        assert stop.calls == 1
    finally:
        stop.release.set()
        query.finish.set()
        query.join()
        canceller.join()


def test_a_stop_is_repeated_until_the_query_leaves_and_a_cancelled_query_never_starts():
    cancel = Cancellation()
    calls: list[float] = []
    query = _Query(cancel, lambda: calls.append(time.monotonic()))
    query.start()
    assert query.inside.wait(5)
    threading.Timer(0.5, query.finish.set).start()  # a stop that comes too early is dropped
    assert cancel.cancel(wait=5) is True
    assert query.left.is_set() and len(calls) >= 3
    with pytest.raises(QueryCancelled, match="^the query was cancelled$"), cancel.stopping(lambda: None):
        pytest.fail("a cancelled query ran")
