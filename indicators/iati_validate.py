"""Checking any IATI 2.0x activity file: the IATI 2.03 XML schema (shipped in
``indicators/iati_schema``, CC BY 4.0) and the ruleset rules of :mod:`indicators.iati_rules`,
every problem with its line and XPath. ``toc iati validate`` runs it on a file; the export
runs it on what it writes, so a file that breaks either is never written.

The file is parsed as the import parses it (no entities, no network), so a hostile file
is reported, not followed.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from pathlib import Path

from lxml import etree

from indicators.iati_rules import check_activities

__all__ = ["FileProblem", "schema", "validate_bytes", "validate_file"]

_MAX_XSD_PROBLEMS = 500


@dataclass(frozen=True, order=True)
class FileProblem:
    """One problem of a file: line, XPath, which check (``xsd`` or a rule number) and why."""

    line: int
    xpath: str
    rule: str
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.xpath or '/'}: [{self.rule}] {self.message}"


@lru_cache(maxsize=1)
def schema() -> etree.XMLSchema:
    """The IATI 2.03 activity schema (parsed once; it includes its two companions)."""
    folder = files("indicators") / "iati_schema"
    path = Path(str(folder / "iati-activities-schema.xsd"))
    return etree.XMLSchema(etree.parse(str(path)))


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False, no_network=True, huge_tree=False, remove_comments=False
    )


def validate_tree(tree: etree._ElementTree) -> list[FileProblem]:
    """The schema errors and broken rules of a parsed document, sorted by line."""
    checker = schema()
    problems: list[FileProblem] = []
    if tree.docinfo.doctype:  # IATI files have none; entities in one are not followed
        return [FileProblem(1, "", "xml", "a DOCTYPE is not allowed in an IATI file")]
    try:
        valid = checker.validate(tree)
    except etree.Error as e:
        return [FileProblem(0, "", "xsd", f"the schema cannot check this document: {e}")]
    if not valid:
        for entry in list(checker.error_log)[:_MAX_XSD_PROBLEMS]:
            problems.append(FileProblem(entry.line, entry.path or "", "xsd", entry.message))
    root = tree.getroot()
    if root.tag == "iati-activities":
        problems += [
            FileProblem(p.line, p.xpath, p.rule, p.message) for p in check_activities(root)
        ]
    return sorted(problems)


def validate_bytes(data: bytes) -> list[FileProblem]:
    """:func:`validate_tree` of a document given as bytes; a file that is not well-formed
    XML is one problem at the line where it breaks."""
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as e:
        return [FileProblem(e.lineno or 0, "", "xml", f"not well-formed XML: {e.msg}")]
    return validate_tree(root.getroottree())


def validate_file(path: str | Path) -> list[FileProblem]:
    """:func:`validate_bytes` of a file."""
    return validate_bytes(Path(path).read_bytes())
