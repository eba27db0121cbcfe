"""The search benchmark: synthetic catalogs (synth), what is measured (measure), the table (report).

Run with `make bench` (python -m bench). Not part of `make test`; tests/unit/test_bench_smoke.py runs it
at a tiny size so it cannot rot.
"""
