"""The web adapters on their own: the pushed camera, the page's voice and ears, the messages."""

from __future__ import annotations

import struct
import threading
import time

import cv2
import numpy as np
import pytest

from formcoach.core.errors import FormcoachError
from formcoach.core.pose import Pose
from formcoach.pose.pipeline import Step
from formcoach.session.state import CoachState
from formcoach.testing.figure import stick_figure
from formcoach.voice.audio import read_wav
from formcoach.voice.recognizers import PocketsphinxRecognizer
from formcoach.web.ears import SAMPLE_RATE, PageAnswers, PageEars, PageKeyboard
from formcoach.web.frames import EncodedFrame, PushedFrames, parse_frame
from formcoach.web.live import LiveRequest
from formcoach.web.protocol import frame_message, parse_pcm, state_message
from formcoach.web.speech import AudioShelf, WebSpeaker
from session_fakes import get_exercise
from web_fakes import DeafRecognizer, QuietSynth, frame_bytes


def _jpeg(value: int = 100) -> bytes:
    return cv2.imencode(".jpg", np.full((48, 64, 3), value, np.uint8))[1].tobytes()


def test_pushed_frames_are_decoded_in_order_with_the_pages_clock():
    dropped = []
    frames = PushedFrames(on_drop=lambda i, why: dropped.append(i))
    got = []

    def consume():
        for f in frames:
            got.append((f.index, round(f.timestamp, 3), f.image.shape, f.rgb is not None))

    thread = threading.Thread(target=consume)
    thread.start()
    for i, t_ms in [(5, 1000.0), (6, 1033.3), (7, 1020.0)]:  # a clock going back is held
        frames.push(EncodedFrame(i, t_ms, _jpeg()))
        time.sleep(0.05)
    frames.push(EncodedFrame(8, 1100.0, b"no jpeg"))
    time.sleep(0.05)
    frames.close()
    thread.join(2)
    assert got == [
        (5, 0.0, (48, 64, 3), True),
        (6, 0.033, (48, 64, 3), True),
        (7, 0.034, (48, 64, 3), True),
    ]
    assert dropped == [8] and frames.frame_size == (64, 48)


def test_an_untaken_frame_can_be_taken_back_or_replaced():
    frames = PushedFrames()
    first, second = EncodedFrame(1, 0.0, _jpeg()), EncodedFrame(2, 33.0, _jpeg())
    assert frames.push(first) is None
    assert frames.push(second) is first  # replaced, never taken
    assert not frames.take_back(1) and frames.take_back(2) and not frames.take_back(2)
    frames.close()
    assert frames.push(first) is first  # closed: nothing is taken any more
    assert list(frames) == []


def test_frame_messages_parse_and_reject_junk():
    f = parse_frame(frame_bytes(7, jpeg=b"JPEG"))
    assert (f.id, round(f.capture_ms, 2), f.jpeg) == (7, 233.33, b"JPEG")
    with pytest.raises(ValueError):
        parse_frame(b"\x01\x00")
    with pytest.raises(ValueError):
        parse_frame(struct.pack("<BId", 3, 1, 0.0) + b"x")
    pcm = parse_pcm(bytes([2]) + np.array([1, -2, 300], "<i2").tobytes())
    assert pcm.tolist() == [1, -2, 300] and pcm.dtype == np.int16
    with pytest.raises(ValueError):
        parse_pcm(bytes([2, 0]))


def test_landmarks_go_out_as_fractions_of_the_frame():
    pose = stick_figure({}, n_frames=1)[0]
    message = frame_message(Step(pose, pose, None), (640, 480))
    xy = np.array(message["pose"])[:, :2]
    assert message["id"] == pose.index and xy.shape == (len(pose.xy), 2)
    assert np.allclose(xy * [640, 480], pose.xy, atol=0.1)
    missing = Pose.missing(pose.skeleton, pose.timestamp, pose.index)
    assert frame_message(Step(missing, missing, None), (640, 480))["pose"] is None


def test_the_state_goes_out_as_plain_values():
    m = state_message(CoachState(phase="resting", exercise="Curl", rest_s=30.0, count=4))
    assert m["type"] == "state" and m["phase"] == "resting" and m["rest_s"] == 30.0
    assert m["last_rep"] is None and m["count"] == 4


def test_a_free_training_request_is_read_from_the_query():
    r = LiveRequest.from_query({"profile": "ana", "exercise": "curl", "reps": "12", "sets": "2"})
    item = r.plan(get_exercise)[0]
    assert (item.exercise, item.sets, item.reps, r.profile) == ("curl", 2, 12, "ana")
    hold = LiveRequest.from_query({"exercise": "plank", "hold": "45"}).plan(get_exercise)[0]
    assert hold.hold_s == 45 and hold.reps is None
    assert LiveRequest.from_query({"profile": ""}).plan(get_exercise) is None
    with pytest.raises(FormcoachError, match="reps must be a number"):
        LiveRequest.from_query({"reps": "ten"})
    with pytest.raises(FormcoachError, match="sets"):
        LiveRequest(exercise="curl", sets=0).plan(get_exercise)


def _speaker():
    sent: list[dict] = []
    shelf = AudioShelf()
    return WebSpeaker(QuietSynth(), shelf, sent.append), sent, shelf


def test_the_speaker_waits_until_the_page_has_played_each_line():
    speaker, sent, shelf = _speaker()
    speaker.say("Are you ready?")
    assert not speaker.wait(0.3)  # synthesised, but the page has not played it
    say = next(m for m in sent if m["type"] == "say")
    assert say["text"] == "Are you ready?" and say["url"].startswith("/audio/")
    wav = shelf.get(say["url"].removeprefix("/audio/").removesuffix(".wav"))
    assert wav[:4] == b"RIFF" and say["seconds"] == pytest.approx(0.1)
    speaker.played(say["line"])
    assert speaker.wait(1.0)
    speaker.close()


def test_an_interrupting_line_hushes_the_page():
    speaker, sent, _ = _speaker()
    speaker.say("One.")
    speaker.say("Two. Keep your elbow by your side.", interrupt=True)
    speaker.page_gone()
    assert speaker.wait(1.0)  # nobody listens: no waiting
    kinds = [m["type"] for m in sent]
    assert "hush" in kinds
    assert [m["text"] for m in sent if m["type"] == "say"][-1].startswith("Two.")
    speaker.close()


def test_a_line_the_page_never_plays_is_waited_for_only_so_long():
    speaker, _, _ = _speaker()
    speaker.say("Hello.")
    t0 = time.monotonic()
    assert speaker.wait(10.0)
    assert 1.5 < time.monotonic() - t0 < 4.0  # its length + the slack, not forever
    speaker.close()


def test_a_button_answers_a_question_at_once():
    answers = PageAnswers()
    listening = []
    ears = PageEars(DeafRecognizer(), answers, listening.append)
    threading.Timer(0.3, answers.put, args=("yes",)).start()
    t0 = time.monotonic()
    heard = ears.listen(6.0)
    assert heard.intent == "yes" and heard.source == "page"
    assert time.monotonic() - t0 < 1.5
    assert listening == [True, False]  # the page was told to send PCM, then to stop
    answers.close()
    assert ears.listen().reason == "eof" and PageKeyboard(answers).listen().reason == "eof"


def test_while_a_question_is_asked_the_background_leaves_the_answer_alone():
    answers = PageAnswers()
    ears = PageEars(DeafRecognizer(), answers, lambda on: None)
    ears.asking = True
    answers.put("yes")
    assert ears.background.listen(3.0).intent == "unknown"
    ears.asking = False
    assert ears.listen(3.0).intent == "yes"


def test_typed_text_is_the_keyboard():
    answers = PageAnswers()
    answers.put("  Bo ")
    assert PageKeyboard(answers).listen().text == "Bo"
    assert PageKeyboard(answers, wait_s=0.1).listen().reason == "eof"


@pytest.mark.realdata
def test_the_pages_microphone_is_heard_by_the_same_recogniser(shared_data):
    """A real "yes", streamed as the page's AudioWorklet sends it (40 ms blocks, in real time,
    after the server asks for PCM), is understood by the offline recogniser."""
    yes, _ = read_wav(shared_data / "speech" / "yes" / "6a27a9bf_nohash_0.wav", SAMPLE_RATE)
    audio = np.concatenate(
        [np.zeros(SAMPLE_RATE // 2, np.int16), yes, np.zeros(SAMPLE_RATE, np.int16)]
    )
    answers = PageAnswers()
    started = threading.Event()
    ears = PageEars(PocketsphinxRecognizer(), answers, lambda on: on and started.set())

    def page():
        started.wait(5)
        for k in range(0, len(audio), 640):
            ears.microphone.push(audio[k : k + 640])
            time.sleep(0.04)

    threading.Thread(target=page, daemon=True).start()
    heard = ears.listen(6.0)
    assert heard.intent == "yes", heard
