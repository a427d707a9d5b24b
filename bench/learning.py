"""Learning benchmarks on a federation-sized plan: what-if, confidence of every link and one
contribution story, each against a baseline measured in the same run.

The plan is the synthetic one of the other benchmarks (:mod:`bench.synthetic`: 20,000 nodes,
40,000 links, about 25,000 of them causal). Its evidence is synthetic too: on average
``--per-link`` items on every causal link (random kind, strength and direction, one in ten
with its own likelihoods), a few on assumptions, and harvested outcomes near the strategic
objectives. Building plan and evidence is not timed.

1. **What-if** (:func:`toc.whatif.what_if`): remove 20 strategies, 10 countries and 10 partners,
   with the indicator mapping of 2,000 indicators. Baseline: one networkx topological sort of
   the same causal graph (built beforehand). Target: under 200 ms.
2. **Confidence** (:func:`toc.confidence.link_confidences`): the posterior of every causal
   link from all the items. Baseline: a plain Python loop multiplying as many floats as there
   are items. Target: under 1 s.
3. **Story** (:func:`toc.story.contribution_story`) of the strategic objective with the most
   pathways, from the plan, all the evidence and the outcomes; its text rendering is timed
   apart. Baseline: :func:`toc.analysis.pathways` enumerating the pathways from one strategy
   to the same objective (what ``toc paths`` does). Target: under 100 ms.

Every figure is the best of ``--repeat`` runs (a garbage collection before each), with the
median beside it: this machine's speed varies from one run to the next. Each is measured on a
new plan object, so the plan's causal index (:func:`toc.causal.causal_index`, kept while a
plan lives) is built inside the clock, and again on the already indexed plan, as repeated
calls in one command or page see it. The targets hold for the new plan.

Run: ``python -m bench.learning [--nodes 20000] [--edges 40000] [--per-link 2] [--repeat 7]``
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import random
import statistics
import time
from collections.abc import Callable, Sequence

import networkx as nx

from bench.synthetic import synthetic_plan
from toc.analysis import pathways
from toc.causal import ancestors, causal_index, pathway_counts
from toc.confidence import link_confidences
from toc.evidence import Evidence, EvidenceKind, Says, Strength
from toc.harvest import HarvestedOutcome
from toc.model import Plan
from toc.story import contribution_story
from toc.story_render import render
from toc.whatif import what_if

__all__ = ["main", "synthetic_evidence", "synthetic_outcomes"]


def synthetic_evidence(plan: Plan, per_link: float, seed: int = 1) -> list[Evidence]:
    """About ``per_link`` items per causal link, and one per ten assumptions."""
    rnd = random.Random(seed)
    links = list(causal_index(plan).links)
    kinds = [k for k in EvidenceKind if k is not EvidenceKind.HARVESTED_OUTCOME]
    day0 = dt.date(2027, 1, 1)
    out = []
    for i in range(int(len(links) * per_link)):
        says = rnd.choice([Says.SUPPORTS, Says.SUPPORTS, Says.CONTRADICTS])
        extra: dict[str, float] = {}
        if i % 10 == 0:
            a, b = sorted((rnd.uniform(0.05, 0.95), rnd.uniform(0.05, 0.95)))
            extra = {"p_e_given_h": b, "p_e_given_not_h": a}
            if says is Says.CONTRADICTS:
                extra = {"p_e_given_h": a, "p_e_given_not_h": b}
        out.append(
            Evidence(
                f"ev{i}",
                rnd.choice(kinds),
                says,
                rnd.choice(list(Strength)),
                f"Synthetic source {i}",
                day0 + dt.timedelta(days=rnd.randrange(3650)),
                "bench",
                link=rnd.choice(links),
                illustrative=True,
                **extra,
            )
        )
    assumptions = [n.id for n in plan.nodes if n.kind == "Assumption"]
    for j, a in enumerate(assumptions[::10]):
        out.append(
            Evidence(
                f"ea{j}",
                "document",
                "supports",
                "weak",
                "Synthetic",
                day0,
                "bench",
                assumption=a,
                illustrative=True,
            )
        )
    return out


def synthetic_outcomes(plan: Plan, count: int = 200, seed: int = 1) -> list[HarvestedOutcome]:
    """``count`` harvested outcomes near the strategic objectives and objectives."""
    rnd = random.Random(seed)
    near = [n.id for n in plan.nodes if n.kind in ("StrategicObjective", "Objective")]
    return [
        HarvestedOutcome(
            f"ho{i}",
            f"Outcome {i}",
            "A synthetic change",
            dt.date(2030, 1, 1) + dt.timedelta(days=i),
            "A council",
            (rnd.choice(near),),
            "bench",
            planning=rnd.choice(["planned", "unplanned"]),
            valence=rnd.choice(["positive", "positive", "negative"]),
            illustrative=True,
        )
        for i in range(count)
    ]


def _timed(fn: Callable[[], object], repeat: int) -> tuple[float, float, object]:
    """Best and median seconds of ``repeat`` runs, and the last result."""
    times, result = [], None
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return min(times), statistics.median(times), result


def _cold(fn: Callable[[Plan], object], plan: Plan, repeat: int) -> tuple[float, float, object]:
    """Like :func:`_timed`, each run on a new plan object (equal to ``plan``, made before the
    clock starts), so nothing the previous run indexed is reused."""
    times, result = [], None
    for _ in range(repeat):
        fresh = Plan(plan.nodes, plan.edges)
        gc.collect()
        start = time.perf_counter()
        result = fn(fresh)
        times.append(time.perf_counter() - start)
    return min(times), statistics.median(times), result


def _line(name: str, figures: tuple[float, float, object], base: float, target: str) -> str:
    best, median, _ = figures
    return (
        f"  {name:<40} {best * 1000:8.1f} ms (median {median * 1000:7.1f})  "
        f"{best / base:7.1f}x baseline  (target {target})"
    )


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.learning", description=__doc__)
    parser.add_argument("--nodes", type=int, default=20_000)
    parser.add_argument("--edges", type=int, default=40_000)
    parser.add_argument("--per-link", type=float, default=2.0, help="evidence items per link")
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args(argv)
    repeat = max(1, args.repeat)

    plan = synthetic_plan(args.nodes, args.edges)
    index = causal_index(plan)
    evidence = synthetic_evidence(plan, args.per_link)
    outcomes = synthetic_outcomes(plan)
    targets = [n.id for n in plan.nodes if n.kind in ("Outcome", "Objective")]
    rnd = random.Random(2)
    measures = {f"ind.{i:05d}": [rnd.choice(targets)] for i in range(2_000)}
    strategies = [n.id for n in plan.nodes if n.kind == "Strategy"]
    removed = [
        *strategies[:20],
        *[n.id for n in plan.nodes if n.kind == "Country"][:10],
        *[n.id for n in plan.nodes if n.kind == "Partner"][:10],
    ]
    counts = pathway_counts(index)
    sos = [n for n, k in index.kinds.items() if k == "StrategicObjective"]
    node = max(sos, key=lambda n: (counts[n], n))
    upstream = ancestors(index, node)
    first = next(s for s in strategies if s in upstream)
    print(
        f"plan: {len(plan.nodes):,} nodes, {len(plan.edges):,} links ({len(index.links):,} "
        f"causal); {len(evidence):,} evidence items; {len(outcomes)} harvested outcomes"
    )

    graph = nx.DiGraph([(link.source, link.target) for link in index.links])
    base_sort = _timed(lambda: list(nx.topological_sort(graph)), repeat)[0]
    whatif_cold = _cold(lambda p: what_if(p, removed, measures), plan, repeat)
    whatif_warm = _timed(lambda: what_if(plan, removed, measures), repeat)
    result = whatif_cold[2]
    print(
        f"what-if: {len(result.removed)} removed, {len(result.lost)} lost, "
        f"{len(result.weakened)} weakened, {len(result.indicators)} indicators"
    )

    floats = [1.0 + (i % 7) / 100 for i in range(len(evidence))]

    def multiply() -> float:
        product = 1.0
        for x in floats:
            product *= x
        return product

    base_mult = _timed(multiply, repeat)[0]
    conf_cold = _cold(lambda p: link_confidences(p, evidence), plan, repeat)
    conf_warm = _timed(lambda: link_confidences(plan, evidence), repeat)
    links = len(conf_cold[2])

    base_paths, _, found = _timed(lambda: pathways(plan, first, node), repeat)
    story_cold = _cold(lambda p: contribution_story(p, node, evidence, outcomes), plan, repeat)
    story_warm = _timed(lambda: contribution_story(plan, node, evidence, outcomes), repeat)
    story = story_cold[2]
    r_best, r_median, text = _timed(lambda: render(story, "en", "text"), repeat)
    print(
        f"story: {len(story.pathways)} pathways shown, {story.links_total:,} links on its "
        f"pathways; baseline enumerates {len(found)} pathways from {first}; the text "
        f"is {len(text):,} characters, rendered in {r_best * 1000:.1f} ms "
        f"(median {r_median * 1000:.1f})"
    )
    print(f"\nFigures (best of {repeat}; baselines in the same run)")
    print(
        f"  baselines: topological sort {base_sort * 1000:.1f} ms; {len(floats):,} float "
        f"multiplications {base_mult * 1000:.1f} ms; toc.analysis.pathways "
        f"{base_paths * 1000:.1f} ms"
    )
    print(_line("what-if, 40 removed (new plan)", whatif_cold, base_sort, "< 200 ms"))
    print(_line("what-if, 40 removed (plan indexed)", whatif_warm, base_sort, "< 200 ms"))
    print(_line(f"confidence, {links:,} links (new plan)", conf_cold, base_mult, "< 1 s"))
    print(_line(f"confidence, {links:,} links (plan indexed)", conf_warm, base_mult, "< 1 s"))
    title = f"story of {node}, {story.pathway_count:,} pathways"
    print(_line(f"{title} (new plan)", story_cold, base_paths, "< 100 ms"))
    print(_line(f"{title} (plan indexed)", story_warm, base_paths, "< 100 ms"))


if __name__ == "__main__":
    main()
