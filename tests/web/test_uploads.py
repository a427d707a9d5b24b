"""The folder of uploaded import files: safe names, size limit, owners, expiry."""

from __future__ import annotations

import io
import json
import stat

import pytest

from web.uploads import UploadError, UploadFolder


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def folder(tmp_path, clock) -> UploadFolder:
    return UploadFolder(tmp_path / "uploads", max_bytes=1000, max_age=60, clock=clock)


def test_kept_under_a_random_token_with_a_safe_name(folder):
    up = folder.save(io.BytesIO(b"indicator,period\n"), "../../etc/Values 2028.CSV", owner="ana")
    assert up.path == folder.folder / up.token / "Values_2028.CSV"
    assert up.path.read_bytes() == b"indicator,period\n" and up.size == 17
    assert stat.S_IMODE(up.path.stat().st_mode) == 0o600
    assert stat.S_IMODE(up.path.parent.stat().st_mode) == 0o700
    other = folder.save(io.BytesIO(b"x"), "values.csv", owner="ana")
    assert other.token != up.token and len(up.token) == 32


def test_only_the_owner_gets_it_and_tokens_are_checked(folder):
    up = folder.save(io.BytesIO(b"x"), "v.csv", owner="ana")
    assert folder.get(up.token, "ana") == up
    assert folder.get(up.token, "bob") is None
    assert folder.get("../" + up.token[3:], "ana") is None
    assert folder.get("", "ana") is None


def test_refused(folder):
    with pytest.raises(UploadError) as e:
        folder.save(io.BytesIO(b"x" * 1001), "big.csv", owner="ana")
    assert e.value.code == "too_large"
    for data, name, code in ((b"", "e.csv", "empty"), (b"x", "v.txt", "file_type"),
                             (b"not a zip", "v.xlsx", "file_type")):  # fmt: skip
        with pytest.raises(UploadError) as e:
            folder.save(io.BytesIO(data), name, owner="ana")
        assert e.value.code == code
    assert list(folder.folder.iterdir()) == []  # nothing is left behind


def test_checked_count_is_kept(folder):
    up = folder.save(io.BytesIO(b"x"), "v.csv", owner="ana", approve=True)
    assert up.checked_count is None and up.approve
    folder.checked(up, 7)
    again = folder.get(up.token, "ana")
    assert again.checked_count == 7 and again.approve
    meta = json.loads((up.path.parent / "upload.json").read_text())
    assert meta["owner"] == "ana" and meta["filename"] == "v.csv"


def test_old_uploads_are_removed(folder, clock):
    old = folder.save(io.BytesIO(b"x"), "old.csv", owner="ana")
    clock.now += 50
    new = folder.save(io.BytesIO(b"x"), "new.csv", owner="ana")
    clock.now += 20  # old is 70 s old, new 20 s
    assert folder.get(old.token, "ana") is None
    assert folder.get(new.token, "ana") is not None
    assert not old.path.parent.exists()
    folder.discard(new.token)
    assert list(folder.folder.iterdir()) == []
