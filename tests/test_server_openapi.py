"""Property-based requests from the server's own OpenAPI document (schemathesis), sent over HTTP
to a real server on a loopback port: whatever a client sends, the answer is never a 5xx, its
status is one the document declares and its content type the one declared for that status."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.result import Ok
from schemathesis.specs.openapi.checks import content_type_conformance, status_code_conformance

from modeadvisor import KnowledgeBase
from modeadvisor.server import create_app

from .conftest import ROOT
from .serving import running

#: Examples per operation: twelve operations in about 20 s on two shared cores (measured).
EXAMPLES = 100
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance]


@pytest.fixture(scope="module")
def served(
    shipped_kb: KnowledgeBase, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, dict[str, Any]]]:
    """A server keeping a history (SQLite), so that its operations are sent requests too."""
    history = pytest.importorskip("modeadvisor.history")
    database = tmp_path_factory.mktemp("history") / "history.sqlite3"
    with history.HistoryStore.open(database) as store:
        app = create_app(shipped_kb, store=store)
        with running(app) as url:
            yield url, app.openapi()


def _operations(document: dict[str, Any]) -> list[schemathesis.APIOperation[Any, Any, Any, Any]]:
    """Every operation of the document as schemathesis reads it (one it cannot read fails)."""
    found = []
    for result in schemathesis.openapi.from_dict(document).get_all_operations():
        if not isinstance(result, Ok):
            raise AssertionError(f"schemathesis cannot read an operation: {result.err()}")
        found.append(result.ok())
    return found


def _strategies(document: dict[str, Any]) -> Iterator[tuple[str, st.SearchStrategy[Any]]]:
    """For each operation, requests of every body type it takes, valid and invalid."""
    for operation in _operations(document):
        declared = document["paths"][operation.path][operation.method]
        media = list(declared.get("requestBody", {}).get("content", {})) or [None]
        modes = (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
        yield (
            f"{operation.method.upper()} {operation.path}",
            st.one_of([operation.as_strategy(m, media_type=t) for t in media for m in modes]),
        )


def test_schemathesis_reads_every_operation_and_body_type(
    served: tuple[str, dict[str, Any]],
) -> None:
    _, document = served
    operations = _operations(document)
    assert len(operations) == 12  # ten questions, and the history read and erased
    assess = next(o for o in operations if o.path == "/assess")
    # the organisation's schema resolves in the document: JSON bodies are generated from it
    assert [body.media_type for body in assess.body] == ["application/json", "application/yaml"]


def _fuzz(
    url: str,
    name: str,
    strategy: st.SearchStrategy[Any],
    seen: Counter[str],
    *,
    headers: dict[str, str] | None = None,
    bodies: list[str] | None = None,
    examples: int = EXAMPLES,
) -> None:
    """Every request the strategy makes sent to the server (with `headers`) and checked;
    statuses counted in `seen`, answers' bodies kept in `bodies` when given."""

    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy)
    def check(case: schemathesis.Case[Any]) -> None:
        response = case.call_and_validate(base_url=url, checks=CHECKS, headers=headers, timeout=60)
        seen[f"{name} {response.status_code}"] += 1
        if bodies is not None:
            bodies.append(response.text)

    check()


@pytest.mark.slow
def test_no_request_from_the_document_gets_a_server_error(
    served: tuple[str, dict[str, Any]],
) -> None:
    url, document = served
    seen: Counter[str] = Counter()
    for name, strategy in _strategies(document):
        _fuzz(url, name, strategy, seen)
    # valid organisations were generated and assessed, not only refused
    assert seen["POST /assess 200"], seen
    assert seen["POST /report 200"], seen


@pytest.mark.slow
def test_any_body_is_advice_or_located_problems(
    served: tuple[str, dict[str, Any]],
) -> None:
    url, _ = served
    with httpx.Client(base_url=url, timeout=60) as client:

        @settings(max_examples=60, deadline=None, database=None, derandomize=True)
        @given(
            body=st.binary(max_size=300) | st.text(max_size=300).map(str.encode),
            path=st.sampled_from(["/assess", "/explain?unit=a", "/report", "/batch"]),
        )
        def check(body: bytes, path: str) -> None:
            answer = client.post(path, content=body)
            assert answer.status_code in (200, 422), answer.text
            if answer.status_code == 422:
                assert answer.headers["content-type"] == "application/problem+json"
                problems = answer.json()["problems"]
                assert problems
                assert {p["file"] for p in problems} <= {"request body", "query"}

        check()


# --- with tokens: the same requests without credentials, and with a token of each kind -------

#: Examples per operation and credentials: three runs of twelve operations (measured below).
GUARDED_EXAMPLES = 25
OPEN = {"GET /health"}


@pytest.fixture(scope="module")
def guarded(
    shipped_kb: KnowledgeBase, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, dict[str, Any], dict[str, str]]]:
    """A server with tokens and a history of two organisations: the tokens by holder."""
    history = pytest.importorskip("modeadvisor.history")
    from modeadvisor.server import ServerConfig
    from modeadvisor.server._tokens import Tokens

    from .histories import NAME, manufacturer

    folder = tmp_path_factory.mktemp("guarded")
    tokens, reader = Tokens().added("reader", ["assess", "history-read", "history-write"], [NAME])
    tokens, operator = tokens.added("operator", ["admin"])
    tokens.write(folder / "tokens.yaml")
    library = (ROOT / "examples" / "city-library.yaml").read_bytes()
    with history.HistoryStore.open(folder / "history.sqlite3") as store:
        with (
            running(create_app(shipped_kb, store=store)) as url,  # both saved, no tokens
            httpx.Client(base_url=url, timeout=60) as client,
        ):
            assert client.post("/assess?save=true", json=manufacturer()).is_success
            assert client.post("/assess?save=true", content=library).is_success
        config = ServerConfig(tokens=str(folder / "tokens.yaml"))
        app = create_app(shipped_kb, store=store, config=config)
        with running(app) as url:
            yield url, app.openapi(), {"reader": reader, "operator": operator}


def _fuzz_as(
    url: str, document: dict[str, Any], headers: dict[str, str], seen: Counter[str]
) -> list[str]:
    """Every operation fuzzed with these headers; the bodies of every answer."""
    bodies: list[str] = []
    for name, strategy in _strategies(document):
        _fuzz(url, name, strategy, seen, headers=headers, bodies=bodies, examples=GUARDED_EXAMPLES)
    return bodies


@pytest.mark.slow
def test_without_credentials_every_guarded_operation_is_401(
    guarded: tuple[str, dict[str, Any], dict[str, str]],
) -> None:
    url, document, _ = guarded
    seen: Counter[str] = Counter()
    _fuzz_as(url, document, {}, seen)
    for key, count in seen.items():
        name, status = key.rsplit(" ", 1)
        if name in OPEN:
            continue
        # 401 before anything of the request is read; 404 only where no route matched
        assert status in ("401", "404"), (key, count)
    assert sum(n for k, n in seen.items() if k.endswith(" 401")) > sum(
        n for k, n in seen.items() if k.endswith(" 404")
    )


@pytest.mark.slow
def test_with_a_token_no_request_gets_a_server_error_or_another_organisation(
    guarded: tuple[str, dict[str, Any], dict[str, str]],
) -> None:
    url, document, tokens = guarded
    seen: Counter[str] = Counter()
    reader = _fuzz_as(url, document, {"Authorization": f"Bearer {tokens['reader']}"}, seen)
    for body in reader:  # the organisation the reader may not see: not a word of it
        assert "Järvelän" not in body
        assert "jarvelan" not in body
        assert "Kirjastopalvelut" not in body
    assert seen["POST /assess 200"], seen
    _fuzz_as(url, document, {"Authorization": f"Bearer {tokens['operator']}"}, seen)
    assert not [
        key for key in seen if key.endswith(tuple(f" 5{d}{e}" for d in "0" for e in "0123456789"))
    ]
