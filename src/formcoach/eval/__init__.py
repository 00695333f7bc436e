"""Measuring formcoach on labelled material: counting, form, faces and speech."""
