"""The dashboard and a run's report page in a real browser: headless Chromium (Debian's
`chromium` package) driven by Playwright with the system browser's path, so nothing is
downloaded at run time. Screenshots go to build/artifacts/ (VENDORSIM_ARTIFACTS to change).
Where no browser is installed the tests are skipped, and say why."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers import MUNCHKIN, MarketoCaller
from vendorsim import Cloud
from vendorsim.simulator.cli import main as vendorsim

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARTIFACTS = Path(os.environ.get("VENDORSIM_ARTIFACTS", Path(__file__).parent.parent / "build"
                                / "artifacts"))
FIXTURES = Path(__file__).parent.parent / "fixtures" / "scenarios"
# the flags this machine's closed network needs (no background connections at start)
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]

pytestmark = [pytest.mark.skipif(CHROMIUM is None, reason="no Chromium installed (apt-get "
                                 "install chromium): the browser tests need a real browser"),
              pytest.mark.client("playwright", mode="server",
                                 area="the dashboard and report pages in Chromium")]
sync_api = pytest.importorskip("playwright.sync_api",
                               reason="playwright is in the dev extra (pip install -e .[dev])")


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    context = browser.new_context(viewport={"width": 1200, "height": 900})  # type: ignore
    opened = context.new_page()
    yield opened
    context.close()


def shot(page: object, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.evaluate("window.scrollTo(0, 0)")  # type: ignore[attr-defined]
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path))  # type: ignore[attr-defined]
    return path


@pytest.fixture
def dashboard(cloud: Cloud) -> Iterator[str]:
    url = cloud.dashboard()
    yield url
    cloud.close_dashboard()


def test_dashboard_shows_state_journal_and_bodies(cloud: Cloud, mkto: MarketoCaller,
                                                  dashboard: str, page: object) -> None:
    mkto.sync([{"email": f"lead{i}@x.example", "firstName": f"L{i}"} for i in range(3)])
    mkto.post("/rest/v1/companies.json", {"input": [{"externalCompanyId": "C1",
                                                     "company": "Acme"}]})
    mkto.get("/rest/v1/leeds.json")  # a typo: unmatched, with a hint
    page.goto(dashboard)  # type: ignore[attr-defined]
    tenant = page.locator(f'.tenant[data-tenant="{MUNCHKIN}"]')  # type: ignore[attr-defined]
    tenant.wait_for()
    assert "leads (3)" in tenant.inner_text() and "companies (1)" in tenant.inner_text()
    assert "lead2@x.example" in tenant.inner_text()
    row = page.locator("#journal-table tr", has_text="/rest/v1/leeds.json")  # type: ignore
    row.wait_for()
    row.click()
    page.locator("#entry:not([hidden])").wait_for()  # type: ignore[attr-defined]
    assert "did you mean /rest/v1/leads.json" in page.inner_text("#entry-hint")  # type: ignore
    assert '"610"' in page.inner_text("#entry-response")  # type: ignore[attr-defined]
    page.select_option('#journal-filter select[name="vendor"]', "marketo")  # type: ignore
    page.fill('#journal-filter input[name="code"]', "610")  # type: ignore[attr-defined]
    page.wait_for_function(  # type: ignore[attr-defined]
        "document.querySelectorAll('#journal-table tbody tr[data-seq]').length === 1")
    shot(page, "dashboard")


def test_a_fault_added_in_the_dashboard_shapes_the_next_call(cloud: Cloud, mkto: MarketoCaller,
                                                             dashboard: str,
                                                             page: object) -> None:
    page.goto(dashboard)  # type: ignore[attr-defined]
    form = page.locator("#fault-form")  # type: ignore[attr-defined]
    form.locator('select[name="vendor"] >> option[value="marketo"]').wait_for(state="attached")
    form.locator('select[name="vendor"]').select_option("marketo")
    form.locator('input[name="error_code"]').fill("606")
    form.locator('input[name="path"]').fill("leads")
    form.locator('input[name="times"]').fill("1")
    form.locator("button").click()
    page.locator("#fault-table tr[data-fault]").wait_for()  # type: ignore[attr-defined]
    assert "code 606" in page.inner_text("#fault-table")  # type: ignore[attr-defined]
    assert [f["error_code"] for f in cloud.faults.list()] == ["606"]
    body = mkto.sync([{"email": "a@x.example"}])
    assert body["errors"][0]["code"] == "606"
    page.locator("#journal-table tr", has_text="606").wait_for()  # type: ignore
    page.locator("#fault-table button").first.click()  # type: ignore[attr-defined]
    page.wait_for_function(  # type: ignore[attr-defined]
        "!document.querySelector('#fault-table tr[data-fault]')")
    assert cloud.faults.list() == []


def test_dashboard_advances_the_virtual_clock(cloud: Cloud, dashboard: str,
                                              page: object) -> None:
    page.goto(dashboard)  # type: ignore[attr-defined]
    page.locator("#advance:not([hidden])").wait_for()  # type: ignore[attr-defined]
    before = cloud.clock.now()
    page.fill('#advance input[name="seconds"]', "3600")  # type: ignore[attr-defined]
    page.click("#advance button")  # type: ignore[attr-defined]
    page.wait_for_function(  # type: ignore[attr-defined]
        "document.querySelector('#clock-now').textContent.includes('13:00:00')")
    assert cloud.clock.now() == before + 3600


def test_report_page_shows_verdicts_batches_reasons_and_holdings(tmp_path: Path,
                                                                 page: object) -> None:
    html = tmp_path / "report.html"
    vendorsim(["run", str(FIXTURES / "demandbase_throttling.yaml"), "--html", str(html)])
    page.goto(html.as_uri())  # type: ignore[attr-defined]
    assert page.locator("h1 .badge").inner_text() in ("PASSED", "FAILED")  # type: ignore
    assert page.locator("#verdicts .badge.pass").count() >= 1  # type: ignore[attr-defined]
    colour = page.eval_on_selector(  # type: ignore[attr-defined]
        "#verdicts .badge.pass", "e => getComputedStyle(e).backgroundColor")
    assert colour == "rgb(46, 125, 50)"  # PASS is green
    page.click("#dataflows details summary")  # type: ignore[attr-defined]
    assert page.locator("#dataflows details table").first.is_visible()  # type: ignore
    assert "dropped: 2 ×" in page.inner_text("#reasons")  # type: ignore[attr-defined]
    assert "account_lists" in page.inner_text("#holdings")  # type: ignore[attr-defined]
    rows = page.locator("#journal tbody tr")  # type: ignore[attr-defined]
    total = rows.count()
    page.fill("#journal-search", "429")  # type: ignore[attr-defined]
    visible = page.locator("#journal tbody tr:not([hidden])").count()  # type: ignore
    assert 0 < visible < total
    shot(page, "report")


def test_the_faults_table_says_what_each_rule_does_and_how_many_calls_are_left(
        cloud: Cloud, mkto: MarketoCaller, dashboard: str, page: object) -> None:
    cloud.add_fault(error_code="606", times=3, path="leads")
    cloud.add_fault(connection="reset", times=5, path="lists")
    cloud.add_fault(vendor="demandbase", drop=0.3)
    cloud.add_fault(vendor="bombora", chaos="throttle", probability=0.5, seed=1)
    for n in range(3):
        mkto.sync([{"email": f"a{n}@x.example"}])
    page.goto(dashboard)  # type: ignore[attr-defined]
    page.locator("#fault-table tr[data-fault]").nth(3).wait_for()  # type: ignore
    rows = page.locator("#fault-table tbody tr").all_inner_texts()  # type: ignore
    assert "code 606" in rows[0] and rows[0].split("\t")[5] == "0"  # 3 of 3 fired
    assert "connection reset" in rows[1] and rows[1].split("\t")[5] == "5"
    assert "drop 30% of records" in rows[2] and "every call" in rows[2]
    assert "chaos: the vendor's throttling, 50% of calls" in rows[3]


def test_no_advance_on_a_real_clock(page: object) -> None:
    from vendorsim.mocks.server import ServerRunner

    runner = ServerRunner(Cloud("real"), port=0, vendor_ports=False).start()
    try:
        page.goto(f"{runner.urls['cloud']}/__admin/ui/")  # type: ignore[attr-defined]
        page.wait_for_function(  # type: ignore[attr-defined]
            "document.querySelector('#clock-kind').textContent === '(real)'")
        assert not page.is_visible("#advance")  # type: ignore[attr-defined]
    finally:
        runner.stop()
