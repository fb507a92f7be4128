"""Benchmarks for Samen: the idea list, search and supporting, on SQLite and PostgreSQL at a realistic size.

`python -m bench` (or `make bench`) seeds a database of its own with `samen.demo.bench.seed` (the generator
behind `flask bench seed`), then measures; `python -m bench --list` names the benchmarks. See
docs/benchmarks.md.
"""
