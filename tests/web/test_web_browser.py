"""The dashboard in real headless Chromium: charts and map drawn, filters, evidence, a review.

Screenshots of each page go to artifacts/screenshots/ (CI keeps them as artifacts).
"""

from __future__ import annotations

import tempfile
import threading
from pathlib import Path
from wsgiref.simple_server import make_server

import pytest

from dateline.web.app import create_app
from dateline.web.commands import _QuietHandler, _ThreadingServer

pytestmark = pytest.mark.browser

SHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"


class _SilentHandler(_QuietHandler):
    def log_message(self, format: str, *args) -> None:
        pass


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest):
    """The dashboard served over HTTP on 127.0.0.1 from a store of its own."""
    build_store = request.getfixturevalue("store_builder")
    path = tmp_path_factory.mktemp("browser") / "demo.duckdb"
    ids = build_store(path)
    app = create_app(path)
    httpd = make_server("127.0.0.1", 0, app, server_class=_ThreadingServer,
                        handler_class=_SilentHandler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}", ids
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="module")
def driver(require_browser):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = require_browser.chromium
    profile = tempfile.mkdtemp(prefix="dateline-chromium-")
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--window-size=1280,1000",
                 f"--user-data-dir={profile}"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    drv = webdriver.Chrome(options=options, service=Service(require_browser.chromedriver))
    drv.set_page_load_timeout(30)
    yield drv
    drv.quit()


def _wait(driver, css: str, timeout: float = 30):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, timeout).until(
        ec.presence_of_element_located((By.CSS_SELECTOR, css)))


def _all(driver, css: str):
    from selenium.webdriver.common.by import By
    return driver.find_elements(By.CSS_SELECTOR, css)


def _no_console_errors(driver) -> None:
    errors = [e for e in driver.get_log("browser") if e["level"] in ("SEVERE", "ERROR")]
    assert errors == [], errors


def _shot(driver, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    height = driver.execute_script("return document.documentElement.scrollHeight")
    # The whole page in one image: the viewport is the window less its frame.
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": 1280, "height": min(max(int(height), 700), 2400), "deviceScaleFactor": 1,
        "mobile": False})
    driver.save_screenshot(str(SHOTS / f"{name}.png"))
    driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def test_overview_draws_the_timeline_and_links_dyads(live, driver):
    base, _ = live
    driver.get(base + "/")
    _wait(driver, "#chart-timeline[data-ready='1'] svg")
    assert len(_all(driver, "#chart-timeline svg .q1, #chart-timeline svg .q3")) >= 2
    assert _all(driver, "#n-events")[0].text == "5"
    assert _all(driver, "svg.bars rect")
    _no_console_errors(driver)
    _shot(driver, "overview")
    _all(driver, "#top-dyads a[href='/dyad/CAN-USA']")[0].click()
    _wait(driver, "#chart-dyad-quad[data-ready='1'] svg")
    assert driver.current_url.endswith("/dyad/CAN-USA")
    driver.back()
    _all(driver, "#dyad-form input[name='dyad']")[0].send_keys("mex-usa")
    _all(driver, "#dyad-form button")[0].click()
    _wait(driver, "#chart-dyad-net[data-ready='1'] svg path.net")
    assert driver.current_url.endswith("/dyad/MEX-USA")
    assert _all(driver, "#chart-dyad-quad svg rect.q1, #chart-dyad-quad svg path.q1")
    assert _all(driver, "#chart-dyad-net svg path.net.cmp")  # the imported GDELT line
    assert "CONSULT" in _all(driver, "#most-covered")[0].text
    _no_console_errors(driver)
    _shot(driver, "dyad")


def test_map_draws_vendored_outlines_and_filters_points(live, driver):
    from selenium.webdriver.support.ui import Select

    base, _ = live
    driver.get(base + "/map")
    _wait(driver, "#map[data-ready='1'] svg path.land")
    assert len(_all(driver, "#map svg path.land")) > 150
    assert len(_all(driver, "#map svg circle.point")) == 3
    _no_console_errors(driver)
    _shot(driver, "map")
    Select(_all(driver, "form.filters select[name='type']")[0]).select_by_value("ASSAULT")
    _all(driver, "form.filters button[type='submit']")[0].click()
    _wait(driver, "#map[data-ready='1'] svg path.land")
    assert "type=ASSAULT" in driver.current_url
    assert len(_all(driver, "#map svg circle.point")) == 1
    _no_console_errors(driver)


def test_events_filter_sort_and_open_the_evidence(live, driver):
    from selenium.webdriver.support.ui import Select

    base, _ = live
    driver.get(base + "/events")
    _wait(driver, "#events-table")
    assert len(_all(driver, "#events-table tbody tr")) == 5
    _shot(driver, "events")
    Select(_all(driver, "form.filters select[name='quad_class']")[0]).select_by_value("4")
    _all(driver, "form.filters button[type='submit']")[0].click()
    _wait(driver, "#result-count")
    types = [r.text.split()[0] for r in _all(driver, "#events-table tbody tr td:nth-child(2)")]
    assert sorted(types) == ["ASSAULT", "COERCE"]
    driver.get(base + "/events")
    _all(driver, "#events-table thead a.sort")[0].click()  # date, now ascending
    _wait(driver, "#events-table")
    first = _all(driver, "#events-table tbody tr td:first-child")[0].text
    assert first == "2018-01-15"
    _all(driver, "#events-table a.event-link")[0].click()
    _wait(driver, "#evidence mark.m-trigger")
    assert _all(driver, "#evidence mark.m-trigger")[0].text == "signed an agreement"
    _no_console_errors(driver)


def test_hostile_story_is_shown_as_text_and_never_runs(live, driver):
    base, ids = live
    driver.get(f"{base}/event/{ids['hostile']}")
    _wait(driver, "#evidence mark.m-trigger")
    assert driver.execute_script("return window.__pwned === undefined")
    assert "<script>window.__pwned" in _all(driver, "#evidence")[0].text
    assert not _all(driver, "a.story-link")  # the javascript: URL is not a link
    assert _all(driver, "#evidence mark.m-actor")[0].text == "Mexico"
    _no_console_errors(driver)


def test_evidence_page_and_review_submission(live, driver):
    base, ids = live
    driver.get(f"{base}/event/{ids['meeting']}")
    _wait(driver, "#evidence mark.m-trigger")
    assert _all(driver, "#evidence mark.m-actor")[0].text == "Kirstjen Nielsen"
    assert _all(driver, "#evidence mark.m-recipient")[0].text == "Alfonso Navarrete"
    assert "Nielsen in Mexico for talks" in _all(driver, "#other-mentions")[0].text
    assert "253,000 firearms" in driver.page_source
    _shot(driver, "evidence")
    _all(driver, "#merge-link")[0].click()
    _wait(driver, "#merge-table")
    assert len(_all(driver, "#merge-table tbody tr")) == 2
    assert "✗" not in _all(driver, "#merge-table")[0].text
    _no_console_errors(driver)
    driver.back()
    _wait(driver, "#review-form")
    _all(driver, "#review-form input[value='corrected']")[0].click()
    _all(driver, "#review-form input[name='actors']")[0].send_keys("USAGOV")
    _all(driver, "#review-form input[name='note']")[0].send_keys("actor confirmed, <b>ok</b>")
    _all(driver, "#review-form button[type='submit']")[0].click()
    _wait(driver, "p.ok")
    assert "reviewed=" in driver.current_url
    assert "actor confirmed, <b>ok</b>" in _all(driver, "ul.reviews")[0].text
    driver.get(base + "/reviews")
    _wait(driver, "#reviews-table")
    assert "corrected" in _all(driver, "#reviews-table")[0].text
    _no_console_errors(driver)
    _shot(driver, "reviews")
