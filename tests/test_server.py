"""The HTTP API, tested as a client would: a real server on a loopback port, requests over HTTP."""

from __future__ import annotations

import gc
import json
import socket
import subprocess
import sys
import threading
import time
import weakref
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from modeadvisor import Advisor, KnowledgeBase, Limits
from modeadvisor.cli import main
from modeadvisor.server import ServerConfig, create_app

from .conftest import DATA, ROOT
from .serving import running

EXAMPLE = ROOT / "examples" / "manufacturer.yaml"
PROBLEM = "application/problem+json"


@pytest.fixture(scope="module")
def base(shipped_kb: KnowledgeBase) -> Iterator[str]:
    with running(create_app(shipped_kb)) as url:
        yield url


@pytest.fixture(scope="module")
def client(base: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=base, timeout=60) as made:
        yield made


def _cli(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    assert main(list(args)) == 0
    return capsys.readouterr().out


def _problems(response: httpx.Response, status: int) -> list[dict[str, Any]]:
    """The located problems of a problem response, after checking its RFC 9457 shape."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    body = response.json()
    assert body["status"] == status
    assert body["type"].startswith("urn:modeadvisor:problem:")
    assert body["title"]
    assert body["detail"]
    assert body["instance"] == response.request.url.path
    assert "Traceback" not in response.text
    found: list[dict[str, Any]] = body["problems"]
    return found


def test_the_server_listens_on_loopback_only(base: str) -> None:
    assert base.startswith("http://127.0.0.1:")


def test_assess_answers_what_the_command_line_writes(
    client: httpx.Client, capsys: pytest.CaptureFixture[str]
) -> None:
    expected = _cli(capsys, "assess", str(EXAMPLE), "--format", "json", "--lang", "en")
    as_yaml = client.post(
        "/assess", content=EXAMPLE.read_bytes(), headers={"content-type": "application/yaml"}
    )
    assert as_yaml.status_code == 200
    assert as_yaml.headers["content-type"] == "application/json"
    assert as_yaml.text == expected
    as_json = client.post("/assess", json=yaml.safe_load(EXAMPLE.read_text("utf-8")))
    assert as_json.text == expected


def test_assess_follows_lang_and_backend(
    client: httpx.Client, capsys: pytest.CaptureFixture[str]
) -> None:
    expected = _cli(capsys, "assess", str(EXAMPLE), "--format", "json", "--lang", "fi")
    for backend in ("auto", "vectorised"):
        answer = client.post(
            "/assess", params={"lang": "fi", "backend": backend}, content=EXAMPLE.read_bytes()
        )
        assert answer.text == expected


def test_explain_what_if_and_why_not_answer_as_the_command_line(
    client: httpx.Client, capsys: pytest.CaptureFixture[str]
) -> None:
    body = EXAMPLE.read_bytes()
    cases = [
        ("/explain", {"unit": "rnd"}, ["explain", "--unit", "rnd"]),
        (
            "/what-if",
            {"unit": "rnd", "target": "production"},
            ["what-if", "--unit", "rnd", "--target", "production"],
        ),
        (
            "/why-not",
            {"unit": "rnd", "model": "balanced_scorecard"},
            ["explain", "--unit", "rnd", "--why-not", "balanced_scorecard"],
        ),
    ]
    for path, params, args in cases:
        expected = json.loads(_cli(capsys, *args, str(EXAMPLE), "--format", "json", "--lang", "en"))
        answer = client.post(path, params=params, content=body)
        assert answer.status_code == 200, answer.text
        assert answer.json() == expected, path


def test_what_if_takes_allowed_traits_and_a_finding_to_clear(
    client: httpx.Client, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["--unit", "rnd", "--clear", "measurement_misfit", "--allow", "innovation_type"]
    expected = json.loads(_cli(capsys, "what-if", str(EXAMPLE), *args, "--format", "json"))
    answer = client.post(
        "/what-if",
        params=[("unit", "rnd"), ("clear", "measurement_misfit"), ("allow", "innovation_type")],
        content=EXAMPLE.read_bytes(),
    )
    assert answer.status_code == 200, answer.text
    assert answer.json() == expected
    misspelt = {"unit": "rnd", "target": "production", "allow": ["inovation_type"]}
    (found,) = _problems(
        client.post("/what-if", params=misspelt, content=EXAMPLE.read_bytes()), 422
    )
    assert found["hint"] == "did you mean 'innovation_type'?"


def test_a_mistake_in_the_body_is_located_in_it(client: httpx.Client) -> None:
    text = EXAMPLE.read_text("utf-8").replace("cost_focus:", "cost_fokus:", 1)
    line = next(i for i, row in enumerate(text.splitlines(), 1) if "cost_fokus" in row)
    (found,) = _problems(client.post("/assess", content=text), 422)
    assert found["file"] == "request body"
    assert found["line"] == line
    assert found["column"] is not None
    assert found["hint"] == "did you mean 'cost_focus'?"


def test_every_problem_of_the_body_is_listed(client: httpx.Client) -> None:
    data = yaml.safe_load(EXAMPLE.read_text("utf-8"))
    data["units"][0]["traits"]["cost_fokus"] = 3
    data["units"][1]["models_in_use"] = ["balanced_scorcard"]
    found = _problems(client.post("/assess", json=data), 422)
    assert len(found) == 2
    assert all(p["file"] == "request body" and p["line"] == 1 for p in found)  # one-line JSON


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"units: [1", "malformed YAML/JSON"),
        (b"", "file is empty"),
        (b"[1, 2]", "expected a mapping"),
        (b'{"organisation": "x"}', "units"),
        (b"\xff\xfe", "not valid UTF-8"),
    ],
)
def test_a_body_that_is_no_organisation_is_422(
    client: httpx.Client, body: bytes, message: str
) -> None:
    found = _problems(client.post("/assess", content=body), 422)
    assert any(message in p["message"] for p in found), found
    assert all(p["file"] == "request body" for p in found)


def test_an_unknown_unit_is_422_with_a_did_you_mean(client: httpx.Client) -> None:
    for path in ("/explain", "/why-not"):
        answer = client.post(
            path, params={"unit": "rdn", "model": "x"}, content=EXAMPLE.read_bytes()
        )
        (found,) = _problems(answer, 422)
        assert found["hint"] == "did you mean 'rnd'?"
        assert found["file"] == "query"


def test_bad_query_parameters_are_422_problems(client: httpx.Client) -> None:
    (found,) = _problems(client.post("/assess", params={"lang": "sv"}, content=b"{}"), 422)
    assert found["file"] == "query"
    assert "lang" in found["message"]
    (found,) = _problems(client.post("/explain", content=EXAMPLE.read_bytes()), 422)
    assert "unit" in found["message"]
    both = {"unit": "rnd", "target": "production", "clear": "x"}
    (found,) = _problems(client.post("/what-if", params=both, content=EXAMPLE.read_bytes()), 422)
    assert "one of `target`" in found["message"]
    (found,) = _problems(client.post("/batch", params={"format": "xml"}, content=b"unit\n"), 422)
    assert "format" in found["message"]


def test_unknown_paths_and_methods_are_problems_too(client: httpx.Client) -> None:
    _problems(client.get("/nowhere"), 404)
    _problems(client.get("/assess"), 405)


def test_batch_scores_csv_and_json_lines(client: httpx.Client, tmp_path: Path) -> None:
    csv = b"unit,cost_focus,experimentation\na,5,1\nb,1,5\n"
    rows = client.post("/batch", content=csv, headers={"content-type": "text/csv"}).json()
    (tmp_path / "units.csv").write_bytes(csv)
    assert (
        main(
            [
                "batch",
                str(tmp_path / "units.csv"),
                "--format",
                "json",
                "-o",
                str(tmp_path / "o.json"),
            ]
        )
        == 0
    )
    assert rows == json.loads((tmp_path / "o.json").read_text("utf-8"))
    lines = b'{"unit": "a", "cost_focus": 5}\n{"unit": "b", "cost_focus": 1}\n'
    answer = client.post(
        "/batch",
        params={"format": "jsonl"},
        content=lines,
        headers={"content-type": "application/x-ndjson"},
    )
    assert answer.status_code == 200, answer.text
    assert [json.loads(row)["unit"] for row in answer.text.splitlines()] == ["a", "b"]
    as_csv = client.post("/batch", params={"format": "csv"}, content=csv)
    assert as_csv.headers["content-type"].startswith("text/csv")
    assert as_csv.text.splitlines()[0].startswith("unit,")


def test_a_bad_cell_of_a_batch_is_located_in_the_body(client: httpx.Client) -> None:
    (found,) = _problems(client.post("/batch", content=b"unit,cost_focus\na,3\nb,9\n"), 422)
    assert (found["file"], found["line"], found["column"]) == ("request body", 3, 2)


def test_report_is_one_html_page(client: httpx.Client) -> None:
    answer = client.post("/report", params={"lang": "fi"}, content=EXAMPLE.read_bytes())
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/html")
    assert answer.text.startswith("<!DOCTYPE html>")
    assert 'lang="fi"' in answer.text


def test_catalogue_schemas_and_health(
    client: httpx.Client, capsys: pytest.CaptureFixture[str]
) -> None:
    assert client.get("/traits").json() == json.loads(_cli(capsys, "traits", "--format", "json"))
    for kind in ("rules", "organisation"):
        assert client.get(f"/schema/{kind}").json() == json.loads(_cli(capsys, "schema", kind))
    health = client.get("/health").json()
    assert health["status"] == "ok"
    assert health["pack"]["id"] == "core"
    document = client.get("/openapi.json").json()
    assert set(document["paths"]) >= {
        "/assess",
        "/explain",
        "/what-if",
        "/why-not",
        "/batch",
        "/report",
        "/traits",
        "/schema/rules",
        "/schema/organisation",
        "/health",
    }
    body = document["paths"]["/assess"]["post"]["requestBody"]["content"]
    assert set(body) == {"application/json", "application/yaml"}


def test_a_body_over_the_limit_is_refused_before_it_is_read(shipped_kb: KnowledgeBase) -> None:
    app = create_app(shipped_kb, config=ServerConfig(max_body_bytes=1000))
    with running(app) as url:
        host, port = url.removeprefix("http://").split(":")
        with socket.create_connection((host, int(port)), timeout=30) as conn:
            # a declared length over the limit is answered before a byte of the body is sent
            conn.sendall(b"POST /assess HTTP/1.1\r\nHost: x\r\nContent-Length: 5000000000\r\n\r\n")
            received = b""
            while b"\r\n\r\n" not in received and (chunk := conn.recv(65536)):
                received += chunk
            head = received.decode("latin-1")
        assert head.startswith("HTTP/1.1 413")
        assert PROBLEM in head
        with httpx.Client(base_url=url, timeout=30) as client:

            def chunks() -> Iterator[bytes]:  # no length said: counted as it streams in
                for _ in range(100):
                    yield b"x" * 100

            (found,) = _problems(client.post("/assess", content=chunks()), 413)
            assert found["file"] == "request body"
            assert "1,000" in found["message"]
            assert client.post("/assess", content=EXAMPLE.read_bytes()[:900]).status_code == 422


def test_a_request_over_its_time_is_503_with_a_problem(shipped_kb: KnowledgeBase) -> None:
    units = [{"id": "top", "traits": {"cost_focus": 3}}] + [
        {"id": f"u{i}", "parent": "top", "traits": {"cost_focus": 1 + i % 5}} for i in range(3000)
    ]
    big = json.dumps({"organisation": "big", "units": units})
    app = create_app(shipped_kb, config=ServerConfig(timeout=0.001, concurrency=1))
    with running(app) as url, httpx.Client(base_url=url, timeout=60) as client:
        answer = client.post("/assess", content=big)
        assert _problems(answer, 503) == []
        assert answer.headers["retry-after"] == "1"
        assert "took longer than the server's limit of 0.001 s" in answer.json()["detail"]
        assert client.get("/health").status_code == 200  # the server goes on answering
        # the given-up threads still run: past twice the concurrency, new work is refused
        details = []
        for _ in range(10):
            details.append(client.post("/assess", content=big).json()["detail"])
            if "still working on requests" in details[-1]:
                break
        assert "still working on requests" in details[-1], details


def test_running_counts_jobs_until_they_end() -> None:
    from modeadvisor.server._app import Running

    running = Running(most=2)
    seen: list[int] = []

    def job_body() -> int:
        seen.append(running.count)
        return len(seen)

    job = running.guarded(job_body)
    assert job() == 1
    assert seen == [1]
    assert running.count == 0

    def failing() -> int:
        raise ValueError("on purpose")

    with pytest.raises(ValueError, match="on purpose"):
        running.guarded(failing)()
    assert running.count == 0


def test_the_app_keeps_its_state_on_itself(shipped_kb: KnowledgeBase, tmp_path: Path) -> None:
    history = pytest.importorskip("modeadvisor.history")
    store = history.HistoryStore.open(tmp_path / "history.sqlite3")
    one = create_app(shipped_kb, store=store)
    two = create_app(shipped_kb, limits=Limits(max_units=5))
    assert one.state.store is store
    assert two.state.store is None
    assert one.state.advisors is not two.state.advisors
    assert two.state.advisors.limits.max_units == 5
    store.close()


def test_a_server_on_another_pack_answers_on_it() -> None:
    from modeadvisor import load_knowledge_base

    kb = load_knowledge_base(DATA / "mini")
    with running(create_app(kb)) as url, httpx.Client(base_url=url, timeout=30) as client:
        assert client.get("/health").json()["pack"]["id"] == kb.info.id
        assert {t["id"] for t in client.get("/traits").json()} == set(kb.traits)


def test_the_server_config_refuses_nonsense() -> None:
    with pytest.raises(ValueError, match="timeout above 0"):
        ServerConfig(timeout=0)
    with pytest.raises(ValueError, match="concurrency 1 or more"):
        ServerConfig(concurrency=0)


@pytest.mark.slow  # a fresh interpreter: about 2 s
def test_importing_modeadvisor_and_its_cli_imports_no_server() -> None:
    code = (
        "import sys, modeadvisor, modeadvisor.cli, modeadvisor.server; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('fastapi', 'uvicorn', "
        "'starlette')))"
    )
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert found.stdout.strip() == "[]"


def test_serve_refuses_a_bad_pack_before_it_listens(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["serve", "--pack", str(tmp_path / "none"), "--port", "1"]) == 2
    assert str(tmp_path / "none") in capsys.readouterr().err
    assert main(["serve", "--workers", "0"]) == 2
    assert "1 or more" in capsys.readouterr().err
    for bad in ("0", "-1", "nan", "inf", "soon"):
        assert main(["serve", "--timeout", bad]) == 2
        assert "a number of seconds above 0" in capsys.readouterr().err
    assert main(["serve", "--concurrency", "x"]) == 2
    assert "1 or more, not 'x'" in capsys.readouterr().err


def test_an_assessment_beside_other_threads_leaves_their_garbage_young(
    shipped_kb: KnowledgeBase,
) -> None:
    """Assessing pauses the cycle collector; in a process with other threads (a server) it must
    not move everything young to the oldest generation on the way out, where the other threads'
    garbage cycles would wait for a full pass that seldom comes (the server's RSS grew without
    bound before)."""
    advisor = Advisor(shipped_kb)
    gc.collect()

    class Node:
        link: object = None

    cycle = Node()
    cycle.link = cycle
    gone = weakref.ref(cycle)
    del cycle
    worker = threading.Thread(target=advisor.assess, args=(EXAMPLE,))
    worker.start()
    worker.join()
    gc.collect(generation=1)  # a young pass: finds the cycle only if it was left young
    assert gone() is None


@pytest.mark.slow
def test_serve_with_worker_processes_answers_as_one(capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [sys.executable, "-m", "modeadvisor.cli", "serve", "--port", str(port)]
    with subprocess.Popen(
        [*command, "--workers", "2", "--lang", "fi"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    ) as server:
        try:
            url = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 60
            while True:
                assert server.poll() is None, "the server stopped"
                try:
                    if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                        break
                except httpx.HTTPError:
                    assert time.monotonic() < deadline, "the server did not start"
                    time.sleep(0.2)
            answers = {
                httpx.post(f"{url}/assess", content=EXAMPLE.read_bytes()).text for _ in range(6)
            }
        finally:
            server.terminate()
            server.wait(timeout=30)
    assert answers == {_cli(capsys, "assess", str(EXAMPLE), "--format", "json", "--lang", "fi")}


def test_serve_without_the_extra_names_it(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import importlib.util

    found = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "uvicorn" else found(name, *a)
    )
    assert main(["serve", "--port", "1"]) == 2
    err = capsys.readouterr().err
    assert "needs the server extra" in err
    assert "pip install 'modeadvisor[server]'" in err


def test_the_api_keeps_the_anonymity_floor(
    client: httpx.Client, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    few = yaml.safe_load(EXAMPLE.read_text("utf-8"))
    few["respondents"] = [
        {"id": f"r{i}", "unit": "rnd", "role": "expert", "ratings": {"customer_service": 5 - i}}
        for i in range(2)  # below the shipped pack's floor of three
    ]
    path = tmp_path / "few.json"
    path.write_text(json.dumps(few), encoding="utf-8")
    kept = _cli(capsys, "assess", str(path), "--format", "json", "--lang", "en")
    assert kept != _cli(capsys, "assess", str(path), "--format", "json", "--show-respondents")
    assert client.post("/assess", json=few).text == kept
