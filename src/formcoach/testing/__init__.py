"""Synthetic people with known answers, for the tests and the benchmarks."""
