"""The browser app (``formcoach serve``): live coaching, history, analysis and profiles.

The web page is one more set of adapters around the same :class:`~formcoach.session.Coach`
the terminal session runs: its camera frames (JPEG over a WebSocket) are a frame source for
the same pose pipeline, its speakers play the same espeak-ng lines (WAV files by URL), and its
microphone (16 kHz PCM from an AudioWorklet) feeds the same listener and recogniser. Every page
and script is served from the package: no CDN, no network.
"""
