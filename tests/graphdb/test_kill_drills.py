"""kill -9 drills: a process writing to a store is killed at a random moment, again and again,
and after every kill the store holds whole writes only and every read-only command works.

- plan loads (both engines): the stored plan is always exactly one saved version;
- imports (both engines): the measurement log holds whole imports only;
- checkpoints (LadybugDB): killed inside ``CHECKPOINT``, the file is left for the next
  read-write open to recover; ``toc show``, ``toc summary`` and ``toc status`` (read-only)
  must work at once all the same (:func:`graphdb.ladybug_store.open_database`).

Each drill kills :data:`KILLS` times (3-6 s a kill here: the worker starts afresh each time).
The writing process is :mod:`tests.graphdb.drill_worker`. Timings are random, drawn from a
fixed seed.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli.main import cli
from graphdb import open_store
from indicators.definitions import load as load_indicators
from tests.conftest import BACKENDS, new_store
from tests.graphdb.drill_worker import EXAMPLES, suffixed
from toc.planfile import load

pytestmark = pytest.mark.slow

KILLS = 5
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(params=BACKENDS)
def drill_store(request, tmp_path) -> tuple[str, dict[str, str]]:
    """A store of each engine with version 1 of the VVSG plan and its indicators, closed:
    its location and the environment that opens it."""
    store = new_store(request, request.param, tmp_path)
    plan = load(EXAMPLES / "vvsg-2027-2036.yaml")
    try:
        store.save_plan(suffixed(plan, 1), author="drill", message="v1")
        indicators = load_indicators(EXAMPLES / "vvsg-indicators.yaml", plan=plan)
        store.save_indicators(indicators.indicators, author="drill")
        location = store.location
    finally:
        store.close()
    env = dict(os.environ)
    if request.param == "neo4j":
        server = request.getfixturevalue("neo4j_server")
        location = server.uri
        env.update(NEO4J_USER=server.user or "", NEO4J_PASSWORD=server.password or "")
    return location, env


def _kill_while_writing(
    mode: str, location: str, folder: Path, env: dict[str, str], rnd: random.Random
) -> None:
    """Start the worker, let it make one to three writes, kill -9 it inside the next one."""
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.graphdb.drill_worker", mode, location, str(folder)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout.readline().strip() == "ready", child.stderr.read()
        marker = "checkpoint" if mode == "checkpoint" else ("imported" if mode in ("import",
                                                             "iati") else "saved")  # fmt: skip
        for _ in range(rnd.randint(1, 3)):
            while not child.stdout.readline().startswith(marker):
                assert child.poll() is None, child.stderr.read()
        # A write takes some 50-300 ms here, a CHECKPOINT of this store a few ms.
        time.sleep(rnd.uniform(0, 0.004 if mode == "checkpoint" else 0.25))
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
        child.stdout.close()
        child.stderr.close()
    assert child.returncode == -signal.SIGKILL


def test_plan_loads_are_all_or_nothing(drill_store, tmp_path):
    location, env = drill_store
    rnd = random.Random(12)
    versions = []
    for _ in range(KILLS):
        _kill_while_writing("plan", location, tmp_path, env, rnd)
        with open_store(location, read_only=True) as store:
            plan = store.load_plan()
            last = store.revisions()[-1]
        suffixes = Counter(n.title.en.rsplit(" #", 1)[1] for n in plan.nodes)
        assert suffixes == {str(last.version): last.nodes}, (last, suffixes.most_common(3))
        assert len(plan.edges) == last.edges
        versions.append(last.version)
    assert versions[-1] > 1  # the worker did write


def test_imports_are_all_or_nothing(drill_store, tmp_path):
    location, env = drill_store
    rnd = random.Random(40)
    with open_store(location, read_only=True) as store:
        import csv

        from tests.graphdb.drill_worker import number_indicator_csv

        with number_indicator_csv(store, tmp_path, 0).open() as f:
            per_import = sum(1 for _ in csv.DictReader(f))
    counts = []
    for _ in range(KILLS):
        _kill_while_writing("import", location, tmp_path, env, rnd)
        with open_store(location, read_only=True) as store:
            count = store.revision_count()
            revisions = store.measurement_revisions()
        assert count % per_import == 0, (count, per_import)
        latest: dict[tuple[str, str], object] = {}
        for r in revisions:
            key = (r.indicator, r.period)
            if key not in latest or r.revision > latest[key].revision:
                latest[key] = r
        assert len(latest) == (per_import if count else 0)
        assert len({r.value.value for r in latest.values()}) <= 1  # one import's values
        counts.append(count)
    assert counts[-1] > 0  # the worker did write


def test_iati_imports_are_one_unit_of_work(drill_store, tmp_path):
    """Killed inside an IATI import (plan, definitions and values), the store holds each
    round whole or not at all, and the histories hold no attempt and no undo."""
    from tests.graphdb.drill_worker import IATI_INDICATORS, IATI_YEARS

    location, env = drill_store
    rnd = random.Random(15)
    rounds = set()
    for _ in range(KILLS):
        _kill_while_writing("iati", location, tmp_path, env, rnd)
        with open_store(location, read_only=True) as store:
            plan = store.load_plan()
            nodes = {n.id for n in plan.nodes if n.id.startswith("drill.r")}
            codes = [i.code for i in store.indicators() if i.code.startswith("drill.r")]
            revisions = [r for r in store.measurement_revisions() if r.indicator in codes]
            last = store.revisions()[-1]
            messages = [r.message for r in store.revisions()]
            messages += [v.message for v in store.indicator_history()]
        by_node = Counter(code.rsplit(".", 1)[0] for code in codes)
        assert by_node == dict.fromkeys(nodes, IATI_INDICATORS), (nodes, by_node)
        per_node = Counter(r.indicator.rsplit(".", 1)[0] for r in revisions)
        assert per_node == dict.fromkeys(nodes, IATI_INDICATORS * len(IATI_YEARS))
        assert not any(m.startswith("undo:") for m in messages)
        assert last.nodes == len(plan.nodes)
        rounds |= nodes
    assert rounds  # the worker did import


@pytest.mark.parametrize("drill_store", ["ladybug"], indirect=True)
def test_read_only_commands_work_after_a_kill_during_checkpoint(drill_store, tmp_path):
    location, env = drill_store
    rnd = random.Random(72)
    pending = 0
    runner = CliRunner()
    for _ in range(KILLS):
        _kill_while_writing("checkpoint", location, tmp_path, env, rnd)
        pending += Path(location + ".wal.checkpoint").exists()
        for args, shows in (
            (["show", "s1"], "s1  (Strategy)"),
            (["summary"], "VVSG strategic plan 2027 - 2036"),
            (["status"], "Status (roll-up"),
        ):
            result = runner.invoke(cli, ["--store", location, *args])
            assert result.exit_code == 0 and shows in result.output, (args, result.output)
    print(f"{pending} of {KILLS} kills left a checkpoint to recover")
    # Killed within a few milliseconds of the start of CHECKPOINT, most kills land inside it
    # (9 of 12 kills in a longer run here): the drill must have met the state it is about.
    assert pending >= 1, "no kill landed inside a CHECKPOINT"
