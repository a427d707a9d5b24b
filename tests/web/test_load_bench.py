"""The web load benchmark runs end to end (briefly): demo store, app under waitress on a
loopback port, signed-in clients, figures printed."""

from __future__ import annotations

import re

import pytest

from bench import web_load

pytestmark = pytest.mark.slow


def test_a_short_run(capsys):
    web_load.main(["--duration", "2", "--clients", "3", "--warmup", "0.5", "--threads", "4"])
    out = capsys.readouterr().out
    assert re.search(r"\d+ requests from 3 clients in [\d.]+ s: [\d.]+ requests/s", out)
    assert re.search(r"latency ms: p50 [\d.]+  p95 [\d.]+  p99 [\d.]+", out)
    assert "errors: 0" in out
    for kind in ("overview", "pathways", "node", "indicator", "review"):
        assert re.search(rf"  {kind} +\d+ requests", out)


def test_a_short_run_on_a_synthetic_plan(capsys):
    web_load.main(["--nodes", "150", "--duration", "2", "--clients", "3", "--warmup", "0.5",
                   "--threads", "4", "--target-ms", "100000"])  # fmt: skip
    out = capsys.readouterr().out
    assert "errors: 0" in out
    assert "target (p95 < 100000 ms, no errors): met" in out
    for kind in ("overview", "pathways", "node", "indicator", "review"):
        assert re.search(rf"  {kind} +\d+ requests", out)


def test_percentile():
    assert web_load.percentile([1.0, 2.0, 3.0, 4.0], 50) == 2.5
    assert web_load.percentile([5.0], 95) == 5.0
    assert web_load.percentile(range(101), 99) == 99.0


def test_paced_writers_keep_to_their_rate(capsys):
    web_load.main(["--duration", "3", "--clients", "2", "--warmup", "0.5", "--threads", "4",
                   "--writers", "2", "--write-rate", "4", "--target-ms", "100000"])  # fmt: skip
    out = capsys.readouterr().out
    assert "2 writers (at most 4 submissions/s)" in out
    rate = float(re.search(r"writers: \d+ submissions in [\d.]+ s: ([\d.]+)/s", out).group(1))
    assert 2.0 <= rate <= 4.5  # paced: 4/s at most (a slow machine may fall short)
