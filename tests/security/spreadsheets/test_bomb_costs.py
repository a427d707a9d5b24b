"""What a refused bomb costs: each runs in a fresh process that reports its own peak resident
memory (VmHWM) and the processor time from the command (or the upload) to the refusal.

Targets (issue 12): a file that inflates to a gigabyte is refused about as quickly as a small
honest file is read (within a processor second of it: the bomb is never inflated); the command
line stays under 200 MB resident (the file is checked before the store is opened); the web
app, whose store is open already, grows by less than 50 MB.

Time is processor time, set against a small honest file measured the same way in the same
run, not a wall-clock limit: a shared or slower machine stretches both alike, while a bomb
that were inflated would cost seconds more of processor time on any machine.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from graphdb.credentials import credentials_path
from tests.conftest import REPO
from tests.security.spreadsheets.hostile_files import CORPUS

pytestmark = pytest.mark.slow

BOMBS = ["huge_sheet", "huge_sheet_lying_size", "shared_strings_bomb", "far_cell"]

_CLI = """
import json, sys, time
from cli.main import cli
start = time.process_time()
try:
    cli.main(sys.argv[1:], standalone_mode=False)
    outcome = "imported"
except SystemExit as e:
    outcome = f"exit {e.code}"
except Exception as e:
    outcome = f"{type(e).__name__}: {e}"
seconds = time.process_time() - start
peak = next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM"))
print(json.dumps({"outcome": outcome, "seconds": seconds, "peak_mb": peak / 1024}))
"""

_WEB = """
import json, sys, time
from pathlib import Path
from tests.security.spreadsheets.test_hostile_spreadsheets import _upload
from tests.web.conftest import AuthActions, english_client, make_app

def peak():
    return next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM"))

app = make_app(Path(sys.argv[1]))
client = english_client(app)
AuthActions(client).login_as("me_officer")
client.get("/import")
before = peak()
start = time.process_time()
response = _upload(client, Path(sys.argv[2]))
statuses = [response.status_code]
if response.status_code == 302:
    page = client.get(response.headers["Location"])
    statuses.append(page.status_code)
else:
    page = response
seconds = time.process_time() - start
text = page.get_data(as_text=True)
refused = "cannot be read" in text or "the limit is" in text or "forged" in text
grew = (peak() - before) / 1024
figures = {"statuses": statuses, "seconds": seconds, "grew_mb": grew, "peak_mb": peak() / 1024}
print(json.dumps({**figures, "refused": refused}))
"""


def _run(script: str, *args: str) -> dict:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run(
        [sys.executable, "-c", script, *args],
        capture_output=True, text=True, cwd=REPO, env=env, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def bombs(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("bombs")
    out = {}
    for name in BOMBS:
        out[name] = folder / f"{name}.xlsx"
        out[name].write_bytes(CORPUS[name].build())
    sparse = folder / "five-gigabytes.csv"
    with open(sparse, "wb") as f:
        f.write(b"indicator,period,value\n")
        f.truncate(5 * 1024**3)  # a sparse file: 5 GB long, nothing on disk
    out["five_gigabytes_csv"] = sparse
    honest = folder / "honest.csv"
    honest.write_text("indicator,period,value\nind.example,2027,12\n", encoding="utf-8")
    out["honest"] = honest
    return out


#: How much more processor time than the small honest file a refusal may take.
ALLOWANCE_SECONDS = 1.0


@pytest.fixture(scope="module")
def honest_cli_seconds(bombs, tmp_path_factory) -> float:
    store = tmp_path_factory.mktemp("honest") / "web.lbug"
    figures = _run(_CLI, "--store", str(store), "indicators", "import", str(bombs["honest"]),
                   "--dry-run")  # fmt: skip
    return figures["seconds"]


@pytest.fixture(scope="module")
def honest_upload_seconds(bombs, template_store, tmp_path_factory) -> float:
    store = tmp_path_factory.mktemp("honest") / "web.lbug"
    shutil.copy(template_store, store)
    shutil.copy(credentials_path(str(template_store)), credentials_path(str(store)))
    return _run(_WEB, str(store), str(bombs["honest"]))["seconds"]


@pytest.mark.parametrize("name", [*BOMBS, "five_gigabytes_csv"])
def test_the_command_line_refuses_a_bomb_quickly_in_little_memory(
    bombs, store_path, name, honest_cli_seconds
):
    figures = _run(
        _CLI, "--store", str(store_path), "indicators", "import", str(bombs[name]), "--dry-run"
    )
    print(f"\n{name}: toc indicators import refused in {figures['seconds']:.2f} s of processor "
          f"time (a small honest file: {honest_cli_seconds:.2f} s), peak "
          f"{figures['peak_mb']:.0f} MB ({figures['outcome'][:100]})")  # fmt: skip
    assert figures["outcome"].startswith("ClickException"), figures
    assert figures["seconds"] < honest_cli_seconds + ALLOWANCE_SECONDS, figures
    assert figures["peak_mb"] < 200, figures


@pytest.mark.parametrize("name", BOMBS)
def test_the_import_page_refuses_a_bomb_quickly_in_little_memory(
    bombs, store_path, name, honest_upload_seconds
):
    figures = _run(_WEB, str(store_path), str(bombs[name]))
    print(f"\n{name}: the import page refused it in {figures['seconds']:.2f} s of processor "
          f"time (a small honest file: {honest_upload_seconds:.2f} s), the app grew "
          f"{figures['grew_mb']:.0f} MB (peak {figures['peak_mb']:.0f} MB)")  # fmt: skip
    assert figures["refused"] and all(s < 500 for s in figures["statuses"]), figures
    assert figures["seconds"] < honest_upload_seconds + ALLOWANCE_SECONDS, figures
    assert figures["grew_mb"] < 50, figures
