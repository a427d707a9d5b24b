"""The app in a real browser (Playwright with Debian's Chromium) on the VVSG plan.

The app runs under waitress on a free local port. Screenshots of the main pages are written to
``test-artifacts/`` for people to look at. The tests skip, saying why, only when Chromium is
not installed (``scripts/ensure-system-packages.sh chromium``).
"""

from __future__ import annotations

import re
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

from graphdb.ladybug_store import LadybugStore
from indicators.definitions import loads
from indicators.model import MeasurementValue
from indicators.workflow import Action, apply_step
from tests.conftest import REPO, VVSG_PLAN
from tests.web.conftest import ACCOUNTS, PASSWORD, ROLE_USERS, make_app
from toc.learning_file import load_learning
from toc.planfile import load
from web.accounts import create_account
from web.passwords import Hasher
from web.store import close_store

pytestmark = pytest.mark.slow

ARTIFACTS = REPO / "test-artifacts"
CHROMIUM = shutil.which("chromium")
PARTNER = "partner.flemish-lg"

# Two illustrative indicators, so the diagram shows colours: so1.o1 on track, so2.o3 off track.
INDICATORS = """
format: toc-indicators/1
defaults: {frequency: year, illustrative: true}
indicators:
  - code: demo.agreements
    type: number
    direction: increase
    measures: [so1.o1]
    title: {nl: Partnerschapsovereenkomsten, en: Partnership agreements}
    baseline: {value: 10, date: 2026-12-31}
    end_target: {value: 20, date: 2031-12-31}
  - code: demo.capacity
    type: number
    direction: increase
    measures: [so2.o3]
    title: {nl: Versterkte besturen, en: Strengthened local governments}
    baseline: {value: 0, date: 2026-12-31}
    end_target: {value: 50, date: 2031-12-31}
  - code: demo.experiments
    type: number
    direction: increase
    measures: [so1.o2]
    title: {nl: Nieuwe samenwerkingsvormen, en: New forms of cooperation}
    baseline: {value: 0, date: 2026-12-31}
    end_target: {value: 10, date: 2031-12-31}
    dimensions: {country: [bj, sn]}
"""


@pytest.fixture(scope="module")
def live_url(tmp_path_factory) -> Iterator[str]:
    if CHROMIUM is None:
        pytest.skip("browser tests need Chromium: scripts/ensure-system-packages.sh chromium")
    from waitress.server import create_server

    path = tmp_path_factory.mktemp("browser") / "vvsg.lbug"
    store = LadybugStore(path)
    try:
        plan = load(VVSG_PLAN)
        store.save_plan(plan, author="tests", message="VVSG plan")
        for username, (role, _) in ACCOUNTS.items():
            scope = {"partners": (PARTNER,)} if role == "contributor" else {}
            create_account(store, Hasher("fast"), username, PASSWORD, role, **scope)
        store.save_indicators(loads(INDICATORS, plan=plan).indicators, author="tests")
        for code, value in (("demo.agreements", 15.0), ("demo.capacity", 5.0)):
            apply_step(store, code, "2028", Action.SUBMIT, author="contributor",
                       role="contributor", value=MeasurementValue(value=value))  # fmt: skip
            apply_step(store, code, "2028", Action.APPROVE, author="me", role="me_officer")
        evidence, outcomes = load_learning(REPO / "examples" / "vvsg-evidence-illustrative.yaml")
        store.add_learning(evidence, outcomes, author="tests")
    finally:
        store.close()
    app = make_app(path)
    server = create_server(app, host="127.0.0.1", port=0, threads=4)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.effective_port}"
    finally:
        stop_in_its_thread(server)
        thread.join(timeout=10)
        server.task_dispatcher.shutdown()
        assert not thread.is_alive(), "the test server did not stop"
        close_store(app)


def stop_in_its_thread(server) -> None:
    """End a waitress server's loop from the loop's own thread.

    ``server.close()`` from the test's thread closes the sockets while the loop waits on them in
    ``select()``, which then fails with EBADF in the server thread (a CI run reported it as an
    error at teardown). The trigger runs the close inside the loop; with its map empty the loop
    returns.
    """
    from waitress import wasyncore

    server.trigger.pull_trigger(lambda: wasyncore.close_all(server._map))


@pytest.fixture
def page(browser, live_url):
    """A fresh browser page in English; fails the test on any script error or console error
    (a blocked resource or a Content-Security-Policy violation shows as one)."""
    context = browser.new_context(
        base_url=live_url, locale="en-GB", viewport={"width": 1400, "height": 1000}
    )
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on(
        "console",
        lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None,
    )
    page.problems = problems  # a test expecting an error removes it
    yield page
    context.close()
    assert problems == []


def shot(page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def sign_in(page, role: str) -> None:
    page.context.clear_cookies()  # whoever was signed in is gone
    page.goto("/login")
    page.fill("#username", ROLE_USERS[role])
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/$"))


@pytest.mark.parametrize("role", ["viewer", "contributor", "me_officer", "admin"])
def test_each_role_signs_in_and_sees_the_overview(page, role):
    sign_in(page, role)
    assert page.locator("h1").inner_text() == "VVSG strategic plan 2027 - 2036"
    assert page.locator(".who").inner_text().startswith(ROLE_USERS[role])
    users_link = page.locator(".main-nav a", has_text="Users")
    assert users_link.count() == (1 if role == "admin" else 0)
    assert page.locator(".cards .card").count() == 4
    if role == "viewer":
        shot(page, "overview-en")


def test_sign_in_error_is_shown(page):
    page.goto("/login")
    shot(page, "login-en")
    page.fill("#username", "viewer")
    page.fill("#password", "wrong password")
    page.click("button[type=submit]")
    assert page.locator(".notice-error").inner_text() == "Wrong username or password."


def test_pathway_diagram_filter_zoom_hover_and_click_through(page):
    sign_in(page, "viewer")
    page.click(".main-nav a:has-text('Pathways')")
    page.wait_for_url(re.compile(r"/pathways"))  # the overview has a diagram of its own
    nodes = page.locator("svg.diagram-svg g.node")
    everything = nodes.count()
    assert everything > 20
    assert page.locator("#node-so2\\.o3 path").first.get_attribute("fill") == "#f4a6a6"
    assert page.locator("#node-so1\\.o1 path").first.get_attribute("fill") == "#b7e1b0"
    shot(page, "pathways-en")

    page.select_option("#filter-so", "so2")
    page.click(".filters button[type=submit]")
    page.wait_for_url(re.compile(r"so=so2"))
    assert 0 < nodes.count() < everything
    assert page.locator("#node-so1\\.o1").count() == 0
    shot(page, "pathways-so2-en")

    svg = page.locator("svg.diagram-svg")
    before = svg.get_attribute("viewBox")
    page.click("[data-zoom=in]")
    expect(svg).not_to_have_attribute("viewBox", before)  # waits: a busy machine is slow
    page.click("[data-zoom=reset]")
    page.wait_for_function(
        """box => {
            const now = document.querySelector("svg.diagram-svg").getAttribute("viewBox")
                .trim().split(/\\s+/).map(Number);
            return now.length === box.length && now.every((x, k) => Math.abs(x - box[k]) < 1e-9);
        }""",
        arg=[float(v) for v in before.split()],
    )

    page.hover("#node-so2\\.o3")
    tip = page.locator(".diagram-tip")
    tip.wait_for(state="visible")
    assert "Governance capacity" in tip.inner_text()
    shot(page, "pathways-hover-en")

    page.click("#node-so2\\.o3 a")
    page.wait_for_url(re.compile(r"/nodes/so2\.o3$"))
    assert "Governance capacity" in page.locator("h1").inner_text()
    assert page.locator(".status-off_track").count() >= 1
    shot(page, "node-so2.o3-en")


def test_language_switch_to_dutch(page):
    sign_in(page, "viewer")
    page.goto("/pathways?level=Objective")
    page.click(".lang-switch a[lang=nl]")
    page.wait_for_url(re.compile(r"/pathways\?level=Objective$"))
    assert page.locator("html").get_attribute("lang") == "nl"
    assert page.locator("h1").inner_text() == "Veranderingspaden"
    assert "Achterop" in page.locator("svg.diagram-svg").text_content()
    shot(page, "pathways-objectives-nl")
    page.goto("/")
    assert page.locator("h1").inner_text() == "Strategisch Plan 2027-2036 van de VVSG"
    shot(page, "overview-nl")


def test_judgements_notes_and_the_english_only_cue_are_visible(page):
    """A strategy's links say they are modelling judgements; the Dutch diagram marks the
    SDG 17 link, which only the English text states, and its legend says what [EN] means."""
    sign_in(page, "viewer")
    page.goto("/nodes/s1")
    judgements = page.locator(".links .tag-judgement")
    assert judgements.count() >= 2 and judgements.first.is_visible()
    assert page.locator(".link-source", has_text="§2 (English); §4").is_visible()
    shot(page, "node-s1-judgements-en")
    page.goto("/nodes/budget.total.2027")
    assert page.locator(".node-note").is_visible()
    assert "1,379,828" in page.locator(".node-note").inner_text()
    page.click(".lang-switch a[lang=nl]")
    page.goto("/pathways")
    cue = page.locator(".legend .one-language-cue")
    assert cue.is_visible() and cue.inner_text() == "[EN] Alleen in de Engelse versie"
    edge = page.locator("svg.diagram-svg g.edge.one-language")
    assert edge.count() >= 1 and "EN" in edge.first.text_content()
    shot(page, "pathways-english-only-nl")


def test_downloads(page):
    sign_in(page, "viewer")
    page.goto("/pathways?so=so3")
    for fmt, magic in (("svg", b"<svg"), ("png", b"\x89PNG"), ("pdf", b"%PDF")):
        with page.expect_download() as info:
            page.click(f".downloads a:has-text('{fmt.upper()}')")
        download = info.value
        assert download.suggested_filename == f"pathways-en-so3.{fmt}"
        assert magic in Path(download.path()).read_bytes()[:200]


def test_admin_adds_a_contributor(page):
    sign_in(page, "admin")
    page.click(".main-nav a:has-text('Users')")
    page.fill("#username", "partner1")
    page.fill("#password", "short")
    page.select_option("#role", "contributor")
    page.click(".form-actions button")
    assert "Too short: use at least 10 characters." in page.locator("#password-errors").inner_text()
    shot(page, "users-error-en")
    page.fill("#password", "a long enough password")
    page.check(f'input[name=partners][value="{PARTNER}"]')
    page.click(".form-actions button")
    assert "Account partner1 added." in page.locator(".notice-success").inner_text()
    assert page.locator("a[href='/admin/users/partner1']").count() == 1
    shot(page, "users-en")


def test_pages_are_forbidden_to_roles_without_rights(page):
    sign_in(page, "contributor")
    response = page.goto("/admin/users")
    assert response.status == 403
    assert page.locator("h1").inner_text() == "Not allowed"
    assert [p for p in page.problems if "403" in p]
    page.problems.clear()


def test_update_submitted_approved_and_the_node_turns_green(page):
    node = "#node-so1\\.o2 path"
    sign_in(page, "viewer")
    page.goto("/pathways")
    assert page.locator(node).first.get_attribute("fill") == "#e6e6e6"  # no data

    sign_in(page, "contributor")
    page.goto("/indicators/demo.experiments")
    page.click("a[href='/indicators/demo.experiments/2028/edit']")
    page.fill("#value", "lots")
    page.click("#submit")
    assert "Enter a number" in page.locator("#value-errors").inner_text()
    page.fill("#value", "5")
    page.fill("#comment", "Counted in the yearly survey")
    shot(page, "update-form-en")
    page.click("#submit")
    page.wait_for_url(re.compile(r"/indicators/demo\.experiments$"))
    assert "submitted for review" in page.locator(".notice-success").inner_text()
    shot(page, "indicator-en")

    sign_in(page, "me_officer")
    page.click(".main-nav a:has-text('Review')")
    item = page.locator(".review-item", has_text="New forms of cooperation")
    assert "5" in item.locator(".review-value").inner_text()
    shot(page, "review-en")
    item.locator("button[value=approve]").click()
    notice = page.locator(".notice-success").inner_text()
    assert "Approved: “New forms of cooperation”, 2028." in notice

    page.goto("/pathways")
    assert page.locator(node).first.get_attribute("fill") == "#b7e1b0"  # on track
    assert "On track" in page.locator("#node-so1\\.o2").text_content()
