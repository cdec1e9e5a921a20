"""Benchmarks: the scale generator (`scale.py`) and `make bench` (`run.py`)."""
