"""Benchmark of the pathway diagram's level of detail: time and size of the default LOD view
against the whole drawing of a synthetic plan, in one run.

Run: ``python -m bench.pathways_lod [--nodes 2000] [--whole]`` (``--whole`` also draws the
whole plan, which takes seconds at 2,000 nodes and far longer at 20,000).
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Sequence

from bench.synthetic import synthetic_plan
from toc.analysis import pathway_graph
from toc.lod import ViewSpec, level_of_detail
from toc.render import diagram_dot, diagram_nodes, render

__all__ = ["main"]


def _draw(plan, drawn=None, summaries=()) -> tuple[float, int]:
    start = time.perf_counter()
    svg = render(diagram_dot(plan, "en", drawn=drawn, summaries=summaries), "svg")
    return time.perf_counter() - start, len(svg)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.pathways_lod", description=__doc__)
    parser.add_argument("--nodes", type=int, default=2_000)
    parser.add_argument("--whole", action="store_true", help="also draw the whole plan")
    args = parser.parse_args(argv)
    plan = synthetic_plan(args.nodes, args.nodes * 2)
    start = time.perf_counter()
    g = pathway_graph(plan)
    kinds = {n.id: n.kind for n in plan.nodes}
    candidates = [n.id for n in diagram_nodes(plan)]
    view = level_of_detail(g, kinds, candidates, ViewSpec())
    lod_s = time.perf_counter() - start
    seconds, size = _draw(plan, view.drawn, [(s, "/x") for s in view.summaries])
    print(
        f"{args.nodes} nodes: LOD view {len(view.drawn)} nodes + {len(view.summaries)} "
        f"summaries, computed in {lod_s * 1000:.0f} ms, drawn in {seconds:.2f} s, {size} bytes"
    )
    spec = ViewSpec(expand=("so1", "objective1"))
    view = level_of_detail(g, kinds, candidates, spec)
    seconds, size = _draw(plan, view.drawn, [(s, "/x") for s in view.summaries])
    print(
        f"  expand so1 and objective1: {len(view.drawn)} nodes, "
        f"drawn in {seconds:.2f} s, {size} bytes"
    )
    if args.whole:
        seconds, whole_size = _draw(plan)
        print(f"  whole: drawn in {seconds:.2f} s, {whole_size} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
