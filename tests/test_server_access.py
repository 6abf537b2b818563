"""Who may do what on the HTTP API, tested as an attacker would: a real server on loopback with
tokens and a history of two organisations (SQLite; one test on PostgreSQL), requests with no
token, a wrong one, one of the wrong scope, another organisation's name, path tricks, bodies too
large or malformed — each answered with the right status and nothing of the other organisation.
"""

from __future__ import annotations

import json
import socket
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

import httpx
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from modeadvisor import KnowledgeBase
from modeadvisor.history import HistoryStore, organisation_key
from modeadvisor.server import ServerConfig, create_app
from modeadvisor.server._tokens import Tokens

from .conftest import ROOT
from .histories import KEY, NAME, manufacturer
from .serving import running

PROBLEM = "application/problem+json"
#: The organisation the narrowed token may not see, and words of its saved data.
OTHER = "Järvelän kaupunginkirjasto"
OTHER_KEY = "jarvelan-kaupunginkirjasto"
OTHER_WORDS = (OTHER, "Kirjastopalvelut", "asema-librarian", "branch-asema")
#: The other organisation's name in full-width letters: NFKD makes it the same key.
FULL_WIDTH = "".join(
    chr(ord(c) + 0xFEE0) if c.isalpha() else c for c in "jarvelan kaupunginkirjasto"
)
#: Every guarded operation: (method, path, the scope it needs).
GUARDED = [
    ("POST", "/assess", "assess"),
    ("POST", "/explain?unit=rnd", "assess"),
    ("POST", "/what-if?unit=rnd&target=production", "assess"),
    ("POST", "/why-not?unit=rnd&model=balanced_scorecard", "assess"),
    ("POST", "/report", "assess"),
    ("POST", "/batch", "assess"),
    ("GET", "/traits", "assess"),
    ("GET", "/schema/rules", "assess"),
    ("GET", "/schema/organisation", "assess"),
    ("GET", f"/history/{KEY}", "history-read"),
    ("DELETE", f"/history/{KEY}", "admin"),
]


def library() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((ROOT / "examples" / "city-library.yaml").read_text())
    return data


@pytest.fixture(scope="module")
def secrets(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """A token file: one token of each kind, and the tokens themselves by name."""
    path = tmp_path_factory.mktemp("tokens") / "tokens.yaml"
    tokens, made = Tokens(), {}
    for name, scopes, organisations in [
        ("assessor", ["assess"], None),
        ("reader", ["assess", "history-read", "history-write"], [NAME]),
        ("writer", ["history-write"], None),
        ("operator", ["admin"], None),
    ]:
        tokens, made[name] = tokens.added(name, scopes, organisations)  # type: ignore[arg-type]
    tokens.write(path)
    return path, made


def _saved(database: str, shipped_kb: KnowledgeBase) -> None:
    """Both organisations saved once, through a server of their own."""
    with (
        HistoryStore.open(database) as store,
        running(create_app(shipped_kb, store=store)) as url,
        httpx.Client(base_url=url, timeout=60) as client,
    ):
        for body in (manufacturer(), library()):
            assert client.post("/assess?save=true", json=body).status_code == 200


@pytest.fixture(scope="module")
def served(
    shipped_kb: KnowledgeBase,
    tmp_path_factory: pytest.TempPathFactory,
    secrets: tuple[Path, dict[str, str]],
) -> Iterator[tuple[str, Path]]:
    folder = tmp_path_factory.mktemp("history")
    database = f"sqlite:///{folder / 'history.sqlite3'}"
    _saved(database, shipped_kb)
    audit = folder / "audit.jsonl"
    config = ServerConfig(tokens=str(secrets[0]), audit_log=str(audit))
    with (
        HistoryStore.open(database) as store,
        running(create_app(shipped_kb, store=store, config=config)) as url,
    ):
        yield url, audit


@pytest.fixture(scope="module")
def client(served: tuple[str, Path]) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=served[0], timeout=60) as made:
        yield made


def _as(secrets: tuple[Path, dict[str, str]], name: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secrets[1][name]}"}


def _problem(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    assert "Traceback" not in response.text
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    return body


def _nothing_of_the_other(response: httpx.Response) -> None:
    for word in OTHER_WORDS:
        assert word not in response.text, (word, response.text[:500])


def _send(client: httpx.Client, method: str, path: str, **extra: Any) -> httpx.Response:
    body = json.dumps(manufacturer()).encode() if method == "POST" else None
    return client.request(method, path, content=body, **extra)


# --- no token, a wrong token, the wrong scope ------------------------------------------------


@pytest.mark.parametrize(("method", "path", "scope"), GUARDED)
def test_no_token_is_401_with_a_bearer_challenge(
    client: httpx.Client, method: str, path: str, scope: str
) -> None:
    answer = _send(client, method, path)
    found = _problem(answer, 401)
    assert answer.headers["www-authenticate"] == 'Bearer realm="modeadvisor"'
    assert found["problems"][0]["file"] == "Authorization"
    assert "Bearer" in found["detail"]
    _nothing_of_the_other(answer)
    assert "units" not in answer.text  # no advice


@pytest.mark.parametrize(
    "header",
    [
        "Bearer mdv_not-a-token-the-server-knows",
        "Bearer mdv_",
        "Basic dXNlcjpwYXNz",
        "bearer",
        "Bearer " + "x" * 5000,
        "Bearer mdv_\u00e4\u00e4kk\u00f6set",
    ],
)
def test_a_wrong_token_is_401_and_says_it_is_invalid(client: httpx.Client, header: str) -> None:
    answer = client.get(f"/history/{KEY}", headers={b"Authorization": header.encode("utf-8")})
    _problem(answer, 401)
    assert answer.headers["www-authenticate"].endswith('error="invalid_token"')
    assert '"assessments"' not in answer.text


def test_health_and_the_document_stay_open(client: httpx.Client) -> None:
    assert client.get("/health").status_code == 200
    document = client.get("/openapi.json").json()
    scheme = document["components"]["securitySchemes"]["bearer"]
    assert scheme["type"] == "http"
    assert scheme["scheme"] == "bearer"
    assert document["paths"]["/assess"]["post"]["security"] == [{"bearer": []}]
    assert "security" not in document["paths"]["/health"]["get"]
    assert {"401", "403"} <= set(document["paths"]["/history/{organisation}"]["get"]["responses"])


@pytest.mark.parametrize(("method", "path", "scope"), GUARDED)
def test_a_token_without_the_scope_is_403(
    client: httpx.Client,
    secrets: tuple[Path, dict[str, str]],
    method: str,
    path: str,
    scope: str,
) -> None:
    holder = "writer" if scope == "assess" else "assessor"
    answer = _send(client, method, path, headers=_as(secrets, holder))
    found = _problem(answer, 403)
    assert f"token '{holder}' has no '{scope}' scope" == found["detail"]
    assert f'scope="{scope}"' in answer.headers["www-authenticate"]
    assert "units" not in answer.text


def test_each_scope_opens_its_own_operations(
    client: httpx.Client, secrets: tuple[Path, dict[str, str]]
) -> None:
    assert _send(client, "POST", "/assess", headers=_as(secrets, "assessor")).status_code == 200
    assert client.get("/traits", headers=_as(secrets, "assessor")).status_code == 200
    read = client.get(f"/history/{KEY}", headers=_as(secrets, "reader"))
    assert read.status_code == 200
    assert read.json()["organisation"] == KEY
    admin = client.get(f"/history/{OTHER_KEY}", headers=_as(secrets, "operator"))
    assert admin.status_code == 200
    assert admin.json()["organisation"] == OTHER_KEY
    # history-write alone may not assess, and saving needs it besides assess
    saved = client.post("/assess?save=true", json=manufacturer(), headers=_as(secrets, "reader"))
    assert saved.status_code == 200
    assert saved.headers["location"] == f"/history/{KEY}"
    refused = client.post("/assess?save=1", json=manufacturer(), headers=_as(secrets, "assessor"))
    assert _problem(refused, 403)["detail"] == "token 'assessor' has no 'history-write' scope"


# --- another organisation -------------------------------------------------------------------


def _without(body: dict[str, Any], asked: str) -> str:
    return json.dumps(body).replace(json.dumps(asked)[1:-1], "ASKED")


def test_an_organisation_the_token_may_not_see_is_answered_as_one_never_saved(
    client: httpx.Client, secrets: tuple[Path, dict[str, str]]
) -> None:
    reader = _as(secrets, "reader")
    for method in ("GET", "DELETE"):
        headers = reader if method == "GET" else _as(secrets, "operator")
        if method == "DELETE":  # the operator sees all: the reader's refusal is by scope
            assert _problem(client.delete(f"/history/{OTHER_KEY}", headers=reader), 403)
            continue
        hidden = client.request(method, f"/history/{OTHER_KEY}", headers=headers)
        absent = client.request(method, "/history/no-such-organisation", headers=headers)
        assert hidden.status_code == absent.status_code == 404
        same = ("content-type", "www-authenticate", "location")
        assert [hidden.headers.get(h) for h in same] == [absent.headers.get(h) for h in same]
        assert _without(hidden.json(), OTHER_KEY) == _without(absent.json(), "no-such-organisation")
        by_name = client.get(f"/history/{quote(OTHER)}", headers=reader)
        assert _without(by_name.json(), OTHER) == _without(absent.json(), "no-such-organisation")
        for answer in (hidden, absent, by_name):
            assert OTHER_KEY not in (answer.json()["problems"][0]["hint"] or "")
            assert "Kirjastopalvelut" not in answer.text
    # the hint names only what the token sees
    close = _problem(client.get("/history/pohjolan-konepaja-oi", headers=reader), 404)
    assert close["problems"][0]["hint"] == f"did you mean '{KEY}'?"


def test_a_token_may_not_save_an_organisation_it_does_not_see(
    client: httpx.Client, secrets: tuple[Path, dict[str, str]]
) -> None:
    operator = _as(secrets, "operator")
    before = len(client.get(f"/history/{OTHER_KEY}", headers=operator).json()["assessments"])
    refused = client.post("/assess?save=true", json=library(), headers=_as(secrets, "reader"))
    found = _problem(refused, 403)
    assert found["detail"] == "token 'reader' may not save assessments of this organisation"
    _nothing_of_the_other(refused)
    after = len(client.get(f"/history/{OTHER_KEY}", headers=operator).json()["assessments"])
    assert after == before


@pytest.mark.parametrize(
    "asked",
    [
        f"..%2F{OTHER_KEY}",
        f"%2e%2e%2f{OTHER_KEY}",
        f"{KEY}%2F..%2F{OTHER_KEY}",
        f"{KEY}%2F{OTHER_KEY}",
        f"{OTHER_KEY}%00",
        f"{KEY}%00{OTHER_KEY}",
        "%00",
        "x" * 5000,
        quote(FULL_WIDTH),  # full width: the same key
        quote("j\u0430rvelan-kaupunginkirjasto"),  # a Cyrillic a
        quote("J\u0301ärvelän kaupunginkirjasto"),
        "%E2%80%AEjarvelan",  # a right-to-left override
        "%ff%fe",
        "%2e%2e",
        "%20",
    ],
)
def test_path_tricks_in_an_organisation_name_find_nothing_of_another(
    client: httpx.Client, secrets: tuple[Path, dict[str, str]], asked: str
) -> None:
    for method in ("GET", "DELETE"):
        headers = _as(secrets, "reader")
        answer = client.request(method, f"/history/{asked}", headers=headers)
        assert answer.status_code in (403, 404, 422), (asked, answer.status_code, answer.text)
        assert answer.headers["content-type"] == PROBLEM
        assert '"assessments"' not in answer.text
        assert "Kirjastopalvelut" not in answer.text
    # the operator sees every organisation, but only the one the name itself is the key of
    seen = client.get(f"/history/{asked}", headers=_as(secrets, "operator"))
    assert seen.status_code in (200, 404, 422)
    if seen.status_code == 200:
        assert seen.json()["organisation"] == organisation_key(unquote(asked))


# --- bodies ---------------------------------------------------------------------------------


def test_bodies_are_checked_only_after_the_token(
    served: tuple[str, Path], client: httpx.Client, secrets: tuple[Path, dict[str, str]]
) -> None:
    host, port = served[0].removeprefix("http://").split(":")

    def head(extra: str) -> str:
        with socket.create_connection((host, int(port)), timeout=30) as conn:
            conn.sendall(
                f"POST /assess HTTP/1.1\r\nHost: x\r\n{extra}Content-Length: 5000000000\r\n\r\n".encode()
            )
            received = b""
            while b"\r\n\r\n" not in received and (chunk := conn.recv(65536)):
                received += chunk
        return received.decode("latin-1")

    assert head("").startswith("HTTP/1.1 401")  # nothing read for a caller without a token
    token = secrets[1]["assessor"]
    assert head(f"Authorization: Bearer {token}\r\n").startswith("HTTP/1.1 413")
    assessor = _as(secrets, "assessor")
    for body, kind in [
        (b"{not json", "application/json"),
        (b"\x00\x01\x02" * 100, "application/octet-stream"),
        (b"organisation=x&units=y", "application/x-www-form-urlencoded"),
        (
            b"--b\r\nContent-Disposition: form-data\r\n\r\nx\r\n--b--",
            "multipart/form-data; boundary=b",
        ),
        (b"<organisation/>", "text/xml"),
        ("organisation: Ä\nunits: []\n".encode("utf-16"), "application/yaml"),
        (json.dumps([manufacturer()]).encode(), "application/json"),
        (json.dumps({**manufacturer(), "units": "all"}).encode(), "application/json"),
        (json.dumps({**manufacturer(), "organisation": f"{NAME}\x00"}).encode(), "text/plain"),
    ]:
        answer = client.post(
            "/assess?save=true",
            content=body,
            headers={**_as(secrets, "reader"), "content-type": kind},
        )
        found = _problem(answer, 422)
        assert found["problems"]
        assert {p["file"] for p in found["problems"]} <= {"request body"}
        _nothing_of_the_other(answer)
        if b"\\u0000" not in body:  # a NUL only the history cannot keep
            assert _problem(
                client.post(
                    "/explain?unit=rnd", content=body, headers={**assessor, "content-type": kind}
                ),
                422,
            )


# --- the audit log --------------------------------------------------------------------------


def test_every_history_operation_is_audited_without_the_advice(
    client: httpx.Client, served: tuple[str, Path], secrets: tuple[Path, dict[str, str]]
) -> None:
    audit = served[1]
    start = len(audit.read_text("utf-8").splitlines()) if audit.exists() else 0
    reader, operator = _as(secrets, "reader"), _as(secrets, "operator")
    saved = client.post("/assess?save=true", json=manufacturer(), headers=reader)
    client.get(f"/history/{KEY}", headers=reader)
    client.get(f"/history/{OTHER_KEY}", headers=reader)
    client.get(f"/history/{KEY}")
    client.post("/assess?save=true", json=library(), headers=reader)
    client.delete(f"/history/{KEY}", params={"before": "2000-01-01"}, headers=operator)
    client.post("/assess", json=manufacturer(), headers=reader)  # not the history's: not logged
    lines = [json.loads(line) for line in audit.read_text("utf-8").splitlines()[start:]]
    shown = [
        (e["operation"], e["who"], e["organisation"], e["records"], e["status"]) for e in lines
    ]
    read = client.get(f"/history/{KEY}", headers=reader).json()
    assert shown == [
        ("history-write", "reader", KEY, 1, 200),
        ("history-read", "reader", KEY, len(read["assessments"]), 200),
        ("history-read", "reader", OTHER_KEY, None, 404),
        ("history-read", "anonymous", KEY, None, 401),
        ("history-write", "reader", OTHER_KEY, None, 403),
        ("history-delete", "operator", KEY, 0, 200),
    ]
    assert all(e["client"] == "127.0.0.1" and e["at"].endswith("+00:00") for e in lines)
    text = "\n".join(audit.read_text("utf-8").splitlines()[start:])
    advice = json.loads(saved.text)
    words = {v for v in _strings(advice) if len(v) > 12} | set(OTHER_WORDS[1:])
    assert words
    assert not [w for w in words if w in text]


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


# --- CORS and rates -------------------------------------------------------------------------


def _preflight(client: httpx.Client, origin: str) -> httpx.Response:
    return client.options(
        "/assess",
        headers={
            "Origin": origin,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization, content-type",
        },
    )


def test_cors_is_off_unless_an_origin_is_given(
    shipped_kb: KnowledgeBase, client: httpx.Client, secrets: tuple[Path, dict[str, str]]
) -> None:
    off = _preflight(client, "https://dash.example")
    assert "access-control-allow-origin" not in off.headers
    config = ServerConfig(tokens=str(secrets[0]), cors_origins=("https://dash.example",))
    with running(create_app(shipped_kb, config=config)) as url, httpx.Client(base_url=url) as on:
        allowed = _preflight(on, "https://dash.example")
        assert allowed.status_code == 200
        assert allowed.headers["access-control-allow-origin"] == "https://dash.example"
        assert "authorization" in allowed.headers["access-control-allow-headers"].lower()
        other = _preflight(on, "https://evil.example")
        assert other.status_code == 400
        assert "access-control-allow-origin" not in other.headers
        refused = on.get("/traits", headers={"Origin": "https://dash.example"})
        assert refused.status_code == 401  # the browser may read why
        assert refused.headers["access-control-allow-origin"] == "https://dash.example"


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_a_caller_over_its_rate_is_429_with_retry_after(
    shipped_kb: KnowledgeBase, secrets: tuple[Path, dict[str, str]]
) -> None:
    clock = Clock()
    config = ServerConfig(tokens=str(secrets[0]), rate=(2, 60))
    app = create_app(shipped_kb, config=config, clock=clock)
    with running(app) as url, httpx.Client(base_url=url) as client:
        assessor, operator = _as(secrets, "assessor"), _as(secrets, "operator")
        assert [client.get("/traits", headers=assessor).status_code for _ in range(2)] == [200] * 2
        over = client.get("/traits", headers=assessor)
        found = _problem(over, 429)
        assert over.headers["retry-after"] == "30"
        assert "more than 2 requests in 60 s" in found["detail"]
        assert client.get("/traits", headers=operator).status_code == 200  # its own bucket
        assert client.get("/health").status_code == 200  # not counted
        # guessing tokens is as slow as the rate: counted against the address
        assert [client.get("/traits").status_code for _ in range(3)] == [401, 401, 429]
        clock.now += 30
        assert client.get("/traits", headers=assessor).status_code == 200
        assert client.get("/traits", headers=assessor).status_code == 429
    document = app.openapi()
    assert "429" in document["paths"]["/traits"]["get"]["responses"]


def test_without_tokens_the_rate_is_per_address_and_everything_is_open(
    shipped_kb: KnowledgeBase,
) -> None:
    clock = Clock()
    app = create_app(shipped_kb, config=ServerConfig(rate=(1, 10)), clock=clock)
    with running(app) as url, httpx.Client(base_url=url) as client:
        assert client.get("/traits").status_code == 200
        assert client.get("/traits").headers["retry-after"] == "10"
    assert "securitySchemes" not in app.openapi().get("components", {})


# --- PostgreSQL -----------------------------------------------------------------------------


def test_on_postgresql_a_token_sees_only_its_organisations(
    shipped_kb: KnowledgeBase, postgres_url: str, secrets: tuple[Path, dict[str, str]]
) -> None:
    _saved(postgres_url, shipped_kb)
    config = ServerConfig(tokens=str(secrets[0]))
    with (
        HistoryStore.open(postgres_url) as store,
        running(create_app(shipped_kb, store=store, config=config)) as url,
        httpx.Client(base_url=url, timeout=60) as client,
    ):
        reader = _as(secrets, "reader")
        assert client.get(f"/history/{KEY}", headers=reader).status_code == 200
        hidden = client.get(f"/history/{OTHER_KEY}", headers=reader)
        absent = client.get("/history/no-such-organisation", headers=reader)
        assert _without(_problem(hidden, 404), OTHER_KEY) == _without(
            _problem(absent, 404), "no-such-organisation"
        )
        for trick in (f"{OTHER_KEY}%00", "%00", "x" * 5000):
            answer = client.get(f"/history/{trick}", headers=reader, params={"unit": "a\x00b"})
            assert answer.status_code in (404, 422), answer.text
            _nothing_of_the_other(answer)
        unit = client.get(f"/history/{KEY}", headers=reader, params={"unit": "rnd\x00"})
        assert unit.status_code in (404, 422), unit.text
        nul = client.post(
            "/assess?save=true",
            json={**manufacturer(), "organisation": f"{NAME}\x00"},
            headers=reader,
        )
        assert "NUL" in _problem(nul, 422)["detail"]  # PostgreSQL cannot keep it: said, not a 503
        assert client.delete(f"/history/{OTHER_KEY}", headers=reader).status_code == 403
        erased = client.delete(f"/history/{OTHER_KEY}", headers=_as(secrets, "operator"))
        assert erased.json() == {"organisation": OTHER_KEY, "deleted": 1}


_SPELLINGS = st.sampled_from([OTHER, OTHER_KEY, NAME, KEY])
_CHANGES = st.sampled_from(
    [
        str.upper,
        str.title,
        lambda t: t.replace("-", " "),
        lambda t: t.replace(" ", "--"),
        lambda t: unicodedata.normalize("NFD", t),
        lambda t: "".join(chr(ord(c) + 0xFEE0) if c.isascii() and c.isalpha() else c for c in t),
        lambda t: t + "\x00",
        lambda t: "../" + t,
        lambda t: t + "/..",
    ]
)


@settings(max_examples=60, deadline=None, database=None, derandomize=True)
@given(
    spelling=_SPELLINGS,
    changes=st.lists(_CHANGES, max_size=3),
    around=st.tuples(st.text(max_size=3), st.text(max_size=3)),
)
def test_no_spelling_of_another_organisation_reaches_its_history(
    client: httpx.Client,
    secrets: tuple[Path, dict[str, str]],
    spelling: str,
    changes: list[Any],
    around: tuple[str, str],
) -> None:
    asked = spelling
    for change in changes:
        asked = change(asked)
    asked = around[0] + asked + around[1]
    answer = client.get(f"/history/{quote(asked, safe='')}", headers=_as(secrets, "reader"))
    assert answer.status_code in (200, 404, 422), answer.text
    if answer.status_code == 200:  # only its own organisation, however spelt
        assert answer.json()["organisation"] == KEY
        assert organisation_key(asked) == KEY
    for word in OTHER_WORDS[1:]:
        assert word not in answer.text
