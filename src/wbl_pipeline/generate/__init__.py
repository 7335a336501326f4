"""Deterministic generator of a sample state's raw WBL and CTE collections.

Schools and districts are real (Tennessee 2024 enrollment); students and
everything they do are synthetic. `run.generate` is the entry point.
"""
