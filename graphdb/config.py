"""Store settings from a configuration file, so a password need not sit in a URL, a shell
history or the environment of every process.

The file is TOML, found at ``TOC_CONFIG`` (or ``toc --config FILE``), else
``./pathways.toml``, else ``~/.config/pathways/config.toml``; none of them is required::

    [store]
    location = "neo4j://db.example.org:7687"   # used when neither --store nor TOC_STORE is given

    [neo4j]
    user = "pathways"
    password_file = "/run/secrets/neo4j_password"   # or: password = "..."
    database = "plans"

    [accounts]
    file = "/var/lib/pathways/credentials.sqlite"   # accounts and sessions of a Neo4j store

    [workflow]
    four_eyes = "refuse"   # an M&E officer approving their own submission: "warn" (default)

What is more specific wins: the URL, then the environment (``TOC_STORE``, ``NEO4J_USER``,
``NEO4J_PASSWORD``, ``NEO4J_DATABASE``, ``TOC_CREDENTIALS``, ``TOC_FOUR_EYES``), then the
file. A relative ``accounts.file`` is relative to the configuration file's folder; where the
accounts of each kind of store live is said in :mod:`graphdb.credentials`. A file that holds a
password must not be readable by other users (like an ssh key); it is refused otherwise.

>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "pathways.toml"
>>> _ = path.write_text('[neo4j]\\nuser = "ann"\\ndatabase = "plans"\\n')
>>> settings = load_settings(environ={"TOC_CONFIG": str(path)})
>>> settings.neo4j_user, settings.neo4j_database, settings.neo4j_password
('ann', 'plans', None)
"""

from __future__ import annotations

import os
import stat
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from graphdb.errors import StoreError

__all__ = ["FOUR_EYES_RULES", "ConfigError", "Settings", "config_path", "four_eyes_rule",
           "load_settings"]  # fmt: skip

_KNOWN = {
    "store": {"location"},
    "neo4j": {"user", "password", "password_file", "database"},
    "accounts": {"file"},
    "workflow": {"four_eyes"},
}

#: What happens when a reviewer approves a value they submitted themselves: ``warn`` (the
#: approval is recorded with a warning flag) or ``refuse`` (another reviewer must approve it).
FOUR_EYES_RULES = ("warn", "refuse")


class ConfigError(StoreError):
    """The configuration file cannot be used; the message names the file and the key."""


@dataclass(frozen=True)
class Settings:
    """What a configuration file says (None where it says nothing)."""

    path: Path | None = None
    store_location: str | None = None
    neo4j_user: str | None = None
    neo4j_password: str | None = None
    neo4j_database: str | None = None
    credentials_file: str | None = None
    four_eyes: str | None = None


def four_eyes_rule(environ: Mapping[str, str] = os.environ) -> str:
    """The four-eyes rule in force: ``TOC_FOUR_EYES``, else ``[workflow] four_eyes`` in the
    configuration file, else ``warn``.

    >>> four_eyes_rule({"TOC_FOUR_EYES": "refuse"}), four_eyes_rule({"HOME": "/nonexistent"})
    ('refuse', 'warn')
    """
    named = (environ.get("TOC_FOUR_EYES") or "").strip().lower()
    if named:
        if named not in FOUR_EYES_RULES:
            raise ConfigError(
                f"TOC_FOUR_EYES: {named!r} is not one of {', '.join(FOUR_EYES_RULES)}"
            )
        return named
    return load_settings(environ).four_eyes or "warn"


def config_path(environ: Mapping[str, str] = os.environ) -> Path | None:
    """The configuration file in use: ``TOC_CONFIG`` (which must exist), else the first of
    ``./pathways.toml`` and ``~/.config/pathways/config.toml`` that exists, else None."""
    named = environ.get("TOC_CONFIG")
    if named:
        path = Path(named).expanduser()
        if not path.is_file():
            raise ConfigError(f"{path}: configuration file not found (TOC_CONFIG or --config)")
        return path
    candidates = [Path("pathways.toml")]
    if environ.get("HOME"):
        candidates.append(Path(environ["HOME"]) / ".config" / "pathways" / "config.toml")
    return next((c for c in candidates if c.is_file()), None)


def load_settings(environ: Mapping[str, str] = os.environ) -> Settings:
    """Read the configuration file in use (see :func:`config_path`); empty settings when
    there is none."""
    path = config_path(environ)
    if path is None:
        return Settings()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as e:
        raise ConfigError(f"{path}: cannot be read: {e}") from None
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(f"{path}: not valid TOML: {e}") from None
    for section, value in data.items():
        if section not in _KNOWN:
            known = ", ".join(f"[{s}]" for s in _KNOWN)
            raise ConfigError(f"{path}: unknown section [{section}] (known: {known})")
        if not isinstance(value, dict):
            raise ConfigError(f"{path}: {section} must be a section ([{section}])")
        for key, item in value.items():
            if key not in _KNOWN[section]:
                raise ConfigError(
                    f"{path}: unknown key {section}.{key} "
                    f"(known: {', '.join(sorted(_KNOWN[section]))})"
                )
            if not isinstance(item, str) or not item:
                raise ConfigError(f"{path}: {section}.{key} must be a non-empty text")
    neo4j = data.get("neo4j", {})
    if "password" in neo4j and "password_file" in neo4j:
        raise ConfigError(f"{path}: give neo4j.password or neo4j.password_file, not both")
    password = neo4j.get("password")
    if password is not None:
        _refuse_readable_by_others(path, "neo4j.password")
    if "password_file" in neo4j:
        secret = Path(neo4j["password_file"]).expanduser()
        if not secret.is_absolute():
            secret = path.parent / secret
        _refuse_readable_by_others(secret, "the password")
        try:
            password = secret.read_text(encoding="utf-8").strip()
        except OSError as e:
            raise ConfigError(f"{path}: neo4j.password_file {secret}: {e.strerror}") from None
    credentials = data.get("accounts", {}).get("file")
    if credentials is not None:
        credentials_path = Path(credentials).expanduser()
        credentials = str(
            credentials_path if credentials_path.is_absolute() else path.parent / credentials_path
        )
    four_eyes = data.get("workflow", {}).get("four_eyes")
    if four_eyes is not None and four_eyes not in FOUR_EYES_RULES:
        raise ConfigError(
            f"{path}: workflow.four_eyes must be one of {', '.join(FOUR_EYES_RULES)}, "
            f"not {four_eyes!r}"
        )
    return Settings(
        path=path,
        store_location=data.get("store", {}).get("location"),
        neo4j_user=neo4j.get("user"),
        neo4j_password=password,
        neo4j_database=neo4j.get("database"),
        credentials_file=credentials,
        four_eyes=four_eyes,
    )


def _refuse_readable_by_others(path: Path, what: str) -> None:
    try:
        mode = path.stat().st_mode
    except OSError as e:
        raise ConfigError(f"{path}: {e.strerror}") from None
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise ConfigError(
            f"{path} holds {what} but other users may read it; make it private: chmod 600 {path}"
        )
