"""The counter's cheaper per-frame arithmetic gives exactly NumPy's floats: the counts of a
faster counter are the counts of the old one (round 15's speed work changed no float)."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from formcoach.core.skeleton import BLAZEPOSE_33, COCO_18, COMMON
from formcoach.counting.motion import BodyFeatures, Smoother
from formcoach.counting.periodicity import _largest_sq_distance, _row_dots, cycle_similarity
from formcoach.counting.smallops import median, nan_to_zero


def _awkward(rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
    """Values of very different sizes, with NaN, both infinities and signed zeros."""
    x = rng.standard_normal(shape) * rng.choice([1e-300, 1e-8, 1.0, 1e8, 1e300], size=shape)
    flat = x.reshape(-1)
    for value in (np.nan, np.inf, -np.inf, -0.0, 0.0):
        flat[rng.integers(0, flat.size, 3)] = value
    return x


@pytest.mark.parametrize("shape", [(35,), (8, 35), (3,), (0,)])
def test_nan_to_zero_is_nan_to_num(shape):
    rng = np.random.default_rng(1)
    for _ in range(50):
        x = _awkward(rng, shape) if np.prod(shape) else np.zeros(shape)
        got = nan_to_zero(x.copy())
        want = np.nan_to_num(x)
        np.testing.assert_array_equal(got, want)
        np.testing.assert_array_equal(np.signbit(got), np.signbit(want))


def test_nan_to_zero_without_infinity_and_on_float32():
    rng = np.random.default_rng(2)
    x = rng.standard_normal(35)
    x[[3, 7]] = np.nan
    np.testing.assert_array_equal(nan_to_zero(x.copy()), np.nan_to_num(x))
    y = np.array([np.nan, np.inf, -np.inf, 1.5], np.float32)
    got = nan_to_zero(y.copy())
    assert got.dtype == np.float32
    np.testing.assert_array_equal(got, np.nan_to_num(y))


def test_median_is_numpys():
    rng = np.random.default_rng(3)
    for n in range(1, 10):
        for _ in range(200):
            v = list(rng.standard_normal(n) * 10.0 ** rng.integers(-8, 8))
            assert median(v) == float(np.median(v)), v
    assert np.isnan(median([1.0, float("nan"), 2.0]))
    assert np.isnan(median([]))


@pytest.mark.parametrize("dims", range(1, 11))
def test_row_dots_and_largest_distance_are_the_plain_formulas(dims):
    """Column by column below 8 columns (NumPy sums those in order), the plain formula from 8
    on (NumPy sums pairwise): the floats are the same either way."""
    rng = np.random.default_rng(dims)
    x = rng.standard_normal((240, dims)) * rng.choice([1e-6, 1.0, 1e6], size=(240, dims))
    rows, cols = rng.integers(0, 240, 5000), rng.integers(0, 240, 5000)
    np.testing.assert_array_equal(_row_dots(x, rows, cols), (x[rows] * x[cols]).sum(axis=1))
    last = x[-97:]
    diff = last[:, None, :] - last[None, :, :]
    assert _largest_sq_distance(last) == float((diff * diff).sum(axis=-1).max())


def test_cycle_similarity_of_a_sine_is_one_at_its_period():
    t = np.arange(240) / 30.0
    x = np.stack([np.sin(2 * np.pi * t), np.cos(2 * np.pi * t), 0 * t], axis=1)
    rho = cycle_similarity(x, 7, 120)
    assert rho[30 - 7] == pytest.approx(1.0, abs=1e-9)
    assert rho[15 - 7] < -0.9


def test_noise_gain_is_the_documented_formula():
    """w^2 (1/l1^2 + 1/l2^2) per angle from its segments' lengths in torso lengths, 1 for
    positions and the height, 0 for an angle with an unseen joint."""
    rng = np.random.default_rng(4)
    feats = BodyFeatures()
    xy = rng.uniform(0.0, 1.0, (len(COMMON), 2)).astype(np.float32)
    xy[COMMON.index("left_wrist")] = np.nan
    unit = 0.4
    feats(xy, np.array([0.5, 0.5]), unit)
    gain = feats.noise_gain
    n_pos = 26
    np.testing.assert_array_equal(gain[:n_pos], 1.0)
    assert gain[-1] == 1.0
    names = [("shoulder", "elbow", "wrist"), ("hip", "shoulder", "elbow")]
    names += [("shoulder", "hip", "knee"), ("hip", "knee", "ankle")]
    k = 0
    for a, b, c in names:
        for side in ("left", "right"):
            pa, pb, pc = (xy[COMMON.index(f"{side}_{j}")].astype(float) for j in (a, b, c))
            l1, l2 = np.linalg.norm(pa - pb) / unit, np.linalg.norm(pc - pb) / unit
            want = feats.angle_weight**2 * (1 / l1**2 + 1 / l2**2)
            got = gain[n_pos + k]
            if side == "left" and "wrist" in (a, b, c):
                assert got == 0.0
            else:
                assert got == pytest.approx(want, rel=1e-5)
            k += 1


def _reference_smoother(stream: list[np.ndarray], glitch: int, a: float) -> list[np.ndarray]:
    """The median of the last ``glitch`` vectors (NaN ignored), then the exponential filter;
    a value unseen keeps its state, a feature first seen starts from its value."""
    out, state = [], None
    for i in range(len(stream)):
        window = np.array(stream[max(0, i - glitch + 1) : i + 1])
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # an all-NaN column: NaN
            med = np.nanmedian(window, axis=0) if len(window) > 1 else window[0].copy()
        if state is None:
            state = med.copy()
        else:
            fresh = ~np.isnan(med)
            first = fresh & np.isnan(state)
            state[first] = med[first]
            state[fresh] += a * (med[fresh] - state[fresh])
        out.append(state.copy())
    return out


@pytest.mark.parametrize("gaps", [False, True])
def test_smoother_fast_path_gives_the_same_floats(gaps):
    """With every value seen (the fast path) and with gaps (the general one)."""
    rng = np.random.default_rng(5)
    fps, glitch_s, smooth_s = 30.0, 0.15, 0.1
    stream = [rng.standard_normal(6) for _ in range(120)]
    if gaps:
        for v in stream[10:20]:
            v[2] = np.nan
        stream[0][4] = np.nan  # a feature seen only from the second frame
    sm = Smoother(6, glitch_s, smooth_s)
    got = [sm(f, i / fps, 1 / fps) for i, f in enumerate(stream)]
    want = _reference_smoother(stream, 5, 1.0 - np.exp(-(1 / fps) / smooth_s))
    for g, w in zip(got, want, strict=True):
        np.testing.assert_array_equal(g, w)


def test_common_indices_are_kept_but_given_as_a_copy():
    idx = BLAZEPOSE_33.common_indices()
    idx[:] = -1
    assert (BLAZEPOSE_33.common_indices() >= 0).all()
    assert (COCO_18.common_indices() == -1).sum() == 4
