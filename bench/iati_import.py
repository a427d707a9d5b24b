"""What importing a large IATI file costs: a publisher's file of many activities imported into
a fresh embedded store, against lxml only parsing the same file.

One run generates a file of ``--activities`` activities (default 500), each with two results of
two indicators with ``--periods`` yearly periods (default 10: 20,000 indicator periods in all),
each period with a target and an actual; then it times

1. **import**: :func:`indicators.iati_import.check_file` (the dry run: reading, the ruleset,
   every check against the store) and :func:`indicators.iati_import.commit` (one unit of
   work) into a fresh LadybugDB store (target: under 10 s);
2. **lxml**: ``etree.fromstring`` of the same bytes with the import's parser settings (the
   best of three), the floor no import of the file can go below.

Both are timed in the same run, so their ratio holds on a machine whose load changes.

Run: ``python -m bench.iati_import [--activities 500] [--periods 10]``
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from lxml import etree

from graphdb.ladybug_store import LadybugStore
from indicators.iati_import import check_file, commit

__all__ = ["Figures", "iati_file", "main", "measure"]

#: Results per activity and indicators per result of the generated file.
RESULTS, INDICATORS = 2, 2
FIRST_YEAR = 2015


def _indicator(out: list[str], a: int, r: int, i: int, periods: int) -> None:
    out.append('   <indicator measure="1" ascending="1">')
    out.append(f"    <title><narrative>Indicator {a}.{r}.{i}</narrative></title>")
    out.append(f'    <baseline year="{FIRST_YEAR - 1}" value="{i}"/>')
    for p in range(periods):
        year = FIRST_YEAR + p
        out.append(
            f'    <period><period-start iso-date="{year}-01-01"/>'
            f'<period-end iso-date="{year}-12-31"/>'
            f'<target value="{10 * (p + 1) + i}"/><actual value="{9 * (p + 1) + i + a % 7}"/>'
            "</period>"
        )
    out.append("   </indicator>")


def iati_file(activities: int, periods: int) -> bytes:
    """An IATI 2.03 file of ``activities`` activities of one made-up publisher, each with
    :data:`RESULTS` results of :data:`INDICATORS` indicators with ``periods`` yearly
    periods, each with a target and an actual."""
    out = ['<?xml version="1.0" encoding="UTF-8"?>', '<iati-activities version="2.03">']
    last = FIRST_YEAR + periods - 1
    for a in range(1, activities + 1):
        out.append(' <iati-activity xml:lang="en" default-currency="EUR">')
        out.append(f"  <iati-identifier>XM-BENCH-A{a:05d}</iati-identifier>")
        out.append('  <reporting-org ref="XM-BENCH" type="22"><narrative>Bench</narrative>')
        out.append("  </reporting-org>")
        out.append(f"  <title><narrative>Activity {a}</narrative></title>")
        out.append(f"  <description><narrative>Bench activity {a}</narrative></description>")
        out.append('  <participating-org ref="XM-BENCH" role="2" type="22"/>')
        out.append('  <activity-status code="2"/>')
        out.append(f'  <activity-date type="1" iso-date="{FIRST_YEAR}-01-01"/>')
        out.append(f'  <activity-date type="3" iso-date="{last}-12-31"/>')
        out.append('  <sector vocabulary="1" code="15110" percentage="100"/>')
        for r in range(1, RESULTS + 1):
            out.append(f'  <result type="{1 if r == 1 else 2}">')
            out.append(f"   <title><narrative>Result {a}.{r}</narrative></title>")
            for i in range(1, INDICATORS + 1):
                _indicator(out, a, r, i, periods)
            out.append("  </result>")
        out.append(" </iati-activity>")
    out.append("</iati-activities>")
    return ("\n".join(out) + "\n").encode("utf-8")


class Figures(tuple[float, float, int, int]):
    """Seconds of the import and of lxml's parse, the values imported and the periods."""

    @property
    def ratio(self) -> float:
        return self[0] / self[1] if self[1] else float("inf")


def measure(activities: int, periods: int, folder: Path) -> Figures:
    """Generate the file into ``folder``, import it into a fresh store there; the figures."""
    path = folder / "bench-iati.xml"
    data = iati_file(activities, periods)
    path.write_bytes(data)
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, remove_comments=True, remove_pis=True
    )
    parsed = float("inf")
    for _ in range(3):  # the best of three: the parse is short enough to be disturbed
        start = time.perf_counter()
        etree.fromstring(data, parser)
        parsed = min(parsed, time.perf_counter() - start)
    with LadybugStore(folder / "bench.lbug") as store:
        start = time.perf_counter()
        report = check_file(store, path, author="bench")
        if report.errors:
            raise SystemExit("\n".join(str(p) for p in report.errors[:20]))
        commit(store, report)
        imported = time.perf_counter() - start
        count = store.revision_count()
    return Figures((imported, parsed, count, activities * RESULTS * INDICATORS * periods))


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.iati_import", description=__doc__)
    parser.add_argument("--activities", type=int, default=500)
    parser.add_argument("--periods", type=int, default=10, help="yearly periods per indicator")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        figures = measure(max(1, args.activities), max(1, args.periods), Path(tmp))
    imported, parsed, count, periods = figures
    print(
        f"IATI import of {args.activities} activities, {periods:,} indicator periods "
        f"({count:,} values) into a fresh embedded store: {imported:.2f} s "
        f"(target < 10 s); lxml parse alone: {parsed:.3f} s; ratio {figures.ratio:.0f}x"
    )


if __name__ == "__main__":
    main()
