"""The web view and the report in a real headless browser (Debian's Chromium driven by Playwright).

Installed by scripts/install_browser.sh (apt-get install chromium); skipped with the reason when absent.
"""
from __future__ import annotations

import os
import socket
import threading
import time

import pytest

from sitrep.serve.sample import XSS_IMG, XSS_SCRIPT, build_sample_store, hostile_sample

CHROMIUM = os.environ.get("SITREP_CHROMIUM", "/usr/bin/chromium")
if not os.path.exists(CHROMIUM):
    pytest.skip(f"no Chromium at {CHROMIUM}: run scripts/install_browser.sh", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="pip install playwright (the Python package)")
uvicorn = pytest.importorskip("uvicorn")

from sitrep.serve.app import VENDOR, create_app  # noqa: E402
from sitrep.serve.report import write_report  # noqa: E402

if not (VENDOR / "leaflet.js").is_file():
    pytest.skip("front-end libraries not built: run scripts/build_web.sh", allow_module_level=True)

# flags from the machine notes: no sandbox as root, no background connections to Google's hosts
ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def store_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("browser") / "events.db"
    build_sample_store(path, extra=[hostile_sample()])
    return path


@pytest.fixture(scope="module")
def server(store_path):
    port = free_port()
    srv = uvicorn.Server(uvicorn.Config(create_app(store_path), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not srv.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("uvicorn did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield b
        b.close()


class Watch:
    """A page with everything that could show an XSS or a network request recorded."""

    def __init__(self, browser, allowed: tuple[str, ...]):
        self.page = browser.new_page(viewport={"width": 1400, "height": 900})
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.allowed = allowed

    def open(self, url: str) -> None:
        self.page.goto(url)
        self.page.wait_for_selector("body[data-ready='1']", timeout=15_000)

    def outside(self) -> list[str]:
        return [u for u in self.requests if not u.startswith(self.allowed)]

    def close(self) -> None:
        self.page.close()


def event_id_at(page, location: str) -> str:
    return page.eval_on_selector_all(
        "#events-table tbody tr",
        "(rows, loc) => rows.find(r => r.cells[5].textContent === loc).getAttribute('data-event-id')", location)


def check_event_panel(page) -> None:
    page.wait_for_selector("#panel mark.hl-evidence", timeout=10_000)
    marks = page.locator("#panel mark.hl-evidence").all_text_contents()
    # trigger and claim spans cut the evidence into several marks; together they give the sentence back
    assert "Insurgents attacked a military base in Gwoza on Tuesday, killing four soldiers" in "".join(marks)
    assert page.locator("#panel .col.asserts .claim").count() == 2
    assert page.locator("#panel .col.disputes .claim").count() == 1
    assert page.locator("#panel .col.denies .claim").count() == 1
    assert "ISWAP spokesman" in page.locator("#panel .col.disputes").inner_text()
    assert "armed group channel" in page.locator("#panel table.sources").inner_text()
    assert page.locator("#panel mark.hl-claim.stance-denies").count() >= 1
    assert "fatalities: 4 (Military Forces of Nigeria (2023-)) vs 20" in page.locator("#panel .contradiction").inner_text()


def check_inert(w: Watch, event_id: str) -> None:
    page = w.page
    page.locator(f"#events-table tbody tr[data-event-id='{event_id}']").click()
    page.wait_for_selector("#panel .article-text", timeout=10_000)
    page.wait_for_timeout(300)
    panel = page.locator("#panel").inner_text()
    assert XSS_SCRIPT in panel and XSS_IMG in panel  # shown as text, verbatim
    assert page.locator("#panel .article .meta").inner_text().count("javascript:") == 1
    assert page.locator("#panel a").count() == 0  # a javascript: URL is never made a link
    assert page.locator("img").count() == 0 and page.locator("#panel script").count() == 0
    assert page.evaluate("typeof window.__xss") == "undefined"
    assert w.dialogs == [] and w.errors == []


def test_page_shows_markers_and_the_evidence_of_a_clicked_one(server, browser, tmp_path):
    w = Watch(browser, (server, "data:"))
    page = w.page
    w.open(server + "/")
    page.wait_for_timeout(500)  # cluster animation
    assert page.locator("path.ev-marker").count() >= 5
    assert page.locator(".marker-cluster").count() >= 1  # Kharkiv and Kupiansk are close: clustered
    assert page.locator("#legend").inner_text().count("Battles") == 1
    assert page.locator("#timeline rect.tl-bar").count() == 7
    gwoza = event_id_at(page, "Gwoza")
    page.locator(f"path.ev-marker[data-event-id='{gwoza}']").click()
    check_event_panel(page)
    assert page.locator("#panel .event-title").inner_text().strip().startswith("Battles")
    page.locator("#panel mark.hl-evidence").first.scroll_into_view_if_needed()
    page.screenshot(path=str(tmp_path / "event.png"))
    assert (tmp_path / "event.png").stat().st_size > 20_000
    assert w.outside() == [] and w.dialogs == [] and w.errors == []
    w.close()


def test_timeline_click_filters_the_map_and_table(server, browser):
    w = Watch(browser, (server, "data:"))
    page = w.page
    w.open(server + "/")
    before = page.locator("#events-table tbody tr").count()
    page.locator("#timeline rect.tl-bar[data-date='2026-03-12']").first.click()
    sync_api.expect(page.locator("#status")).to_contain_text("3 located", timeout=10_000)
    assert before == 8 and page.locator("#events-table tbody tr").count() == 3
    assert page.input_value("#f-from") == "2026-03-12" and page.input_value("#f-to") == "2026-03-12"
    page.wait_for_timeout(500)
    # Nairobi alone, the Kharkiv/Kupiansk pair as a cluster or two markers; nothing else on the map
    shown = page.locator("path.ev-marker").count() + 2 * page.locator(".marker-cluster").count()
    assert shown == 3
    w.close()


def test_hostile_report_text_stays_inert_in_the_page(server, browser):
    w = Watch(browser, (server, "data:"))
    w.open(server + "/")
    check_inert(w, event_id_at(w.page, "Mogadishu"))
    w.close()


def test_report_file_works_offline_and_stays_inert(store_path, browser, tmp_path):
    out = tmp_path / "report.html"
    write_report(store_path, out)
    w = Watch(browser, ("file://", "data:"))
    w.page.route("http*://**", lambda route: route.abort())  # no network at all
    w.open(out.as_uri())
    page = w.page
    page.wait_for_timeout(500)
    assert page.locator("path.ev-marker").count() >= 5
    page.locator(f"path.ev-marker[data-event-id='{event_id_at(page, 'Gwoza')}']").click()
    check_event_panel(page)
    page.screenshot(path=str(tmp_path / "report.png"))
    check_inert(w, event_id_at(page, "Mogadishu"))
    assert w.outside() == []
    w.close()
