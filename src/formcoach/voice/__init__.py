"""Voice building blocks: audio I/O, the espeak-ng binding, recognisers and the answer phrases.

The public faces are :mod:`formcoach.speaker`, :mod:`formcoach.listener` and
:mod:`formcoach.dialogue`; the modules here are their backends. Nothing heavy is imported
at package import time.
"""
