"""The core: pose types, skeletons, size-free features, reps and errors; no model, no I/O.

Everything else in formcoach builds on these types; this package imports nothing from the rest.
"""
