"""Run every benchmark in turn (``make bench``); ``python -m bench.NAME`` runs one."""

from __future__ import annotations

import importlib

#: Benchmark modules, each with a ``main()``.
BENCHMARKS = [
    "bench.neo4j_write",
    "bench.neo4j_indicators",
    "bench.indicators",
    "bench.web_load",
    "bench.evaluation_queries",
    "bench.learning",
    "bench.plan_versions",
    "bench.iati_import",
]


def main() -> None:
    for name in BENCHMARKS:
        print(f"== {name}")
        importlib.import_module(name).main([])


if __name__ == "__main__":
    main()
