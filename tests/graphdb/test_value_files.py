"""Files attached to indicator values, on both engines: kept with the revision and read back
through its history, read from a store made before values had files, never collected while a
revision names them, and brought along by ``toc migrate``."""

from __future__ import annotations

from dataclasses import replace

import pytest
from click.testing import CliRunner

from cli.main import cli
from graphdb.ladybug_store import LadybugStore
from graphdb.migrate import migrate, verify
from indicators.model import MeasurementValue, Revision
from tests.conftest import small_plan
from tests.indicators.conftest import T0, small_indicators
from toc.attachments import Attachment

T1 = "2027-02-01T09:00:00.000000Z"
PDF = b"%PDF-1.7\nverslag van de partner\n"
CSV = b"jaar;aantal\n2027;12\n"


def _prepared(store) -> tuple[Attachment, Attachment]:
    """The small plan and indicators, and two files kept beside ``store``."""
    store.save_plan(small_plan(), author="ann")
    store.save_indicators(small_indicators(), author="ann")
    files = store.attachment_files
    return (
        files.put(PDF, "Verslag 2027.pdf", who="ann", when=T0),
        files.put(CSV, "tellingen.csv", who="ann", when=T0),
    )


def _revisions(pdf: Attachment, csv: Attachment) -> list[Revision]:
    first = MeasurementValue(value=12.0, evidence=("https://x.org/a",), files=(pdf, csv))
    return [
        Revision("ind.count", "2027", 1, "submitted", first, "ann", T0),
        Revision("ind.count", "2027", 2, "draft", replace(first, files=(csv,)), "ann", T1,
                 base_revision=1),
        Revision("ind.level", "2027", 1, "draft", MeasurementValue(level="mid"), "bo", T1),
    ]  # fmt: skip


def test_files_round_trip_through_the_revision_history(store):
    pdf, csv = _prepared(store)
    store.append_revisions(_revisions(pdf, csv))
    history = store.measurement_revisions("ind.count", "2027")
    assert [r.value.files for r in history] == [(pdf, csv), (csv,)]
    assert history[0].value.files[0].name == "Verslag 2027.pdf"
    assert history[0].value.files[0].media_type == "application/pdf"
    assert store.measurement_revisions("ind.level")[0].value.files == ()
    assert store.attachment_files.read(pdf.sha256) == PDF
    assert store.value_file_addresses() == {pdf.sha256, csv.sha256}


def test_a_value_refuses_a_record_that_is_not_a_kept_file():
    with pytest.raises(ValueError, match="not a sha256 address"):
        MeasurementValue(value=1.0, files=({"sha256": "../x", "name": "a.pdf",
                                            "media_type": "application/pdf", "size": 1,
                                            "added_by": "a", "added_at": "t"},))  # fmt: skip
    one = Attachment("0" * 64, "a.pdf", "application/pdf", 3, "ann", T0)
    with pytest.raises(ValueError, match="twice"):
        MeasurementValue(value=1.0, files=(one, one))


def test_an_embedded_store_made_before_values_had_files_still_reads(tmp_path):
    path = tmp_path / "old.lbug"
    with LadybugStore(path) as old:
        pdf, csv = _prepared(old)
        old.append_revisions([_revisions(pdf, csv)[2]])
        old._run("ALTER TABLE MeasurementRevision DROP files")
        old._run("MATCH (m:StoreMeta {key: 'schema_fingerprint'}) SET m.value = 'older'")
    with LadybugStore(path, read_only=True) as reader:  # no schema change when read-only
        assert [r.value for r in reader.measurement_revisions()] == [MeasurementValue(level="mid")]
        assert reader.value_file_addresses() == set()
    with LadybugStore(path) as writer:  # gains the column at the next read-write open
        writer.append_revisions(_revisions(pdf, csv)[:2])
        assert writer.measurement_revisions("ind.count")[0].value.files == (pdf, csv)
        assert writer.measurement_revisions("ind.level")[0].value.files == ()


def test_garbage_collection_keeps_the_files_values_name(store, monkeypatch):
    pdf, csv = _prepared(store)
    store.append_revisions(_revisions(pdf, csv)[:1])
    stray = store.attachment_files.put(b"%PDF-1.4 never saved", "x.pdf", who="ann", when=T0)
    assert store.named_file_addresses() == {pdf.sha256, csv.sha256}
    removed = store.attachment_files.collect_garbage(store.named_file_addresses())
    assert removed == [stray.sha256]
    assert store.attachment_files.addresses() == {pdf.sha256, csv.sha256}


def test_the_gc_command_keeps_a_values_file(tmp_path):
    path = tmp_path / "s.lbug"
    with LadybugStore(path) as store:
        pdf, csv = _prepared(store)
        store.append_revisions(_revisions(pdf, csv)[:1])
        stray = store.attachment_files.put(b"%PDF-1.4 stray", "x.pdf", who="ann", when=T0)
    result = CliRunner().invoke(cli, ["--store", str(path), "evidence", "files-gc"])
    assert result.exit_code == 0, result.output
    assert "Removed 1 unreferenced file(s)." in result.output
    with LadybugStore(path, read_only=True) as store:
        assert store.attachment_files.addresses() == {pdf.sha256, csv.sha256}
        assert stray.sha256 not in store.attachment_files.addresses()


def test_migrate_keeps_a_values_file_from_the_embedded_store(store, tmp_path):
    with LadybugStore(tmp_path / "source.lbug") as source:
        pdf, csv = _prepared(source)
        source.append_revisions(_revisions(pdf, csv))
        report = migrate(source, store)
        assert report.ok, report.differences
        assert report.copied["files named by values"] == 2
        assert store.measurement_revisions() == source.measurement_revisions()
        assert store.attachment_files.read(pdf.sha256) == PDF
        store.attachment_files.path(pdf.sha256).unlink()
        assert verify(source, store) == [
            f"evidence file {pdf.sha256} is missing in the target",
        ]


def test_migrate_keeps_a_values_file_into_the_embedded_store(store, tmp_path):
    pdf, csv = _prepared(store)
    store.append_revisions(_revisions(pdf, csv))
    with LadybugStore(tmp_path / "copy.lbug") as target:
        report = migrate(store, target)
        assert report.ok, report.differences
        assert target.measurement_revisions() == store.measurement_revisions()
        assert target.attachment_files.read(csv.sha256) == CSV
        # a file a value names that neither store keeps is a difference, not a silent loss
        store.attachment_files.path(csv.sha256).unlink()
        target.attachment_files.path(csv.sha256).unlink()
        assert verify(store, target) == [
            f"file {csv.sha256} is named by a record but kept in neither store"
        ]
