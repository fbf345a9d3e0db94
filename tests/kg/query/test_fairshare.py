"""kg.query.fairshare: a budget of worker time per client, places in the queue, the short lane."""

from __future__ import annotations

import pytest

from kg.query.fairshare import LONG_MEMORY, WINDOW, FairShare, Refused


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


def test_forgotten_clients_are_swept():
    clock = Clock()
    share = FairShare(budget=30, per_client=2, waiting=4, clock=clock)
    for i in range(999):
        with share.admit(f"c{i}") as t:
            t.charge(1.0)
    clock.now += 10.0                                   # their second of use is earned back
    share.admit("last").close()
    assert list(share._clients) == ["last"]
