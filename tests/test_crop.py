"""Crop geometry: squares cut out of a frame and landmarks mapped back, on synthetic numbers."""

import numpy as np
import pytest

from formcoach.pose.crop import MAX_GAIN, Square, enlarge, expose, extent, tile_grid


def _frame(w=64, h=48):
    """An image whose pixel (y, x) holds (x, y, 7): where a pixel came from is readable."""
    ys, xs = np.mgrid[0:h, 0:w]
    return np.stack([xs, ys, np.full_like(xs, 7)], axis=-1).astype(np.int32)


def test_a_square_inside_the_frame_is_a_view_of_its_pixels():
    img = _frame()
    sq = Square(10, 5, 20)
    cut = sq.cut(img)
    assert cut.shape == (20, 20, 3)
    assert np.shares_memory(cut, img)
    assert tuple(cut[0, 0, :2]) == (10, 5)
    assert tuple(cut[19, 19, :2]) == (29, 24)


@pytest.mark.parametrize("x0,y0", [(-8, -6), (50, 40), (-5, 30), (60, 2)])
def test_a_square_beyond_the_edges_is_zero_where_the_frame_is_not(x0, y0):
    img = _frame()
    sq = Square(x0, y0, 16)
    cut = sq.cut(img)
    assert cut.shape == (16, 16, 3)
    for r in range(16):
        for c in range(16):
            x, y = x0 + c, y0 + r
            inside = 0 <= x < 64 and 0 <= y < 48
            expected = (x, y, 7) if inside else (0, 0, 0)
            assert tuple(cut[r, c]) == expected


def test_a_square_wholly_outside_the_frame_is_all_zero():
    assert not Square(100, 100, 8).cut(_frame()).any()


@pytest.mark.parametrize("square", [Square(10, 5, 20), Square(-30, -12, 150), Square(40, 30, 7)])
def test_landmarks_found_in_a_cut_map_back_to_frame_pixels(square):
    rng = np.random.default_rng(1)
    truth = rng.uniform(-50, 200, (33, 2))  # frame pixels, some outside the frame
    # what MediaPipe reports for the cut: fractions of the cut's width and height
    in_cut = (truth - (square.x0, square.y0)) / square.side
    np.testing.assert_allclose(square.to_frame(in_cut), truth, atol=1e-9)


def test_a_pixel_of_the_cut_maps_to_the_frame_pixel_it_came_from():
    img = _frame()
    sq = Square(-4, 9, 32)
    cut = sq.cut(img)
    r, c = 10, 21  # a pixel of the cut that lies inside the frame
    xy = sq.to_frame(np.array([(c + 0.5) / sq.side, (r + 0.5) / sq.side]))
    assert tuple(np.floor(xy).astype(int)) == tuple(cut[r, c, :2])


def test_around_centres_the_square_and_keeps_it_at_least_a_pixel():
    sq = Square.around((100.0, 50.0), 40.0)
    assert sq.side == 40 and sq.center == (100.0, 50.0)
    assert Square.around((3.0, 3.0), 0.2).side == 1
    with pytest.raises(ValueError, match="side"):
        Square(0, 0, 0)


def test_toward_moves_at_most_one_step_and_arrives_when_near():
    start = Square.around((100.0, 100.0), 100.0)
    far = Square.around((400.0, 100.0), 300.0)
    moved = start.toward(far, 0.1)
    assert moved.center[0] == pytest.approx(110.0, abs=1)
    assert moved.center[1] == pytest.approx(100.0, abs=1)
    assert moved.side == 110
    near = Square.around((104.0, 97.0), 105.0)
    assert start.toward(near, 0.1) == near
    shrink = start.toward(Square.around((100.0, 100.0), 10.0), 0.1)
    assert shrink.side == round(100 / 1.1)


def test_extent_is_the_longer_side_of_the_finite_points():
    xy = np.array([[0.0, 0.0], [10.0, 3.0], [np.nan, 500.0], [4.0, -2.0]])
    assert extent(xy) == 10.0
    assert extent(np.full((3, 2), np.nan)) == 0.0


@pytest.mark.parametrize("size,side,stride", [((640, 360), 162, 81), ((216, 320), 97, 48.5)])
def test_tiles_cover_the_frame_at_most_a_stride_apart(size, side, stride):
    w, h = size
    tiles = tile_grid(size, side, stride)
    xs = sorted({t.x0 for t in tiles})
    ys = sorted({t.y0 for t in tiles})
    assert xs[0] == 0 and xs[-1] + side == w
    assert ys[0] == 0 and ys[-1] + side == h
    assert max(np.diff(xs)) <= stride and max(np.diff(ys)) <= stride
    assert len(tiles) == len(xs) * len(ys)
    assert all(t.overlap(size) == 1.0 for t in tiles)


def test_a_tile_larger_than_the_frame_is_centred_on_it():
    tiles = tile_grid((640, 360), 360, 180)
    assert {t.y0 for t in tiles} == {0}
    assert len(tile_grid((300, 200), 400, 100)) == 1
    (only,) = tile_grid((300, 200), 400, 100)
    assert only.center == (150.0, 100.0)


def test_a_small_crop_is_enlarged_to_the_model_input_and_a_large_one_kept():
    small = np.zeros((40, 40, 3), np.uint8)
    small[10:30, 10:30] = 200
    big = enlarge(small, 256)
    assert big.shape == (256, 256, 3)
    assert big[128, 128, 0] == 200 and big[5, 5, 0] == 0  # the same picture, larger
    large = np.zeros((300, 300, 3), np.uint8)
    assert enlarge(large, 256) is large


def test_a_dark_region_is_exposed_for_itself_and_a_bright_one_barely_changed():
    rng = np.random.default_rng(0)
    dark = rng.integers(0, 80, (80, 80, 3)).astype(np.uint8)  # gain ~3.2, under the cap
    out = expose(dark)
    assert np.percentile(out, 99) >= 250
    gain = out.astype(float)[dark > 20] / dark[dark > 20]
    assert np.allclose(gain, gain.mean(), atol=0.05 * gain.mean())  # one gain for all
    bright = rng.integers(0, 256, (80, 80, 3)).astype(np.uint8)
    assert np.abs(expose(bright).astype(int) - bright).max() <= 0.03 * 255
    black = np.full((80, 80, 3), 2, np.uint8)
    assert expose(black).max() <= 2 * MAX_GAIN  # noise is not blown up to white
