"""The HTTP API's history: `POST /assess?save=true`, `GET` and `DELETE /history/{organisation}`,
against a real server on loopback with SQLite and with a real PostgreSQL."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from modeadvisor import KnowledgeBase
from modeadvisor.cli import main
from modeadvisor.history import HistoryStore
from modeadvisor.server import create_app

from .histories import KEY, NAME, manufacturer, reorganised
from .serving import running


@pytest.fixture
def client(shipped_kb: KnowledgeBase, database: str) -> Iterator[httpx.Client]:
    with (
        HistoryStore.open(database) as store,
        running(create_app(shipped_kb, store=store)) as base,
        httpx.Client(base_url=base, timeout=60) as found,
    ):
        yield found


def _problem(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    return body


def test_saved_assessments_come_back_as_their_changes(
    client: httpx.Client, capsys: pytest.CaptureFixture[str], tmp_path: Any
) -> None:
    first = client.post("/assess?save=true", json=manufacturer())
    assert first.status_code == 200, first.text
    assert first.headers["location"] == f"/history/{KEY}"
    path = tmp_path / "org.json"
    path.write_text(json.dumps(manufacturer()), encoding="utf-8")
    assert main(["assess", str(path), "--format", "json"]) == 0
    assert first.text == capsys.readouterr().out  # saving changes nothing of the answer
    assert client.post("/assess?save=true", json=reorganised()).status_code == 200
    for asked in (KEY, NAME):  # by its key or by its name
        history = client.get(f"/history/{asked}")
        assert history.status_code == 200, history.text
        found = history.json()
        assert found["organisation"] == KEY
        assert len(found["assessments"]) == 2
        assert len(found["changes"]) == 1
    unit = client.get(f"/history/{KEY}", params={"unit": "rnd"}).json()
    assert {u["id"] for a in unit["assessments"] for u in a["units"]} == {"rnd"}
    erased = client.delete(f"/history/{KEY}")
    assert erased.json() == {"organisation": KEY, "deleted": 2}
    gone = _problem(client.get(f"/history/{KEY}"), 404)
    assert gone["type"].endswith("unknown-organisation")


def test_the_history_refuses_what_it_cannot_do(client: httpx.Client) -> None:
    assert client.post("/assess?save=true", json=manufacturer()).status_code == 200
    bad_date = _problem(client.delete(f"/history/{KEY}", params={"before": "yesterday"}), 422)
    assert bad_date["problems"][0]["file"] == "query"
    assert "not a date" in bad_date["problems"][0]["message"]
    assert _problem(client.get("/history/nobody"), 404)["problems"]
    _problem(client.get(f"/history/{KEY}", params={"unit": "rdn"}), 422)
    assert client.get("/history/..%2F..%2Fetc%2Fpasswd").status_code == 404
    kept = client.delete(f"/history/{KEY}", params={"before": "2000-01-01"})
    assert kept.json()["deleted"] == 0


def test_a_server_without_a_history_says_so(shipped_kb: KnowledgeBase) -> None:
    with running(create_app(shipped_kb)) as base, httpx.Client(base_url=base) as client:
        refused = _problem(client.post("/assess?save=true", json=manufacturer()), 404)
        assert "keeps no history" in refused["problems"][0]["message"]
        assert "--db URL" in refused["problems"][0]["hint"]
        assert _problem(client.get(f"/history/{KEY}"), 404)["type"].endswith("no-history")
        assert client.post("/assess", json=manufacturer()).status_code == 200
