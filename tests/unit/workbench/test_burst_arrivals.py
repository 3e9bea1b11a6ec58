"""`callassist bench burst --stagger`: when the calls arrive, and the span in which every player
is live."""

from __future__ import annotations

import pytest

from workbench.bench.burst import all_live, arrival_offsets


def test_without_a_stagger_every_call_starts_together() -> None:
    assert arrival_offsets(4, 0) == [0.0, 0.0, 0.0, 0.0]


def test_staggered_calls_arrive_within_the_window_the_same_way_every_run() -> None:
    offsets = arrival_offsets(12, 15.0)
    assert offsets == arrival_offsets(12, 15.0)
    assert offsets[0] == 0.0 and offsets == sorted(offsets) and offsets[-1] < 15.0
    assert len(set(offsets)) == 12


@pytest.mark.parametrize(
    ("players", "spans"),
    [
        ([[(0.0, 40.0)], [(5.0, 45.0)], [(10.0, 40.0)]], [(10.0, 40.0)]),
        ([[(0.0, 10.0)], [(20.0, 30.0)]], []),  # never all live
        # a player between two calls is not live: the gap 30-32 is left out
        ([[(0.0, 30.0), (32.0, 60.0)], [(5.0, 70.0)]], [(5.0, 30.0), (32.0, 60.0)]),
        ([], []),
    ],
)
def test_the_spans_in_which_every_player_is_in_a_call(
    players: list[list[tuple[float, float]]], spans: list[tuple[float, float]]
) -> None:
    assert all_live(players) == spans
