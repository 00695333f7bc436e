"""Batch inputs: files, folders, globs and CSV manifests."""

import pytest

from formcoach.batch.manifest import collect, read_manifest
from formcoach.core.errors import FormcoachError


@pytest.fixture
def tree(tmp_path):
    (tmp_path / "a" / "deep").mkdir(parents=True)
    for name in ("a/one.mp4", "a/deep/two.MOV", "a/notes.txt", "three.webm", "poses.npz"):
        (tmp_path / name).write_bytes(b"x")
    return tmp_path


def test_folders_are_searched_recursively_for_videos_only(tree):
    found = collect([str(tree / "a")], "squat")
    assert [r.path.name for r in found] == ["two.MOV", "one.mp4"]
    assert all(r.exercise == "squat" and r.person == "" for r in found)


def test_globs_files_and_duplicates(tree):
    found = collect(
        [str(tree / "*.webm"), str(tree / "poses.npz"), str(tree / "three.webm")], "auto"
    )
    assert [r.path.name for r in found] == ["three.webm", "poses.npz"]  # each once, in order
    deep = collect([str(tree / "**" / "*.mp4")], "auto")
    assert [r.path.name for r in deep] == ["one.mp4"]


def test_manifest_paths_are_relative_to_it_and_cells_override_the_default(tree):
    manifest = tree / "a" / "list.csv"
    manifest.write_text("path,exercise,person\none.mp4,bicep curl,ana\n../three.webm,,bo\n\n")
    found = collect([str(manifest)], "squat")
    assert [(r.path, r.exercise, r.person) for r in found] == [
        ((tree / "a" / "one.mp4").resolve(), "bicep curl", "ana"),
        ((tree / "three.webm").resolve(), "squat", "bo"),
    ]


def test_manifest_without_a_path_column_says_what_to_write(tree):
    bad = tree / "bad.csv"
    bad.write_text("file,exercise\none.mp4,squat\n")
    with pytest.raises(FormcoachError, match="no 'path' column") as e:
        read_manifest(bad, "auto")
    assert "path,exercise,person" in e.value.hint


def test_nothing_there_is_an_error(tree):
    with pytest.raises(FormcoachError, match="no such file or folder"):
        collect([str(tree / "missing.mp4")], "auto")
    empty = tree / "empty"
    empty.mkdir()
    with pytest.raises(FormcoachError, match="no recordings found"):
        collect([str(empty)], "auto")


def test_a_folder_of_keypoint_files_is_told_how_to_name_them(tmp_path):
    """A newcomer gives a folder of .npy files (pushfit): say how to pass them (a glob)."""
    (tmp_path / "a.npy").write_bytes(b"")
    with pytest.raises(FormcoachError, match="no recordings found") as e:
        collect([str(tmp_path)], "auto")
    assert "'poses/*.npy'" in e.value.hint
