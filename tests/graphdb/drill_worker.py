"""The process the kill -9 drills kill: it writes to a store in a loop until it is killed.

Run as ``python -m tests.graphdb.drill_worker MODE LOCATION FOLDER`` (FOLDER: where it may
write its CSV files); it prints ``ready`` once the store is open, then one line per write, and
never stops by itself. Modes:

- ``plan``: save the VVSG plan again and again, every node's English title ending in the
  number of the version, so a half-written version would show mixed numbers;
- ``import``: import a CSV of every number indicator's values for every period, each time
  with the value of the round, approved (one revision per measurement per round);
- ``iati``: import an IATI file that adds, each round N, a result node ``drill.rN``, its
  indicators and their approved values (plan, definitions and values in one unit of work);
- ``checkpoint``: as ``plan``, and after each save a ``CHECKPOINT`` (LadybugDB only), printed
  as ``checkpoint N`` just before it starts, so the drill can kill inside it.

Only the test module's drills use it; importing it does nothing.
"""

from __future__ import annotations

import sys
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def suffixed(plan, version: int):
    """The plan with every English title ending in `` #version``."""
    from dataclasses import replace

    from toc.model import Plan, Text

    nodes = [
        replace(n, title=Text(n.title.nl, f"{n.title.en or n.title.nl} #{version}"))
        for n in plan.nodes
    ]
    return Plan.of(nodes, plan.edges)


def number_indicator_csv(store, folder: Path, value: int) -> Path:
    """A CSV giving every number indicator ``value`` for each of its periods."""
    from indicators.definitions import indicator_periods

    lines = ["indicator,period,value"]
    for ind in store.indicators():
        if ind.type.value == "number" and not ind.dimensions:
            lines += [f"{ind.code},{p.id},{value}" for p in indicator_periods(ind)]
    path = folder / f"round-{value}.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


#: Indicators per round of the ``iati`` drill, and the years each reports.
IATI_INDICATORS = 6
IATI_YEARS = (2027, 2028, 2029, 2030)


def iati_round(folder: Path, version: int) -> Path:
    """An IATI file of round ``version``: result ``drill.r<version>`` (a Pathways node
    marker) with :data:`IATI_INDICATORS` indicators, each with a value per year."""
    indicators = []
    for i in range(1, IATI_INDICATORS + 1):
        periods = "".join(
            f'<period><period-start iso-date="{y}-01-01"/><period-end iso-date="{y}-12-31"/>'
            f'<target value="{version + 1}"/><actual value="{version}"/></period>'
            for y in IATI_YEARS
        )
        indicators.append(
            f'<indicator measure="1" ascending="1"><title><narrative>I{i}</narrative></title>'
            f'<reference vocabulary="99" code="drill.r{version}.i{i}"/>'
            f'<baseline year="2026" iso-date="2026-12-31" value="0"/>{periods}</indicator>'
        )
    xml = (
        '<iati-activities version="2.03" xmlns:pw="urn:pathways:iati:1">'
        '<iati-activity default-currency="EUR" xml:lang="en">'
        "<iati-identifier>XM-DRILL-1</iati-identifier>"
        '<reporting-org ref="XM-DRILL" type="22"><narrative>Drill</narrative></reporting-org>'
        "<title><narrative>Drill</narrative></title>"
        '<activity-date type="1" iso-date="2027-01-01"/>'
        f'<result type="1"><title><narrative>Round {version}</narrative></title>'
        f'{"".join(indicators)}<pw:node id="drill.r{version}" kind="Output"/></result>'
        "</iati-activity></iati-activities>"
    )
    path = folder / f"iati-{version}.xml"
    path.write_text(xml, encoding="utf-8")
    return path


def main(mode: str, location: str, folder: str) -> None:
    from graphdb import open_store
    from toc.planfile import load

    store = open_store(location)
    plan = load(EXAMPLES / "vvsg-2027-2036.yaml")
    version = store.plan_version()
    print("ready", flush=True)
    while True:
        version += 1
        if mode == "iati":
            from indicators.iati_import import check_file, commit

            report = check_file(store, iati_round(Path(folder), version), author="drill")
            if report.errors:
                raise SystemExit("\n".join(str(p) for p in report.errors))
            commit(store, report)
            print(f"imported {version}", flush=True)
            continue
        if mode == "import":
            from indicators.importer import import_file

            csv = number_indicator_csv(store, Path(folder), version)
            import_file(store, csv, author="drill", role="me_officer", approve=True)
            print(f"imported {version}", flush=True)
            continue
        store.save_plan(suffixed(plan, version), author="drill", message=f"v{version}")
        print(f"saved {version}", flush=True)
        if mode == "checkpoint":
            print(f"checkpoint {version}", flush=True)
            store._run("CHECKPOINT")


if __name__ == "__main__":
    main(*sys.argv[1:4])
