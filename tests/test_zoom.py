"""Finding and following a small person (pose/zoom.py) with a stand-in detector and crop model."""

import itertools

import numpy as np
import pytest

from formcoach.pose.crop import Square, extent
from formcoach.pose.detector import Sighting
from formcoach.pose.zoom import Zoom, ZoomSettings, crop_for_landmarks, search_levels

FRAME = np.zeros((360, 640, 3), np.uint8)


def _person(center, size, seed=0):
    """(33, 2) landmarks of a stand-in person of extent ~``size`` whose hips are at center."""
    rng = np.random.default_rng(seed)
    xy = np.asarray(center, float) + rng.uniform(-size / 2, size / 2, (33, 2))
    xy[23] = (center[0] - 0.05 * size, center[1])
    xy[24] = (center[0] + 0.05 * size, center[1])
    return xy


class World:
    """A person somewhere in the frame; a detector and a crop model that see them."""

    def __init__(self, center=(500.0, 250.0), size=54.0):
        self.xy = _person(center, size)
        self.size = size
        self.visible = True
        self.decoys: list[Sighting] = []
        self.detector_calls = 0
        self.zoom: Zoom | None = None

    def find(self, rgb, square):
        self.detector_calls += 1
        hips = self.xy[23:25].mean(axis=0)
        found = [s for s in self.decoys if _inside(s.center, square)]
        if self.visible and _inside(hips, square):
            found.append(Sighting((float(hips[0]), float(hips[1])), self.size, 0.8))
        return sorted(found, key=lambda s: -s.score)

    def close(self):
        pass

    def crop_landmarks(self, cut):
        sq = self.zoom.square
        assert cut.shape[0] == cut.shape[1] == max(sq.side, 256), "the crop, enlarged to 256"
        hips = self.xy[23:25].mean(axis=0)
        if not self.visible or not _inside(hips, sq):
            return None
        return np.column_stack([(self.xy - (sq.x0, sq.y0)) / sq.side, np.ones(33)])

    def make_zoom(self, **settings):
        self.resets = 0

        def reset():
            self.resets += 1

        self.zoom = Zoom(ZoomSettings(**settings), (self.crop_landmarks, reset), self)
        return self.zoom


def _inside(p, sq: Square) -> bool:
    return sq.x0 <= p[0] < sq.x0 + sq.side and sq.y0 <= p[1] < sq.y0 + sq.side


def test_search_levels_go_from_the_short_side_down_to_reach_times_the_smallest_person():
    s = ZoomSettings()
    levels = search_levels((640, 360), s)
    sides = [lv[0].side for lv in levels]
    assert sides[0] == 360
    assert sides[-1] == round(s.tile_reach * s.min_person_share * 360)
    assert all(a / b <= s.level_ratio + 0.01 for a, b in itertools.pairwise(sides))
    assert all(len({t.side for t in lv}) == 1 for lv in levels)


def test_a_small_person_is_found_and_their_landmarks_come_back_in_frame_pixels():
    world = World()
    zoom = world.make_zoom()
    found = zoom.start(FRAME, 0.0)
    assert found is not None and zoom.following
    np.testing.assert_allclose(found[:, :2], world.xy, atol=1e-6)
    assert _inside(world.xy[23], zoom.square)


def test_the_crop_follows_a_moving_person():
    world = World(center=(300.0, 200.0))
    zoom = world.make_zoom()
    assert zoom.start(FRAME, 0.0) is not None
    for k in range(1, 40):
        world.xy = world.xy + (4.0, -1.0)  # walks right and a little up
        found = zoom.follow(FRAME, k / 30)
        assert found is not None
        np.testing.assert_allclose(found[:, :2], world.xy, atol=1e-6)
    hips = world.xy[23:25].mean(axis=0)
    assert np.allclose(zoom.square.center, hips, atol=0.1 * zoom.square.side)
    target = crop_for_landmarks(world.xy, zoom.settings.margin)
    assert zoom.square.side == pytest.approx(target.side, rel=0.1)


def test_a_search_runs_at_most_once_per_interval_in_seconds():
    world = World()
    world.visible = False
    zoom = world.make_zoom(search_interval_s=1.0)
    assert zoom.start(FRAME, 0.0) is None
    per_search = world.detector_calls
    assert per_search == sum(len(lv) for lv in search_levels((640, 360), zoom.settings))
    assert zoom.start(FRAME, 0.5) is None
    assert world.detector_calls == per_search
    assert zoom.start(FRAME, 1.0) is None
    assert world.detector_calls == 2 * per_search


def test_a_sighting_the_crop_model_does_not_confirm_is_not_followed():
    world = World(center=(500.0, 250.0))
    world.decoys = [Sighting((100.0, 100.0), 50.0, 0.99)]  # found first, nobody there
    zoom = world.make_zoom()
    found = zoom.start(FRAME, 0.0)
    assert found is not None
    assert _inside(world.xy[23], zoom.square)


def test_a_person_lost_in_the_crop_is_held_for_hold_s_then_given_up():
    world = World()
    zoom = world.make_zoom(hold_s=0.5)
    zoom.start(FRAME, 0.0)
    world.visible = False
    assert zoom.follow(FRAME, 0.2) is None and zoom.following
    assert zoom.follow(FRAME, 0.5) is None and zoom.following
    assert zoom.follow(FRAME, 0.6) is None and not zoom.following


def test_a_person_large_enough_for_the_whole_frame_is_left_to_it():
    world = World(size=640 / 2.5)  # extent x tile_reach (3) > the frame's longer side
    zoom = world.make_zoom()
    assert zoom.start(FRAME, 0.0) is None
    assert not zoom.following


def test_a_followed_person_is_offered_back_once_grown_and_once_per_interval():
    world = World()
    zoom = world.make_zoom(search_interval_s=1.0)
    small = zoom.start(FRAME, 0.0)
    assert not zoom.may_hand_back(small, (640, 360), 1.0)
    big = np.column_stack([_person((320, 180), 300), np.ones(33)])
    assert extent(big[:, :2]) * zoom.settings.tile_reach >= 640
    assert not zoom.may_hand_back(big, (640, 360), 1.5)  # asked at 1.0 already
    assert zoom.may_hand_back(big, (640, 360), 2.0)


@pytest.mark.parametrize(
    "field,value",
    [("margin", 0), ("tile_reach", -1), ("level_ratio", 1.0), ("search_interval_s", -0.1)],
)
def test_settings_are_checked(field, value):
    with pytest.raises(ValueError, match=field):
        ZoomSettings(**{field: value})


def test_the_crop_model_is_reset_only_when_it_would_look_in_the_wrong_place():
    world = World()
    zoom = world.make_zoom(search_interval_s=1.0)
    zoom.start(FRAME, 0.0)
    assert world.resets == 0, "a fresh model tracks nobody"
    zoom.stop()  # handed back while the crop model still tracks the person
    world.xy = world.xy - (300.0, 0.0)
    assert zoom.start(FRAME, 1.0) is not None
    assert world.resets == 1
    world.visible = False
    zoom.follow(FRAME, 1.1)  # lost: the model searches its whole image next time
    zoom.stop()
    world.visible = True
    assert zoom.start(FRAME, 2.0) is not None
    assert world.resets == 1
