"""``gigpolicy serve``'s page: its files, ``POST /v1/timeline``, and the page driven in a real browser.

The browser tests run the real server (uvicorn, on a free port of 127.0.0.1, in a thread) and drive
Debian's Chromium through its chromedriver, so Selenium downloads nothing. They fail, never skip,
when either is missing: CI installs both (``.ci/run``). Set ``GIGPOLICY_PAGE_SCREENSHOT`` to a path
(``docs/page.png``) to also save the screenshot of the motivating case there.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Final

import pytest
import uvicorn
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support.select import Select
from selenium.webdriver.support.wait import WebDriverWait
from starlette.testclient import TestClient

import gigpolicy.serve
from gigpolicy._cli import main
from gigpolicy._decision import QUESTIONS
from gigpolicy.serve import SECURITY_HEADERS, create_app

EXAMPLES: Final = Path(__file__).parent.parent / "examples" / "records"
MOTIVATING: Final = EXAMPLES / "motivating-case.json"
ENDED: Final = EXAMPLES / "motivating-case-ended.json"
AT: Final = "2026-11-03T09:00:00Z"
STATIC: Final = Path(gigpolicy.serve.__file__).parent / "static"
CHROMIUM: Final = Path("/usr/bin/chromium")
CHROMEDRIVER: Final = Path("/usr/bin/chromedriver")
WAIT: Final = 10.0


def record_of(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


@pytest.fixture
def client() -> TestClient:
    return TestClient(create_app())


class TestFiles:
    """``GET /`` and ``/static/``: the page's own files, with the security headers, nothing from elsewhere."""

    def test_the_page(self, client: TestClient) -> None:
        """``GET /`` answers the page, as HTML, under the Content-Security-Policy."""
        response = client.get("/")
        assert (200, "text/html; charset=utf-8") == (response.status_code, response.headers["content-type"])
        assert SECURITY_HEADERS["Content-Security-Policy"] == response.headers["content-security-policy"]
        assert '<script src="/static/page.js" defer></script>' in response.text
        assert (STATIC / "index.html").read_bytes() == response.content

    @pytest.mark.parametrize(
        ("name", "media_type"),
        [("page.js", "text/javascript"), ("page.css", "text/css"), ("icon.svg", "image/svg+xml")],
    )
    def test_static_files(self, client: TestClient, name: str, media_type: str) -> None:
        """Each file of the page is served from the package, with its type and every security header."""
        response = client.get(f"/static/{name}")
        assert 200 == response.status_code
        assert media_type == response.headers["content-type"].split(";")[0]
        assert (STATIC / name).read_bytes() == response.content
        for header, value in SECURITY_HEADERS.items():
            assert value == response.headers[header]

    @pytest.mark.parametrize("address", ["/static/nothing.js", "/static/../__init__.py", "/static/"])
    def test_nothing_else_is_served(self, client: TestClient, address: str) -> None:
        """Only the page's files are under ``/static/``: anything else is a 404 in the API's error shape."""
        response = client.get(address)
        assert 404 == response.status_code
        assert ["Not Found"] == [error["message"] for error in response.json()["errors"]]

    def test_the_policy_allows_no_inline_code_and_no_other_host(self) -> None:
        """The CSP forbids inline script and style, and any other host; the page needs neither."""
        policy = SECURITY_HEADERS["Content-Security-Policy"]
        assert "'unsafe-inline'" not in policy
        assert "img-src 'self' blob:;" in policy
        assert "default-src 'none'" in policy
        html = (STATIC / "index.html").read_text(encoding="utf-8")
        assert [] == re.findall(r"<script(?![^>]*\bsrc=)|<style|\sstyle=|\son[a-z]+=", html)
        assert {"/static/icon.svg", "/static/page.css", "/static/page.js"} == set(
            re.findall(r'(?:src|href)="([^"]*)"', html)
        )
        css = (STATIC / "page.css").read_text(encoding="utf-8")
        assert [] == [word for word in ("url(", "@import") if word in css]

    def test_no_markup_is_made_from_data(self) -> None:
        """The script sets text, never markup: no innerHTML, no document.write, no eval."""
        script = (STATIC / "page.js").read_text(encoding="utf-8")
        found = [
            word
            for word in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(")
            if word in script
        ]
        assert [] == found

    def test_the_example_is_the_shipped_record(self) -> None:
        """The button "Start from an example" fills in the record of examples/records/motivating-case.json."""
        script = (STATIC / "page.js").read_text(encoding="utf-8")
        embedded = script.split("const EXAMPLE = ", 1)[1].split(";\n", 1)[0]
        assert record_of(MOTIVATING) == json.loads(embedded)
        assert f'const EXAMPLE_AT = "{AT}";' in script

    def test_questions_read_as_the_library_says(self) -> None:
        """The page words each question as gigpolicy._decision.QUESTIONS does."""
        script = (STATIC / "page.js").read_text(encoding="utf-8")
        missing = [
            question for question, (_, words) in QUESTIONS.items() if f'{question.value}: "{words}",' not in script
        ]
        assert [] == missing


class TestTimeline:
    """``POST /v1/timeline``: the SVG ``gigpolicy timeline --svg`` writes; errors as the other endpoints."""

    def test_the_same_svg_as_the_command_line(self, client: TestClient, tmp_path: Path) -> None:
        """The answer is the very file the command line writes for the same record and instant."""
        out = tmp_path / "timeline.svg"
        assert 0 == main(["timeline", str(ENDED), "--at", AT, "--svg", str(out)])
        response = client.post("/v1/timeline", json={"record": record_of(ENDED), "at": AT, "policy": None})
        assert (200, "image/svg+xml") == (response.status_code, response.headers["content-type"].split(";")[0])
        assert out.read_bytes() == response.content
        assert SECURITY_HEADERS["Content-Security-Policy"] == response.headers["content-security-policy"]

    @pytest.mark.parametrize(
        ("body", "status", "path"),
        [
            ({"record": {**record_of(ENDED), "format": "gigpolicy/9"}, "at": AT}, 422, "format"),
            ({"record": record_of(ENDED)}, 400, "at"),
            ({"record": record_of(ENDED), "at": AT, "as": "client"}, 400, "as"),
            ({"record": record_of(ENDED), "at": AT, "policy": "nosuch"}, 400, "policy"),
        ],
    )
    def test_errors_are_json(self, client: TestClient, body: dict[str, Any], status: int, path: str) -> None:
        """A refusal is the API's JSON error shape, never an SVG."""
        response = client.post("/v1/timeline", json=body)
        assert (status, "application/json") == (response.status_code, response.headers["content-type"])
        assert [path] == [error["path"] for error in response.json()["errors"]]

    def test_only_post(self, client: TestClient) -> None:
        """``GET /v1/timeline`` is the wrong method."""
        assert 405 == client.get("/v1/timeline").status_code


# -- the page in a real browser ----------------------------------------------------------------


@pytest.fixture(scope="module")
def address() -> Iterator[str]:
    """The real server, uvicorn with create_app(), on a free port of 127.0.0.1."""
    listening = socket.socket()
    listening.bind(("127.0.0.1", 0))
    listening.listen()
    config = uvicorn.Config(create_app(), log_level="warning", access_log=False, lifespan="off", ws="none")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listening]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + WAIT
    while not server.started and thread.is_alive() and time.monotonic() < deadline:
        time.sleep(0.01)
    assert server.started, "the server did not start"
    yield f"http://127.0.0.1:{listening.getsockname()[1]}"
    server.should_exit = True
    thread.join(WAIT)
    listening.close()


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[webdriver.Chrome]:
    """Debian's headless Chromium, in Berlin's time zone, logging the console; one for the module."""
    missing = [str(path) for path in (CHROMIUM, CHROMEDRIVER) if not path.exists()]
    if missing:
        pytest.fail(
            f"the page's browser test needs Debian's Chromium and ChromeDriver, missing: {', '.join(missing)} "
            "(apt-get install chromium chromium-driver)",
            pytrace=False,
        )
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for argument in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--lang=en-US",
        "--window-size=1280,1100",
        f"--user-data-dir={tmp_path_factory.mktemp('chromium')}",
    ):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(executable_path=str(CHROMEDRIVER)))
    # the zone of the person, not of the machine: times show in UTC and in Berlin's time
    driver.execute_cdp_cmd("Emulation.setTimezoneOverride", {"timezoneId": "Europe/Berlin"})
    yield driver
    driver.quit()


@pytest.fixture
def page(browser: webdriver.Chrome, address: str, tmp_path: Path) -> webdriver.Chrome:
    """The page, freshly loaded and ready, its console emptied; downloads go to *tmp_path*."""
    browser.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(tmp_path)})
    browser.get(f"{address}/")
    WebDriverWait(browser, WAIT).until(
        lambda driver: driver.find_element(By.TAG_NAME, "body").get_attribute("data-ready")
    )
    console(browser)
    return browser


def by_id(driver: webdriver.Chrome, name: str) -> WebElement:
    return driver.find_element(By.ID, name)


def type_into(element: WebElement, text: str) -> None:
    element.clear()
    element.send_keys(text)


def type_instant(field: WebElement, date: str, time_of_day: str) -> None:
    """Type a UTC date (2026-11-02) and time (15:00) as a person does in Chromium's en-US date and time inputs."""
    year, month, day = date.split("-")
    hours, minutes = (int(part) for part in time_of_day.split(":"))
    type_into(field.find_element(By.CSS_SELECTOR, "input[type=date]"), f"{month}{day}{year}")
    twelve = hours % 12 or 12
    type_into(
        field.find_element(By.CSS_SELECTOR, "input[type=time]"),
        f"{twelve:02}{minutes:02}{'AM' if hours < 12 else 'PM'}",
    )


def field(scope: webdriver.Chrome | WebElement, name: str) -> WebElement:
    return scope.find_element(By.CSS_SELECTOR, f'.field[data-field="{name}"]')


def fields_of(event: WebElement) -> list[str | None]:
    return [wrap.get_attribute("data-field") for wrap in event.find_elements(By.CSS_SELECTOR, ".fields > .field")]


def add_event(driver: webdriver.Chrome, kind: str) -> WebElement:
    Select(by_id(driver, "new-event-type")).select_by_value(kind)
    by_id(driver, "add-event").click()
    return driver.find_elements(By.CSS_SELECTOR, "#events > li")[-1]


def answered(driver: webdriver.Chrome) -> str:
    """Ask, wait for the answer and give the words of "What can I do now?"."""
    by_id(driver, "ask").click()
    WebDriverWait(driver, WAIT).until(
        lambda d: by_id(d, "results").is_displayed() and by_id(d, "status").text == "Answered."
    )
    return by_id(driver, "option-sentences").text


def downloaded(driver: webdriver.Chrome, folder: Path, name: str) -> dict[str, Any]:
    by_id(driver, "download-record").click()
    target = folder / name
    WebDriverWait(driver, WAIT).until(lambda _: target.exists() and target.stat().st_size > 0)
    return record_of(target)


def console(driver: webdriver.Chrome) -> list[dict[str, Any]]:
    """The console's entries since the last call (reading them empties the log)."""
    entries: list[dict[str, Any]] = driver.get_log("browser")  # type: ignore[no-untyped-call]  # unannotated in Selenium
    return entries


def console_errors(driver: webdriver.Chrome, allowed: Callable[[str], bool] = lambda _: False) -> list[str]:
    return [
        entry["message"] for entry in console(driver) if entry["level"] == "SEVERE" and not allowed(entry["message"])
    ]


def other_hosts(driver: webdriver.Chrome, address: str) -> list[str]:
    names: list[str] = driver.execute_script(
        "return performance.getEntriesByType('navigation').concat(performance.getEntriesByType('resource'))"
        ".map(entry => entry.name)"
    )
    assert names
    return [name for name in names if not name.startswith((f"{address}/", f"blob:{address}/"))]


class TestInTheBrowser:
    """The page in headless Chromium, typed into as a person does."""

    def test_the_motivating_case_through_the_form(self, page: webdriver.Chrome, address: str, tmp_path: Path) -> None:
        """Described input by input, the ended contract answers: the client can review until 2026-11-18, unseen."""
        Select(by_id(page, "contract-marketplace")).select_by_value("upwork")
        Select(by_id(page, "contract-kind")).select_by_value("fixed_price")
        Select(by_id(page, "contract-currency")).select_by_value("USD")
        type_instant(field(by_id(page, "contract"), "started_at"), "2026-11-02", "15:00")
        type_into(by_id(page, "contract-id"), "c-1001")
        type_into(by_id(page, "contract-client"), "client-42")
        type_into(by_id(page, "contract-freelancer"), "fl-7")
        funded = add_event(page, "milestone_funded")
        assert ["type", "at", "milestone", "amount", "due_at"] == fields_of(funded)
        type_instant(field(funded, "at"), "2026-11-02", "15:05")
        type_into(field(funded, "milestone").find_element(By.TAG_NAME, "input"), "m1")
        type_into(field(funded, "amount").find_element(By.TAG_NAME, "input"), "500.00")
        ended = add_event(page, "contract_ended")
        type_instant(field(ended, "at"), "2026-11-03", "09:00")
        Select(field(ended, "by").find_element(By.TAG_NAME, "select")).select_by_value("freelancer")
        by_id(page, "as-freelancer").click()
        type_instant(field(by_id(page, "question"), "at"), "2026-11-03", "09:00")

        expected = record_of(MOTIVATING)
        expected["events"].append({"type": "contract_ended", "at": AT, "by": "freelancer"})
        assert expected == downloaded(page, tmp_path, "c-1001.json")

        words = answered(page)
        assert "If you wait: the client can still leave a review until 2026-11-18 00:00 UTC" in words
        assert "but nobody will see it (Net paid (0.00 USD) is below 1.00 USD" in words
        assert "2026-11-18 00:00 UTC (Nov 18, 2026, 01:00 AM GMT+1)" in words  # the browser's zone too
        decisions = by_id(page, "decisions").text
        assert "The client may leave public feedback, until 2026-11-18 00:00 UTC" in decisions
        assert "no The client has public feedback shown" in decisions
        links = page.find_elements(By.CSS_SELECTOR, "#decisions a.source")
        assert links
        assert {"noreferrer noopener"} == {link.get_attribute("rel") for link in links}
        assert all(str(link.get_attribute("href")).startswith("https://") for link in links)
        drawn = page.execute_script("const image = document.getElementById('timeline'); return image.naturalWidth;")
        assert drawn > 0  # the SVG came through a blob: URL, which the CSP lets through for images
        page.save_screenshot(str(tmp_path / "page.png"))
        assert (tmp_path / "page.png").stat().st_size > 0
        assert [] == console_errors(page)
        assert [] == other_hosts(page, address)

    def test_the_example_answers_the_motivating_question(
        self, page: webdriver.Chrome, address: str, tmp_path: Path
    ) -> None:
        """From the example: ending now leaves the client a review window to 2026-11-18 that nobody sees."""
        by_id(page, "use-example").click()
        words = answered(page)
        assert "If you end the contract now: the client can still leave a review until 2026-11-18 00:00 UTC" in words
        assert words.count("nobody will see it") == 4
        assert "If you wait: the client can leave a review from 2027-01-31 15:05 UTC" in words
        rows = [row.text for row in page.find_elements(By.CSS_SELECTOR, "#options-body tr")]
        assert rows[1].startswith("end contract yes, until 2026-11-18 no no counts against / not counted")
        page.execute_script("document.getElementById('results-heading').scrollIntoView()")
        shot = tmp_path / "page.png"
        page.save_screenshot(str(shot))
        if os.environ.get("GIGPOLICY_PAGE_SCREENSHOT"):
            shutil.copyfile(shot, os.environ["GIGPOLICY_PAGE_SCREENSHOT"])
        assert [] == console_errors(page)
        assert [] == other_hosts(page, address)

    def test_an_invalid_amount_is_shown_next_to_its_field(self, page: webdriver.Chrome) -> None:
        """The API's 422 on events[0].amount shows beside that amount, and no answer is shown."""
        by_id(page, "use-example").click()
        amount = field(page.find_element(By.CSS_SELECTOR, "#events > li"), "amount")
        type_into(amount.find_element(By.TAG_NAME, "input"), "-5")
        by_id(page, "ask").click()
        error = amount.find_element(By.CSS_SELECTOR, ".error")
        WebDriverWait(page, WAIT).until(lambda _: error.is_displayed())
        assert "must be greater than zero" == error.text
        assert "true" == amount.find_element(By.TAG_NAME, "input").get_attribute("aria-invalid")
        assert not by_id(page, "results").is_displayed()
        assert not by_id(page, "form-errors").is_displayed()
        # the only console error is the browser's note of the 422 answer itself
        assert [] == console_errors(page, allowed=lambda message: "status of 422" in message)

    def test_an_instant_before_the_start_is_shown_next_to_the_instant(self, page: webdriver.Chrome) -> None:
        """A 400 on ``at`` shows beside the instant's inputs."""
        by_id(page, "use-example").click()
        type_instant(field(by_id(page, "question"), "at"), "2020-01-01", "00:00")
        by_id(page, "ask").click()
        error = by_id(page, "at-error")
        WebDriverWait(page, WAIT).until(lambda _: error.is_displayed())
        assert "is before the contract started" in error.text
        assert [] == console_errors(page, allowed=lambda message: "status of 400" in message)

    def test_loading_a_record_file(self, page: webdriver.Chrome, tmp_path: Path) -> None:
        """A record file fills the form; saved again, it is the same record."""
        by_id(page, "load-record").send_keys(str(ENDED))
        WebDriverWait(page, WAIT).until(lambda d: by_id(d, "status").text.startswith("Loaded"))
        legends = [legend.text for legend in page.find_elements(By.CSS_SELECTOR, "#events > li legend")]
        assert ["Event 1: milestone funded", "Event 2: job reported", "Event 3: contract ended"] == legends
        assert record_of(ENDED) == downloaded(page, tmp_path, "c-1001.json")
        assert [] == console_errors(page)

    @pytest.mark.parametrize(
        ("content", "message"),
        [
            ("{not json", "is not JSON"),
            ("[1, 2]", "the file is not a JSON object"),
            ('{"format": "gigpolicy/1", "contract": {}, "events": [{"type": "nosuch"}]}', "events[0].type"),
        ],
    )
    def test_an_invalid_file_shows_an_error(
        self, page: webdriver.Chrome, tmp_path: Path, content: str, message: str
    ) -> None:
        """A file that is no record shows an error at the top; the form and the page keep working."""
        by_id(page, "use-example").click()
        broken = tmp_path / "broken.json"
        broken.write_text(content, encoding="utf-8")
        by_id(page, "load-record").send_keys(str(broken))
        WebDriverWait(page, WAIT).until(lambda d: by_id(d, "form-errors").is_displayed())
        assert message in by_id(page, "form-errors").text
        assert 1 == len(page.find_elements(By.CSS_SELECTOR, "#events > li"))
        assert "If you end the contract now" in answered(page)
        assert [] == console_errors(page)

    def test_events_are_added_and_removed(self, page: webdriver.Chrome) -> None:
        """Each event shows only its type's fields; removing one renumbers the rest."""
        add_event(page, "milestone_funded")
        feedback = add_event(page, "feedback_left")
        assert ["type", "at", "by", "kind", "rating", "comment"] == fields_of(feedback)
        assert ["", "client", "freelancer"] == [
            option.get_attribute("value") for option in field(feedback, "by").find_elements(By.TAG_NAME, "option")
        ]
        Select(field(feedback, "type").find_element(By.TAG_NAME, "select")).select_by_value("bonus_paid")
        assert ["type", "at", "amount"] == fields_of(feedback)
        page.find_elements(By.CSS_SELECTOR, "#events > li button.remove")[0].click()
        assert ["Event 1: bonus paid"] == [
            legend.text for legend in page.find_elements(By.CSS_SELECTOR, "#events legend")
        ]
        unlabelled = page.execute_script(
            "return [...document.querySelectorAll('input, select, textarea')]"
            ".filter(input => !(input.labels && input.labels.length)).map(input => input.id)"
        )
        assert [] == unlabelled
        assert [] == console_errors(page)
