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


def _fuzz(url: str, name: str, strategy: st.SearchStrategy[Any], seen: Counter[str]) -> None:
    """Every request the strategy makes sent to the server and checked; statuses counted."""

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy)
    def check(case: schemathesis.Case[Any]) -> None:
        response = case.call_and_validate(base_url=url, checks=CHECKS, timeout=60)
        seen[f"{name} {response.status_code}"] += 1

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
