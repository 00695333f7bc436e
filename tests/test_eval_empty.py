"""``formcoach eval form`` on folders where some files hold no judgeable rep (empty frames,
nobody moving): the files are reported, never a numpy warning."""

from __future__ import annotations

import json

import numpy as np
from click.testing import CliRunner

from formcoach.cli import main
from formcoach.testing.reps import curl, standing


def _folder(tmp_path):
    lines = ["file,exercise,label"]
    for i in range(4):
        curl(seed=i).save(tmp_path / f"good{i}.npz")
        lines.append(f"good{i}.npz,bicep,correct")
        curl(seed=50 + i, swing=35).save(tmp_path / f"bad{i}.npz")
        lines.append(f"bad{i}.npz,bicep,incorrect")
    standing(4.0).save(tmp_path / "still.npz")  # nobody curls: no rep at all
    lines.append("still.npz,bicep,incorrect")
    empty = curl(seed=9)
    empty = empty.replace(visibility=np.zeros_like(empty.visibility))  # nobody seen
    empty.save(tmp_path / "empty.npz")
    lines.append("empty.npz,bicep,correct")
    (tmp_path / "labels.csv").write_text("\n".join(lines) + "\n")
    return tmp_path


def test_eval_form_with_files_without_reps_warns_nothing(tmp_path):
    # pyproject's filterwarnings turns a warning raised in formcoach code into an error
    r = CliRunner().invoke(main, ["eval", "form", str(_folder(tmp_path)), "--json"])
    assert r.exit_code == 0, (r.output, r.exception)
    bicep = json.loads(r.output)["exercises"]["bicep"]
    assert bicep["n"] == 10
    assert 0.0 <= bicep["one_class_auc"] <= 1.0
