"""Voice building blocks: audio I/O, the espeak-ng binding, recognisers and the answer phrases.

The public faces are :mod:`formcoach.voice.speaker`, :mod:`formcoach.voice.listener` and
:mod:`formcoach.voice.dialogue`; the modules here are their backends. Nothing heavy is imported
at package import time.
"""
