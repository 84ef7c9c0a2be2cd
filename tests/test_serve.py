"""``gigpolicy serve``: the JSON API, its error shapes, limits and headers, and its command."""

from __future__ import annotations

import gc
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Final

import pytest
import uvicorn
from starlette.testclient import TestClient

import gigpolicy.serve
from gigpolicy._cli import SERVE_MISSING, main
from gigpolicy._process import GC_THRESHOLDS
from gigpolicy.errors import MAX_PROBLEMS, GigPolicyError, InvalidRecord
from gigpolicy.serve import SECURITY_HEADERS, create_app

EXAMPLES: Final = Path(__file__).parent.parent / "examples" / "records"
ENDED: Final = EXAMPLES / "motivating-case-ended.json"
AT: Final = "2026-11-05T00:00:00Z"
RECORD: Final[dict[str, Any]] = json.loads(ENDED.read_text(encoding="utf-8"))


@pytest.fixture
def client() -> TestClient:
    return TestClient(create_app())


def errors(response: Any) -> list[tuple[str, str]]:
    return [(item["path"], item["message"]) for item in response.json()["errors"]]


def test_importing_gigpolicy_imports_no_server() -> None:
    code = (
        "import sys, gigpolicy; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in {'starlette', 'uvicorn'} or m == 'gigpolicy.serve'))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)  # noqa: S603
    assert "[]" == done.stdout.strip()


class TestSameBytesAsTheCommandLine:
    """The API answers the very bytes the command line prints."""

    def test_explain(self, client: TestClient, capsys: pytest.CaptureFixture[str]) -> None:
        assert 0 == main(["explain", str(ENDED), "--at", AT, "--json"])
        response = client.post("/v1/evaluate", json={"record": RECORD, "at": AT})
        assert 200 == response.status_code
        assert "application/json" == response.headers["content-type"]
        assert capsys.readouterr().out.encode("utf-8") == response.content

    def test_options(self, client: TestClient, capsys: pytest.CaptureFixture[str]) -> None:
        assert 0 == main(["options", str(ENDED), "--as", "freelancer", "--at", AT, "--json"])
        response = client.post("/v1/options", json={"record": RECORD, "at": AT, "as": "freelancer", "policy": None})
        assert 200 == response.status_code
        assert capsys.readouterr().out.encode("utf-8") == response.content

    def test_policies(self, client: TestClient, capsys: pytest.CaptureFixture[str]) -> None:
        assert 0 == main(["policies", "--json"])
        assert capsys.readouterr().out.encode("utf-8") == client.get("/v1/policies").content

    def test_schema(self, client: TestClient, capsys: pytest.CaptureFixture[str]) -> None:
        assert 0 == main(["schema"])
        assert capsys.readouterr().out.encode("utf-8") == client.get("/v1/schema").content


class TestAnswers:
    """Good requests and their answers."""

    def test_the_motivating_case(self, client: TestClient) -> None:
        report = client.post("/v1/evaluate", json={"record": RECORD, "at": AT, "policy": "upwork"}).json()
        review = next(d for d in report["decisions"] if (d["question"], d["party"]) == ("public_feedback", "client"))
        assert (True, "2026-11-18T00:00:00Z") == (review["answer"], review["until"])

    def test_valid(self, client: TestClient) -> None:
        response = client.post("/v1/validate", json={"record": RECORD})
        assert (200, {"valid": True}) == (response.status_code, response.json())

    def test_health(self, client: TestClient) -> None:
        assert (200, {"status": "ok"}) == (client.get("/healthz").status_code, client.get("/healthz").json())


class TestErrors:
    """Every refusal has the SPEC's shape and status; nothing breaks the server."""

    def test_every_problem_of_an_invalid_record(self, client: TestClient) -> None:
        record = json.loads(json.dumps(RECORD))
        del record["contract"]["client"]
        record["events"][0]["amount"] = "-5"
        response = client.post("/v1/evaluate", json={"record": record, "at": AT})
        assert 422 == response.status_code
        assert ["contract.client", "events[0].amount"] == [path for path, _ in errors(response)]

    def test_problems_are_capped(self, client: TestClient) -> None:
        record = {**RECORD, **{f"k{n}": 1 for n in range(MAX_PROBLEMS + 50)}}
        response = client.post("/v1/validate", json={"record": record})
        assert 422 == response.status_code
        assert MAX_PROBLEMS + 1 == len(errors(response))

    @pytest.mark.parametrize(
        ("body", "path"),
        [
            ({"record": RECORD}, "at"),
            ({"record": RECORD, "at": "2026-11-05"}, "at"),
            ({"record": RECORD, "at": 5}, "at"),
            ({"record": RECORD, "at": AT, "policy": 3}, "policy"),
            ({"record": RECORD, "at": AT, "policy": "nosuch"}, "policy"),
            ({"record": RECORD, "at": AT, "extra": 1}, "extra"),
            ({"at": AT}, "record"),
        ],
    )
    def test_bad_fields_of_a_request(self, client: TestClient, body: dict[str, Any], path: str) -> None:
        response = client.post("/v1/evaluate", json=body)
        assert 400 == response.status_code
        assert [path] == [where for where, _ in errors(response)]

    @pytest.mark.parametrize("party", [None, "judge", 1])
    def test_bad_party(self, client: TestClient, party: object) -> None:
        response = client.post("/v1/options", json={"record": RECORD, "at": AT, "as": party})
        assert (400, ["as"]) == (response.status_code, [path for path, _ in errors(response)])

    def test_options_before_the_start(self, client: TestClient) -> None:
        body = {"record": RECORD, "at": "2020-01-01T00:00:00Z", "as": "client"}
        response = client.post("/v1/options", json=body)
        assert (400, ["at"]) == (response.status_code, [path for path, _ in errors(response)])

    def test_unknown_marketplace_of_the_record(self, client: TestClient) -> None:
        record = {**RECORD, "contract": {**RECORD["contract"], "marketplace": "nosuch"}}
        response = client.post("/v1/evaluate", json={"record": record, "at": AT})
        assert (422, ["contract.marketplace"]) == (response.status_code, [path for path, _ in errors(response)])

    @pytest.mark.parametrize(
        ("raised", "path"),
        [(InvalidRecord("events[1]", "cannot happen now"), "events[1]"), (GigPolicyError("no settling"), "")],
    )
    def test_a_refusal_while_judging(
        self, client: TestClient, monkeypatch: pytest.MonkeyPatch, raised: Exception, path: str
    ) -> None:
        def refuse(*_: object, **__: object) -> object:
            raise raised

        monkeypatch.setattr(gigpolicy.serve, "evaluate", refuse)
        response = client.post("/v1/evaluate", json={"record": RECORD, "at": AT})
        assert (422, [path]) == (response.status_code, [where for where, _ in errors(response)])

    @pytest.mark.parametrize(
        "body",
        [
            b"",
            b"not json",
            b"\xff\xfe",
            b"[1, 2]",
            b"null",
            b'{"record": {}, "record": {}}',
            b'{"record": NaN, "at": "2026-11-05T00:00:00Z"}',
            b'{"record": 1e999999999999999999999}',
            b"[" * 100_000,
            b"[" + b"0," * 400_000 + b"0]",
            b'{"record": [], "at": "2026-11-05T00:00:00Z"}',
            b'{"record": {"format": "gigpolicy/1"}, "at": "2026-11-05T00:00:00Z"}',
        ],
    )
    def test_malformed_bodies_never_break_the_server(self, client: TestClient, body: bytes) -> None:
        for address in ("/v1/evaluate", "/v1/options", "/v1/validate"):
            response = client.post(address, content=body, headers={"content-type": "application/json"})
            assert response.status_code in {400, 422}
            assert "Traceback" not in response.text
            assert errors(response)
        assert 200 == client.get("/healthz").status_code

    def test_a_body_over_the_limit(self) -> None:
        client = TestClient(create_app(max_body=1000))

        response = client.post("/v1/validate", content=b'{"record": "' + b"x" * 5000 + b'"}')
        assert (413, [""]) == (response.status_code, [path for path, _ in errors(response)])
        assert 200 == client.get("/healthz").status_code

    def test_a_request_over_the_time_limit(self, monkeypatch: pytest.MonkeyPatch) -> None:
        def slow(*_: object, **__: object) -> object:
            time.sleep(0.5)
            raise GigPolicyError("too late to matter")

        monkeypatch.setattr(gigpolicy.serve, "evaluate", slow)
        client = TestClient(create_app(time_limit=0.05))
        response = client.post("/v1/evaluate", json={"record": RECORD, "at": AT})
        assert 503 == response.status_code
        assert [("", "took longer than 0.05 seconds")] == errors(response)

    def test_an_internal_error_sends_no_detail(self, monkeypatch: pytest.MonkeyPatch) -> None:
        def broken(*_: object, **__: object) -> object:
            raise RuntimeError("secret detail")

        monkeypatch.setattr(gigpolicy.serve, "evaluate", broken)
        client = TestClient(create_app(), raise_server_exceptions=False)
        response = client.post("/v1/evaluate", json={"record": RECORD, "at": AT})
        assert (500, [("", "internal error")]) == (response.status_code, errors(response))
        assert "secret" not in response.text

    def test_wrong_address_and_method(self, client: TestClient) -> None:
        missing = client.get("/v1/nothing")
        assert (404, [("", "Not Found")]) == (missing.status_code, errors(missing))
        wrong = client.get("/v1/evaluate")
        assert (405, "POST") == (wrong.status_code, wrong.headers["allow"])


class TestHeaders:
    """Security headers on every answer; CORS only for the origin given."""

    @pytest.mark.parametrize("address", ["/healthz", "/v1/schema", "/v1/nothing"])
    def test_security_headers_on_every_answer(self, client: TestClient, address: str) -> None:
        response = client.get(address)
        for name, value in SECURITY_HEADERS.items():
            assert value == response.headers[name]
        assert "default-src 'none'" in response.headers["content-security-policy"]

    def test_no_cors_by_default(self, client: TestClient) -> None:
        response = client.get("/healthz", headers={"origin": "https://elsewhere.example"})
        assert "access-control-allow-origin" not in response.headers
        preflight = client.options(
            "/v1/evaluate",
            headers={"origin": "https://elsewhere.example", "access-control-request-method": "POST"},
        )
        assert "access-control-allow-origin" not in preflight.headers

    def test_cors_for_the_origin_given(self) -> None:
        client = TestClient(create_app(cors="https://tools.example"))
        response = client.get("/healthz", headers={"origin": "https://tools.example"})
        assert "https://tools.example" == response.headers["access-control-allow-origin"]
        other = client.get("/healthz", headers={"origin": "https://elsewhere.example"})
        assert "access-control-allow-origin" not in other.headers


class TestCommand:
    """``gigpolicy serve`` on the command line."""

    def test_serve_runs_uvicorn_on_localhost(self, monkeypatch: pytest.MonkeyPatch) -> None:
        calls: list[dict[str, Any]] = []
        monkeypatch.setattr(uvicorn, "run", lambda _, **kwargs: calls.append(kwargs))
        saved = gc.get_threshold()
        try:
            gc.set_threshold(700, 10, 10)
            assert 0 == main(["serve"])
            assert GC_THRESHOLDS == gc.get_threshold()  # the server's process is its own
        finally:
            gc.set_threshold(*saved)
        assert [{"host": "127.0.0.1", "port": 8000, "server_header": False}] == calls
        assert 0 == main(["serve", "--host", "0.0.0.0", "--port", "9000", "--cors", "https://tools.example"])  # noqa: S104
        assert (calls[1]["host"], calls[1]["port"]) == ("0.0.0.0", 9000)  # noqa: S104

    def test_serve_without_the_extra(self, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
        monkeypatch.delitem(sys.modules, "gigpolicy.serve")
        for name in [name for name in sys.modules if name.split(".")[0] == "starlette"]:
            monkeypatch.setitem(sys.modules, name, None)  # as if never installed: no import succeeds
        assert 1 == main(["serve"])
        assert SERVE_MISSING + "\n" == capsys.readouterr().err
