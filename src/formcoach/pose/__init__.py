"""From pixels to clean poses: frame sources, the pose model, keypoint files, cleaning, caching.

``sources.open_source`` turns what a user typed (camera index, video, keypoint file, OpenPose
folder) into a stream of raw poses; ``pipeline`` runs it through the causal cleaner.
"""
