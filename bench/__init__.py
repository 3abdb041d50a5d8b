"""Archive-scale benchmark: synthetic French articles, import, index build, three search engines.

``make bench N=100000`` (``python -m bench.run --n 100000``); results in ``bench/results/`` and
``docs/benchmarks.md``.
"""
