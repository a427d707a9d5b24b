"""Redirect targets from the request (``next``): same-site paths only, never a 500."""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from web.auth import NEXT_MAX_LENGTH, same_site_path

ORIGIN = "http://localhost/"

#: Targets that lead elsewhere once a browser has read them (tabs and newlines dropped,
#: backslashes read as slashes, full-width characters folded) or that are not paths at all.
HOSTILE = [
    "/\t/evil.example",
    "/\n/evil.example",
    "/\r\n/evil.example",
    "\t//evil.example",
    " //evil.example",
    "//evil.example",
    "///evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "/%2F/evil.example",
    "/%2f%2fevil.example",
    "/%5Cevil.example",
    "/%09/evil.example",
    "/%0A/evil.example",
    "/\uff0fevil.example",  # full-width solidus
    "/\uff3cevil.example",  # full-width reverse solidus
    "\uff0f\uff0fevil.example",
    "/\u200b/evil.example",  # zero-width space
    "/\u2028/evil.example",  # line separator
    "/\x00/evil.example",
    "http://evil.example/",
    "https:evil.example",
    "http:/evil.example",
    "javascript:alert(1)",
    "//user@evil.example",
    "//localhost@evil.example",
    "/@evil.example\n",
    "evil.example",
    "",
    "/" + "a" * NEXT_MAX_LENGTH,
]


def browser_target(location: str) -> tuple[str, str]:
    """Where a browser goes for ``location`` on this site: (host, path). The WHATWG URL parser
    drops ASCII tabs and newlines, trims C0 controls and spaces and reads ``\\`` as ``/``."""
    cleaned = "".join(ch for ch in location if ch not in "\t\n\r").strip("\x00- ")
    resolved = urlsplit(urljoin(ORIGIN + "here", cleaned.replace("\\", "/")))
    return resolved.netloc, resolved.path


@pytest.mark.parametrize("target", HOSTILE)
def test_hostile_targets_are_refused(target):
    assert same_site_path(target) is None


@pytest.mark.parametrize(
    "target, kept",
    [
        ("/nodes/so1.o1", "/nodes/so1.o1"),
        ("/nodes/so1.o1?tab=x", "/nodes/so1.o1?tab=x"),
        ("/queries?text=MATCH%0AReturn%201", "/queries?text=MATCH%0AReturn%201"),
        ("/indicators/ind.o1#values", "/indicators/ind.o1#values"),
        ("/nodes/ünïcode", "/nodes/%C3%BCn%C3%AFcode"),
        ("/", "/"),
    ],
)
def test_paths_of_this_site_are_kept(target, kept):
    assert same_site_path(target) == kept


@pytest.mark.parametrize("target", HOSTILE)
def test_language_switch_and_sign_in_send_hostile_targets_to_the_overview(client, auth, target):
    switch = client.get("/language/en", query_string={"next": target})
    assert switch.status_code == 302 and switch.headers["Location"] == "/"
    signed_in = auth.login("viewer", next=target)
    assert signed_in.status_code == 302 and signed_in.headers["Location"] == "/"
    # Already signed in, the sign-in page sends the user on at once.
    again = client.get("/login", query_string={"next": target})
    assert again.status_code == 302 and again.headers["Location"] == "/"


def test_the_example_of_the_issue(client):
    response = client.get("/language/en?next=/%09/evil.example")
    assert response.status_code == 302 and response.headers["Location"] == "/"
    newline = client.get("/language/en?next=/%0D%0ALocation:%20//evil.example")
    assert newline.status_code == 302 and newline.headers["Location"] == "/"


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.one_of(st.text(), st.text(alphabet="/\\\t\n%:@.?#ab\uff0f\u3002 ").map("/".__add__)))
def test_any_next_gives_a_same_site_redirect(client, target):
    response = client.get("/language/en", query_string={"next": target})
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location.isascii() and location.isprintable() and " " not in location
    assert urlsplit(location).scheme == "" and urlsplit(location).netloc == ""
    host, path = browser_target(location)
    assert host == "localhost" and path.startswith("/")
    # What was kept is the target itself, percent-encoded (an empty query or fragment may go).
    kept = same_site_path(target)
    assert location == "/" if kept is None else urlsplit(location) == urlsplit(kept)


@settings(max_examples=100, deadline=None)
@given(st.from_regex(r"\A/[a-z0-9][a-z0-9._/-]{0,40}(\?[a-z]{1,5}=[a-z0-9%]{0,8})?\Z"))
def test_plain_paths_of_this_site_are_kept_as_they_are(target):
    assert same_site_path(target) == target
