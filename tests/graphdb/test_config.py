"""Store settings from a configuration file: precedence, clear errors, private passwords."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli.main import cli
from graphdb.config import ConfigError, Settings, config_path, four_eyes_rule, load_settings
from graphdb.neo4j_store import Neo4jStore, parse_url
from graphdb.store import StoreUnavailable
from tests.graphdb.test_neo4j_store import needs_neo4j


def _write(path: Path, text: str, mode: int = 0o600) -> Path:
    path.write_text(text)
    os.chmod(path, mode)
    return path


def test_no_file_means_no_settings(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert config_path({"HOME": str(tmp_path)}) is None
    assert load_settings({"HOME": str(tmp_path)}) == Settings()


def test_the_file_in_the_working_folder_then_the_home_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    home = tmp_path / "home"
    user_file = home / ".config" / "pathways" / "config.toml"
    user_file.parent.mkdir(parents=True)
    _write(user_file, '[store]\nlocation = "home.lbug"\n')
    assert load_settings({"HOME": str(home)}).store_location == "home.lbug"
    _write(tmp_path / "pathways.toml", '[store]\nlocation = "here.lbug"\n')
    assert load_settings({"HOME": str(home)}).store_location == "here.lbug"


def test_a_named_file_must_exist(tmp_path):
    with pytest.raises(ConfigError, match=r"nope.toml: configuration file not found"):
        load_settings({"TOC_CONFIG": str(tmp_path / "nope.toml")})


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[neo4j]\nusr = 'x'\n", r"unknown key neo4j.usr \(known: database, password, "),
        ("[server]\nx = 1\n", r"unknown section \[server\]"),
        ("[neo4j]\nuser = 3\n", r"neo4j.user must be a non-empty text"),
        ("[neo4j\n", r"not valid TOML"),
        ("neo4j = 'x'\n", r"neo4j must be a section"),
        (
            "[neo4j]\npassword = 'a'\npassword_file = 'b'\n",
            "give neo4j.password or neo4j.password_file, not both",
        ),
    ],
)
def test_mistakes_name_the_file_and_the_key(tmp_path, text, message):
    path = _write(tmp_path / "c.toml", text)
    with pytest.raises(ConfigError, match=message) as caught:
        load_settings({"TOC_CONFIG": str(path)})
    assert str(caught.value).startswith(str(path))


def test_a_password_in_a_file_others_can_read_is_refused(tmp_path):
    path = _write(tmp_path / "c.toml", "[neo4j]\nuser = 'ann'\npassword = 's3cret'\n", 0o644)
    with pytest.raises(ConfigError, match=r"other users may read it; make it private: chmod 600"):
        load_settings({"TOC_CONFIG": str(path)})
    os.chmod(path, 0o600)
    assert load_settings({"TOC_CONFIG": str(path)}).neo4j_password == "s3cret"


def test_a_password_file_next_to_the_configuration(tmp_path):
    _write(tmp_path / "secret", "pw from file\n")
    path = _write(tmp_path / "c.toml", "[neo4j]\nuser = 'ann'\npassword_file = 'secret'\n", 0o644)
    settings = load_settings({"TOC_CONFIG": str(path)})
    assert (settings.neo4j_user, settings.neo4j_password) == ("ann", "pw from file")
    os.chmod(tmp_path / "secret", 0o640)
    with pytest.raises(ConfigError, match="secret holds the password but other users may read"):
        load_settings({"TOC_CONFIG": str(path)})


def test_the_url_then_the_environment_then_the_file():
    file = Settings(neo4j_user="file", neo4j_password="f", neo4j_database="fdb")
    assert parse_url("bolt://h:7687", {}, file).auth == ("file", "f")
    assert parse_url("bolt://h:7687", {}, file).database == "fdb"
    env = {"NEO4J_USER": "env", "NEO4J_PASSWORD": "e", "NEO4J_DATABASE": "edb"}
    assert parse_url("bolt://h:7687", env, file).auth == ("env", "e")
    assert parse_url("bolt://h:7687", env, file).database == "edb"
    url = parse_url("bolt://url:u@h:7687?database=udb", env, file)
    assert (url.auth, url.database) == (("url", "u"), "udb")
    assert parse_url("bolt://h:7687", {"NEO4J_PASSWORD": ""}, file).auth == ("file", "")


def test_the_cli_reads_the_store_from_the_file(tmp_path, monkeypatch):
    monkeypatch.delenv("TOC_STORE", raising=False)
    monkeypatch.setenv("TOC_CONFIG", "")  # --config sets it; restored after the test
    store = tmp_path / "from-config.lbug"
    path = _write(tmp_path / "c.toml", f'[store]\nlocation = "{store}"\n')
    result = CliRunner().invoke(cli, ["--config", str(path), "init"])
    assert result.exit_code == 0, result.output
    assert store.exists()
    assert CliRunner().invoke(cli, ["--config", str(path), "summary"]).exit_code == 0
    bad = _write(tmp_path / "bad.toml", "[store]\nplace = 'x'\n")
    result = CliRunner().invoke(cli, ["--config", str(bad), "summary"])
    assert result.exit_code == 1
    assert result.output.strip() == (f"Error: {bad}: unknown key store.place (known: location)")


@needs_neo4j
def test_a_real_server_gets_the_database_from_the_file(neo4j_server, tmp_path, monkeypatch):
    for name in ("NEO4J_DATABASE", "TOC_CONFIG"):
        monkeypatch.delenv(name, raising=False)
    path = _write(tmp_path / "c.toml", '[neo4j]\ndatabase = "nosuchdb"\n')
    monkeypatch.setenv("TOC_CONFIG", str(path))
    with pytest.raises(StoreUnavailable, match="the server has no database 'nosuchdb'"):
        Neo4jStore.from_url(neo4j_server.uri)


def test_the_four_eyes_rule_from_the_environment_then_the_file(tmp_path):
    path = _write(tmp_path / "c.toml", '[workflow]\nfour_eyes = "refuse"\n')
    assert load_settings({"TOC_CONFIG": str(path)}).four_eyes == "refuse"
    assert four_eyes_rule({"TOC_CONFIG": str(path)}) == "refuse"
    assert four_eyes_rule({"TOC_CONFIG": str(path), "TOC_FOUR_EYES": "warn"}) == "warn"
    assert four_eyes_rule({"HOME": str(tmp_path / "nobody")}) == "warn"
    wrong = _write(tmp_path / "w.toml", '[workflow]\nfour_eyes = "maybe"\n')
    with pytest.raises(ConfigError, match=r"w.toml: workflow.four_eyes must be one of warn, ref"):
        load_settings({"TOC_CONFIG": str(wrong)})
    with pytest.raises(ConfigError, match="TOC_FOUR_EYES: 'never' is not one of warn, refuse"):
        four_eyes_rule({"TOC_FOUR_EYES": "never"})
