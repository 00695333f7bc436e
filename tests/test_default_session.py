"""``formcoach session`` as a user starts it, with no speech options: it must speak through
the sound card when there is one (the issue: the default session never used the speaker,
because every test handed the coach its own)."""

from __future__ import annotations

import numpy as np
from click.testing import CliRunner

from formcoach.cli import main
from formcoach.core.paths import user_data_dir
from formcoach.form.exercises import get_exercise
from formcoach.store import Store
from formcoach.store.records import WorkoutItem
from formcoach.testing.movements import curl_set
from formcoach.voice import audio


class FakeSoundCard:
    """Stands in for the ``sounddevice`` module: one output device that keeps what it plays."""

    played: list[np.ndarray]

    def __init__(self) -> None:
        self.played = []

    def OutputStream(self, samplerate, channels, dtype):  # sounddevice's name
        card = self

        class Stream:
            def start(self):
                pass

            def write(self, chunk):
                card.played.append(np.asarray(chunk))

            def stop(self):
                pass

            def close(self):
                pass

        return Stream()


def test_the_default_session_speaks_through_the_sound_card(tmp_path, monkeypatch):
    card = FakeSoundCard()
    monkeypatch.setattr(audio, "sounddevice_or_none", lambda: card)
    monkeypatch.setattr(audio, "has_output_device", lambda: True)
    db = tmp_path / "f.db"
    with Store(db, validate_exercise=get_exercise) as store:
        store.add_profile("ana", plan={"monday": [WorkoutItem("bicep_curl", sets=1, reps=2)]})
    video = curl_set(2, seed=3).poses.save(tmp_path / "curls.npz")
    args = ["session", "--video", str(video), "--profile", "ana", "--db", str(db)]
    r = CliRunner().invoke(main, [*args, "--day", "monday", "--answers", "yes", "--no-window"])
    assert r.exit_code == 0, (r.output, r.exception)
    assert "Workout done, Ana" in r.output
    played = sum(len(c) for c in card.played)
    assert played > 16000, "nothing was played on the sound card"
    wavs = [*tmp_path.rglob("*.wav"), *user_data_dir().rglob("*.wav")]
    assert not wavs, "speech went to files although a speaker exists"
