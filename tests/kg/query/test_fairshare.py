"""kg.query.fairshare: a budget of worker time per client, places in the queue, the short lane."""

from __future__ import annotations

import pytest

from kg.query.fairshare import GUARD, LONG_MEMORY, WINDOW, FairShare, Refused


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_client_over_its_budget_is_refused_and_told_when_to_come_back():
    clock = Clock()
    share = FairShare(budget=30, per_client=2, waiting=4, clock=clock)
    with share.admit("a") as t:
        t.charge(40.0)                                  # one long query overran the budget
    with pytest.raises(Refused) as e:
        share.admit("b").close() or share.admit("a")
    assert e.value.code == "K211" and "POLICYKG_CLIENT_BUDGET" in e.value.message
    # 10 s over, earned back at 30 s per 60 s: 20 s, said in whole seconds, rounded up
    assert e.value.retry_after == 21
    clock.now += 19.0
    with pytest.raises(Refused):
        share.admit("a")
    clock.now += e.value.retry_after - 19.0
    share.admit("a").close()                            # back within its budget
    assert share.usage("a") == pytest.approx(40 - 21 * 30 / WINDOW)


def test_too_many_at_once_from_one_client_and_too_many_waiting():
    share = FairShare(budget=30, per_client=2, waiting=3, clock=Clock())
    a1, a2 = share.admit("a"), share.admit("a")
    with pytest.raises(Refused) as e:
        share.admit("a")
    assert e.value.code == "K212" and e.value.retry_after == 1
    b = share.admit("b")
    with pytest.raises(Refused) as e:                   # three waiting in this lane already
        share.admit("c")
    assert e.value.code == "K213"
    a1.close()
    a1.close()                                          # closing twice frees one place only
    share.admit("c").close()
    for t in (a2, b):
        t.close()
    assert share._in_lane == {True: 0, False: 0}


def test_a_client_that_ran_a_long_query_leaves_the_short_lane_for_a_while():
    clock = Clock()
    share = FairShare(budget=0, per_client=2, waiting=1, short_seconds=1.0, clock=clock)
    with share.admit("a") as t:
        assert t.short
        t.charge(0.2)                                   # short queries keep it there
    with share.admit("a") as t:
        assert t.short
        t.charge(10.0)                                  # no budget (0): never K211
    with share.admit("a") as t:
        assert not t.short
        with share.admit("b") as other:                 # the lanes have their own places
            assert other.short
    clock.now += LONG_MEMORY
    with share.admit("a") as t:
        assert t.short


def test_a_job_moved_to_the_long_lane_takes_its_place_there_or_is_refused():
    share = FairShare(budget=0, per_client=2, waiting=1, short_seconds=1.0, clock=Clock())
    with share.admit("b") as t:
        t.charge(0.1)                               # b is known for short queries
    short = share.admit("a")
    assert short.short and share._in_lane == {True: 1, False: 0}
    short.moved()
    assert not short.short and share._in_lane == {True: 0, False: 1}
    other = share.admit("b")
    with pytest.raises(Refused) as e:               # the long lane's one place is taken
        other.moved()
    assert e.value.code == "K213" and other.short
    for t in (short, other):
        t.close()
    assert share._in_lane == {True: 0, False: 0}


def test_after_an_overrun_unknown_clients_wait_for_the_long_lane_known_ones_do_not():
    clock = Clock()
    share = FairShare(budget=0, per_client=2, waiting=4, short_seconds=1.0, clock=clock)
    with share.admit("regular") as t:
        t.charge(0.01)                              # a short query: known
    with share.admit("newcomer") as t:
        assert t.short
        t.moved()                                   # it overran the short lane
        t.charge(1.0)
    for _ in range(3):
        with share.admit("another newcomer") as t:
            assert not t.short
    with share.admit("regular") as t:
        assert t.short
    clock.now += GUARD
    with share.admit("yet another") as t:
        assert t.short


def test_the_last_place_of_the_short_lane_is_kept_for_known_clients():
    share = FairShare(budget=0, per_client=2, waiting=2, short_seconds=1.0, clock=Clock())
    with share.admit("regular") as t:
        t.charge(0.01)
    new = [share.admit(f"new {i}") for i in range(3)]
    assert [(t.short, t.place) for t in new] == [(True, True), (True, False), (True, False)]
    with pytest.raises(Refused) as e:               # every place the new ones may take is taken
        share.admit("new 4")
    assert e.value.code == "K213"
    regular = share.admit("regular")
    assert regular.short and regular.place and share._in_lane == {True: 2, False: 2}
    new[1].moved()                                  # already in a long place: nothing to move
    assert not new[1].short and share._in_lane == {True: 2, False: 2}
    for t in (*new, regular):
        t.close()
    assert share._in_lane == {True: 0, False: 0}


def test_forgotten_clients_are_swept():
    clock = Clock()
    share = FairShare(budget=30, per_client=2, waiting=4, clock=clock)
    for i in range(999):
        with share.admit(f"c{i}") as t:
            t.charge(1.0)
    clock.now += 10.0                                   # their second of use is earned back
    share.admit("last").close()
    assert list(share._clients) == ["last"]
