"""IATI publishing settings: who reports, under which activity identifier, in which language.

An IATI file names its publisher (the reporting organisation, with its registered identifier)
and an activity identifier that starts with that organisation's identifier. None of this is in
the plan, so it comes from a small TOML file given with ``--config`` (or ``TOC_IATI_CONFIG``),
e.g. ``examples/iati-vvsg.toml``::

    example = true        # the identifiers below are made up: the export says so
    activity_identifier = "XM-EXAMPLE-VVSG-SP-2027-2036"
    default_language = "en"

    [reporting_org]
    ref = "XM-EXAMPLE-VVSG"
    type = "15"
    name = { nl = "VVSG", en = "VVSG" }

    [participating_orgs.partner-dgd]   # optional, per Partner node id
    ref = "XM-DAC-2-10"
    type = "10"

Everything else (currency, sector, activity status, dates) has a default from the plan.

>>> cfg = parse_config({"activity_identifier": "XM-A-1",
...                     "reporting_org": {"ref": "XM-A", "name": {"en": "A"}}})
>>> cfg.reporting_org.ref, cfg.default_language, cfg.activity_status
('XM-A', 'en', '2')
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from indicators.errors import IndicatorError
from toc.kinds import LANGUAGES
from toc.model import Text

__all__ = [
    "CONFIG_ENV",
    "IatiConfig",
    "IatiConfigError",
    "OrgConfig",
    "load_config",
    "parse_config",
]

#: The environment variable naming the configuration file.
CONFIG_ENV = "TOC_IATI_CONFIG"

#: IATI OrganisationType codes (codelist OrganisationType, 2.03).
ORGANISATION_TYPES = frozenset(
    {"10", "11", "15", "21", "22", "23", "24", "30", "40", "60", "70", "71", "72", "73", "80", "90"}
)
#: IATI ActivityStatus codes.
ACTIVITY_STATUSES = frozenset({"1", "2", "3", "4", "5", "6"})
#: IATI OrganisationRole codes: funding, accountable, extending, implementing.
ORGANISATION_ROLES = frozenset({"1", "2", "3", "4"})
# Identifiers must not contain these (IATI ruleset: / & | ?) nor spaces.
_IDENTIFIER = re.compile(r"^[^/&|?\s]+$")
_KEYS = {
    "example",
    "activity_identifier",
    "default_language",
    "currency",
    "activity_status",
    "sector",
    "reporting_org",
    "participating_orgs",
}


class IatiConfigError(IndicatorError):
    """The IATI configuration is missing or wrong; the message names the file and the key."""


@dataclass(frozen=True)
class OrgConfig:
    """An organisation as IATI names it: registered identifier, OrganisationType code, name
    and (for participating organisations) the OrganisationRole code."""

    ref: str = ""
    type: str = ""
    name: Text = field(default_factory=Text)
    role: str = ""


@dataclass(frozen=True)
class IatiConfig:
    """What an IATI export needs besides the plan. ``example`` marks made-up identifiers
    (the export then says so in the activity description)."""

    activity_identifier: str
    reporting_org: OrgConfig
    default_language: str = "en"
    currency: str = ""
    activity_status: str = "2"
    sector: str = ""
    example: bool = False
    participating_orgs: Mapping[str, OrgConfig] = field(default_factory=dict)
    file: str = ""


def _text(value: Any, where: str) -> Text:
    if isinstance(value, str):
        return Text(en=value)
    if not isinstance(value, Mapping) or set(value) - set(LANGUAGES):
        raise IatiConfigError(f"{where}: give a text or {{nl = ..., en = ...}}")
    if not all(isinstance(v, str) for v in value.values()):
        raise IatiConfigError(f"{where}: texts must be strings")
    return Text(nl=value.get("nl", ""), en=value.get("en", ""))


def _org(value: Any, where: str, *, role: bool) -> OrgConfig:
    allowed = {"ref", "type", "name", "role"} if role else {"ref", "type", "name"}
    if not isinstance(value, Mapping):
        raise IatiConfigError(f"{where}: expected a table")
    unknown = set(value) - allowed
    if unknown:
        raise IatiConfigError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}")
    ref = str(value.get("ref", ""))
    if ref and not _IDENTIFIER.match(ref):
        raise IatiConfigError(f"{where}.ref: {ref!r} may not contain spaces, /, &, | or ?")
    kind = str(value.get("type", ""))
    if kind and kind not in ORGANISATION_TYPES:
        raise IatiConfigError(f"{where}.type: {kind!r} is not an IATI OrganisationType code")
    code = str(value.get("role", ""))
    if code and code not in ORGANISATION_ROLES:
        raise IatiConfigError(f"{where}.role: {code!r} is not an IATI OrganisationRole (1-4)")
    name = _text(value["name"], f"{where}.name") if "name" in value else Text()
    return OrgConfig(ref, kind, name, code)


def parse_config(doc: Mapping[str, Any], file: str = "") -> IatiConfig:
    """Check a configuration mapping (as read from TOML) and return it as an
    :class:`IatiConfig`; :class:`IatiConfigError` names the first wrong key."""
    where = file or "IATI configuration"
    unknown = set(doc) - _KEYS
    if unknown:
        raise IatiConfigError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}")
    ident = doc.get("activity_identifier")
    if not isinstance(ident, str) or not ident:
        raise IatiConfigError(f"{where}: activity_identifier is required")
    if not _IDENTIFIER.match(ident):
        raise IatiConfigError(f"{where}: activity_identifier may not contain spaces, /, &, | or ?")
    if "reporting_org" not in doc:
        raise IatiConfigError(f"{where}: [reporting_org] with ref and name is required")
    reporting = _org(doc["reporting_org"], f"{where}: reporting_org", role=False)
    if not reporting.ref or not reporting.name:
        raise IatiConfigError(f"{where}: reporting_org needs ref and name")
    if not ident.startswith(reporting.ref + "-"):
        raise IatiConfigError(
            f"{where}: activity_identifier {ident!r} must start with the reporting "
            f"organisation's ref followed by '-' ({reporting.ref}-...)"
        )
    lang = doc.get("default_language", "en")
    if lang not in LANGUAGES:
        raise IatiConfigError(f"{where}: default_language must be one of {', '.join(LANGUAGES)}")
    status = str(doc.get("activity_status", "2"))
    if status not in ACTIVITY_STATUSES:
        raise IatiConfigError(f"{where}: activity_status must be an ActivityStatus code 1-6")
    currency = str(doc.get("currency", ""))
    if currency and not re.fullmatch(r"[A-Z]{3}", currency):
        raise IatiConfigError(f"{where}: currency must be an ISO 4217 code such as EUR")
    sector = str(doc.get("sector", ""))
    if sector and not re.fullmatch(r"\d{5}", sector):
        raise IatiConfigError(f"{where}: sector must be a 5-digit OECD-DAC purpose code")
    example = doc.get("example", False)
    if not isinstance(example, bool):
        raise IatiConfigError(f"{where}: example must be true or false")
    orgs = doc.get("participating_orgs", {})
    if not isinstance(orgs, Mapping):
        raise IatiConfigError(f"{where}: participating_orgs must be a table per partner id")
    participating = {
        str(k): _org(v, f"{where}: participating_orgs.{k}", role=True) for k, v in orgs.items()
    }
    return IatiConfig(
        activity_identifier=ident,
        reporting_org=reporting,
        default_language=lang,
        currency=currency,
        activity_status=status,
        sector=sector,
        example=example,
        participating_orgs=participating,
        file=file,
    )


def load_config(path: str | Path | None = None) -> IatiConfig:
    """Read the configuration from ``path``, else from the file named by ``TOC_IATI_CONFIG``."""
    path = path or os.environ.get(CONFIG_ENV)
    if not path:
        raise IatiConfigError(
            f"no IATI configuration: give --config FILE or set {CONFIG_ENV} "
            "(see examples/iati-vvsg.toml)"
        )
    path = Path(path)
    try:
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise IatiConfigError(f"{path}: no such file") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        raise IatiConfigError(f"{path}: not a valid TOML file: {e}") from None
    return parse_config(doc, str(path))
