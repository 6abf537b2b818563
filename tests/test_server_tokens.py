"""Access to the server without a server: the token file, the rate buckets, the audit log and
the `token` and `serve` commands' checks (none of these import FastAPI)."""

from __future__ import annotations

import json
import logging
import stat
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from modeadvisor.cli import main
from modeadvisor.errors import Problem
from modeadvisor.server._audit import AuditLog, Entry
from modeadvisor.server._rates import Buckets, Rate
from modeadvisor.server._tokens import (
    PREFIX,
    SCOPES,
    Token,
    TokenFileError,
    Tokens,
    digest,
    open_to_others,
)

HASH = "a" * 64


def _file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "tokens.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _problems(path: Path) -> list[tuple[int | None, str, str | None]]:
    with pytest.raises(TokenFileError) as caught:
        Tokens.read(path)
    assert all(p.location.file.endswith("tokens.yaml") for p in caught.value.problems)
    return [(p.location.line, p.message, p.hint) for p in caught.value.problems]


# --- the token file -------------------------------------------------------------------------


def test_a_token_made_is_found_by_itself_and_the_file_holds_only_its_hash(tmp_path: Path) -> None:
    path = tmp_path / "tokens.yaml"
    tokens, secret = Tokens().added("dashboard", ["assess", "history-read"], ["Pohjolan Oy"])
    tokens, other = tokens.added("operator", ["admin"])
    tokens.write(path)
    assert secret.startswith(PREFIX)
    assert len(secret) == len(PREFIX) + 43
    text = path.read_text("utf-8")
    assert secret not in text
    assert other not in text
    assert digest(secret) in text
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    read = Tokens.read(path)
    found = read.find(secret)
    assert found is not None
    assert found.name == "dashboard"
    assert found.scopes == {"assess", "history-read"}
    assert found.sees("pohjolan-oy")
    assert found.sees("POHJOLAN  OY")
    assert not found.sees("Muu Oy")
    admin = read.find(other)
    assert admin is not None
    assert admin.sees("anything")
    assert admin.allows("history-write")
    assert read.find(secret[:-1]) is None
    assert read.find("") is None


@settings(max_examples=200)
@given(presented=st.text(max_size=80))
def test_no_other_text_is_a_token(presented: str) -> None:
    tokens = Tokens([Token("a", digest(PREFIX + "x" * 43), frozenset({"assess"}))])
    assert (tokens.find(presented) is not None) == (presented == PREFIX + "x" * 43)


@given(scopes=st.sets(st.sampled_from(SCOPES), min_size=1))
def test_admin_allows_everything_and_others_only_their_own(scopes: set[str]) -> None:
    token = Token("t", HASH, frozenset(scopes), ("Pohjolan Oy",))  # type: ignore[arg-type]
    for scope in SCOPES:
        assert token.allows(scope) == ("admin" in scopes or scope in scopes)
    assert token.sees("Muu Oy") == ("admin" in scopes)


def test_a_misspelt_scope_is_located_with_a_did_you_mean(tmp_path: Path) -> None:
    path = _file(
        tmp_path,
        f"tokens:\n- name: dashboard\n  sha256: {HASH}\n  scopes: [assess, history-raed]\n",
    )
    assert _problems(path) == [(4, "unknown scope 'history-raed'", "did you mean 'history-read'?")]


def test_every_mistake_of_the_file_is_listed_at_once(tmp_path: Path) -> None:
    path = _file(
        tmp_path,
        "tokens:\n"
        f"- name: ok\n  sha256: {HASH}\n  scopes: [assess]\n"
        f"- name: ok\n  sha256: {HASH}\n  scopes: [admin]\n  organisations: [A]\n"
        "- name: 'two words'\n  sha256: secret\n  scopes: []\n  scope: [assess]\n"
        "- just text\n"
        "- {name: nohash, scopes: [assess]}\n"
        "- {name: orgs, sha256: " + "b" * 64 + ", scopes: [assess], organisations: []}\n",
    )
    found = _problems(path)
    messages = [message for _, message, _ in found]
    assert "token name 'ok' is used twice (first on line 2)" in messages
    assert "this hash is given twice (first on line 3): one token, two names" in messages
    assert any(m.startswith("an admin token sees every organisation") for m in messages)
    assert any(m.startswith("a token's name is 1 to 100") and "'two words'" in m for m in messages)
    assert any(m.startswith("sha256 is 64 hexadecimal digits") for m in messages)
    assert any(m.startswith("scopes is a non-empty list") for m in messages)
    assert ("unknown key 'scope'") in messages
    assert any(h == "did you mean 'scopes'?" for _, _, h in found)
    assert any(m.startswith("a token: a mapping") for m in messages)
    assert "token without 'sha256'" in messages
    assert any(m.startswith("organisations is a non-empty list") for m in messages)
    assert all(line is not None for line, _, _ in found)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("- a list\n", "a token file: a mapping with `tokens:`"),
        ("tokenz: []\n", "a token file: a mapping with `tokens:`"),
        ("tokens: {}\nmore: 1\n", "unknown key 'more'"),
        ("tokens: 3\n", "'tokens' is a list of tokens, found a number"),
        ("tokens: [\n", "YAML"),
    ],
)
def test_a_file_of_another_shape_says_what_is_expected(
    tmp_path: Path, text: str, expected: str
) -> None:
    messages = " ".join(message for _, message, _ in _problems(_file(tmp_path, text)))
    assert expected.lower() in messages.lower()


def test_an_empty_file_has_no_tokens_and_a_missing_one_is_located(tmp_path: Path) -> None:
    assert len(Tokens.read(_file(tmp_path, ""))) == 0
    assert len(Tokens.read(_file(tmp_path, "tokens: []\n"))) == 0
    with pytest.raises(TokenFileError, match="cannot read file"):
        Tokens.read(tmp_path / "missing.yaml")


def test_adding_and_removing_refuse_what_cannot_be() -> None:
    tokens, _ = Tokens().added("a", ["assess"])
    with pytest.raises(TokenFileError, match="already in the file"):
        tokens.added("a", ["assess"])
    with pytest.raises(TokenFileError, match="admin token sees every organisation"):
        tokens.added("b", ["admin"], ["Pohjolan Oy"])
    with pytest.raises(TokenFileError, match="name is 1 to 100"):
        tokens.added("two words", ["assess"])
    with pytest.raises(TokenFileError, match="organisations is a non-empty list") as empty:
        tokens.added("c", ["assess"], [" "])
    assert empty.value.problems[0].location.file == "--organisation"
    with pytest.raises(TokenFileError) as caught:
        tokens.removed("b")
    assert caught.value.problems[0].message == "no token named 'b' in the file"
    assert len(tokens.removed("a")) == 0


def test_a_file_others_may_read_is_warned_about(tmp_path: Path) -> None:
    path = _file(tmp_path, "tokens: []\n")
    path.chmod(0o600)
    assert open_to_others(path) is None
    path.chmod(0o644)
    warning = open_to_others(path)
    assert warning is not None
    assert "chmod 600" in warning
    assert "644" in warning
    assert open_to_others(tmp_path / "missing") is None


def test_a_file_that_cannot_be_written_is_located(tmp_path: Path) -> None:
    with pytest.raises(TokenFileError, match="cannot write the file"):
        Tokens().write(tmp_path / "no-such-folder" / "tokens.yaml")


# --- rates ----------------------------------------------------------------------------------


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_bucket_lets_the_rate_through_then_says_when_to_come_back() -> None:
    clock = Clock()
    buckets = Buckets(Rate(3, 60), clock)
    assert [buckets.take("a") for _ in range(3)] == [0.0, 0.0, 0.0]
    assert buckets.take("a") == pytest.approx(20.0)
    assert buckets.take("b") == 0.0  # each caller its own
    clock.now += 19.9
    assert buckets.take("a") == pytest.approx(0.1)
    clock.now += 0.1
    assert buckets.take("a") == 0.0


@settings(max_examples=200)
@given(
    requests=st.integers(1, 20),
    seconds=st.floats(0.5, 100),
    steps=st.lists(st.floats(0, 30), max_size=200),
)
def test_no_window_lets_more_through_than_the_rate_allows(
    requests: int, seconds: float, steps: list[float]
) -> None:
    clock = Clock()
    buckets = Buckets(Rate(requests, seconds), clock)
    admitted: list[float] = []
    for step in steps:
        clock.now += step
        wait = buckets.take("a")
        assert wait >= 0
        if wait == 0:
            admitted.append(clock.now)
    for i, start in enumerate(admitted):  # in any window: the burst, and the refill in it
        within = [t for t in admitted[i:] if t - start <= seconds]
        assert len(within) <= requests + requests * (within[-1] - start) / seconds + 1e-9


def test_many_callers_do_not_grow_the_table_without_end() -> None:
    clock = Clock()
    buckets = Buckets(Rate(2, 10), clock, most=100)
    for caller in range(1000):
        buckets.take(str(caller))
    assert len(buckets) <= 100
    clock.now += 10
    buckets.take("late")
    assert len(buckets) <= 100


@pytest.mark.parametrize(
    ("text", "rate"),
    [("300/60", Rate(300, 60)), (" 5 / 0.5 ", Rate(5, 0.5)), ("off", None), ("OFF", None)],
)
def test_a_rate_is_read_from_its_option(text: str, rate: Rate | None) -> None:
    assert Rate.parse(text) == rate


@pytest.mark.parametrize("text", ["", "300", "0/60", "5/0", "-1/60", "5/s", "1e3/60"])
def test_a_rate_that_is_not_one_says_what_is(text: str) -> None:
    with pytest.raises(ValueError, match="REQUESTS/SECONDS"):
        Rate.parse(text)
    with pytest.raises(ValueError, match="1 request or more"):
        Rate(0, 1)


# --- the audit log --------------------------------------------------------------------------


def test_the_audit_log_appends_one_json_line_per_entry_to_its_file_and_logger(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "audit.jsonl"
    moment = datetime(2026, 3, 12, 9, 30, tzinfo=UTC)
    log = AuditLog(path, clock=lambda: moment)
    log.check()
    with caplog.at_level(logging.INFO, logger="modeadvisor.audit"):
        log.record(Entry("history-read", "dashboard", "10.0.0.1", "pohjolan-oy", 2), 200)
        log.record(Entry("history-delete", client="10.0.0.2"), 401)
    lines = [json.loads(line) for line in path.read_text("utf-8").splitlines()]
    assert lines == [
        {
            "at": "2026-03-12T09:30:00.000+00:00",
            "operation": "history-read",
            "who": "dashboard",
            "client": "10.0.0.1",
            "organisation": "pohjolan-oy",
            "records": 2,
            "status": 200,
        },
        {
            "at": "2026-03-12T09:30:00.000+00:00",
            "operation": "history-delete",
            "who": "anonymous",
            "client": "10.0.0.2",
            "organisation": None,
            "records": None,
            "status": 401,
        },
    ]
    assert [json.loads(r.getMessage()) for r in caplog.records] == lines


# --- the commands ---------------------------------------------------------------------------


def test_token_add_prints_the_token_once_and_list_and_remove_name_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "tokens.yaml"
    args = ["--tokens", str(path)]
    assert main(["token", "add", "dash", "--scope", "assess", "--organisation", "A Oy", *args]) == 0
    out, err = capsys.readouterr()
    secret = out.strip()
    assert secret.startswith(PREFIX)
    assert "shown only now" in err
    assert secret not in path.read_text("utf-8")
    assert main(["token", "add", "ops", "--scope", "admin", *args]) == 0
    capsys.readouterr()
    assert main(["token", "list", *args]) == 0
    assert capsys.readouterr().out == (
        "dash  scopes: assess  sees: A Oy\nops  scopes: admin  sees: every organisation\n"
    )
    assert main(["token", "remove", "dash", *args]) == 0
    assert "removed" in capsys.readouterr().err
    found = Tokens.read(path)
    assert [t.name for t in found] == ["ops"]
    assert found.find(secret) is None
    assert main(["token", "remove", "ops", *args]) == 0
    assert main(["token", "list", *args]) == 0
    assert "no tokens" in capsys.readouterr().err


def test_token_commands_refuse_with_a_located_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "tokens.yaml"
    args = ["--tokens", str(path)]
    assert main(["token", "add", "dash", "--scope", "asess", *args]) == 2
    assert "did you mean 'assess'?" in capsys.readouterr().err
    assert not path.exists()
    assert main(["token", "add", "dash", "--scope", "assess", *args]) == 0
    assert main(["token", "add", "dash", "--scope", "assess", *args]) == 2
    assert "already in the file" in capsys.readouterr().err
    assert main(["token", "remove", "dahs", *args]) == 2
    assert "did you mean 'dash'?" in capsys.readouterr().err
    path.write_text("tokens:\n- name: x\n", encoding="utf-8")
    assert main(["token", "list", *args]) == 2
    err = capsys.readouterr().err
    assert "tokens.yaml:2" in err
    assert "Traceback" not in err


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.168.1.10", "example.org"])
def test_serve_without_tokens_refuses_any_address_but_loopback(
    host: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["serve", "--host", host]) == 2
    err = capsys.readouterr().err
    assert "--tokens FILE" in err
    assert f"'{host}'" in err
    assert "loopback" in err


def test_serve_says_what_is_wrong_with_its_access_options_before_serving(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("uvicorn")
    broken = _file(tmp_path, f"tokens:\n- name: a\n  sha256: {HASH}\n  scopes: [amdin]\n")
    assert main(["serve", "--host", "0.0.0.0", "--tokens", str(broken)]) == 2
    err = capsys.readouterr().err
    assert "tokens.yaml:4" in err
    assert "did you mean 'admin'?" in err
    folder = tmp_path / "audit"
    folder.mkdir()
    assert main(["serve", "--audit-log", str(folder)]) == 2
    assert "--audit-log: cannot append to the audit log" in capsys.readouterr().err
    assert main(["serve", "--rate", "lots"]) == 2
    assert "REQUESTS/SECONDS" in capsys.readouterr().err


def test_loopback_is_told_from_other_addresses() -> None:
    from modeadvisor.server._cli import loopback

    assert all(loopback(h) for h in ("127.0.0.1", "127.8.9.1", "::1", "[::1]", "localhost"))
    assert not any(loopback(h) for h in ("0.0.0.0", "::", "10.0.0.1", "localhost.evil", ""))


def test_the_access_options_reach_every_worker_as_they_were_given(tmp_path: Path) -> None:
    from modeadvisor.limits import DEFAULT_LIMITS
    from modeadvisor.server import ServerConfig
    from modeadvisor.server._cli import Served

    config = ServerConfig(
        tokens=str(tmp_path / "tokens.yaml"),
        cors_origins=("https://a.example", "https://b.example"),
        rate=(300, 60),
        audit_log=str(tmp_path / "audit.jsonl"),
    )
    served = Served(("rules",), DEFAULT_LIMITS, config)
    assert Served.from_json(served.to_json()) == served


def test_serve_warns_of_a_token_file_others_may_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from modeadvisor.server._cli import Access

    path = _file(tmp_path, "tokens: []\n")
    path.chmod(0o604)
    Access(tokens=path, audit_log=tmp_path / "audit.jsonl").check()
    assert "may be read or written by other users (mode 604)" in capsys.readouterr().err
    assert (tmp_path / "audit.jsonl").exists()
    path.chmod(0o600)
    Access(tokens=path).check()
    assert capsys.readouterr().err == ""


_PIECES = st.sampled_from(
    [
        "tokens:",
        "\n- ",
        "\n  ",
        "name: a",
        "sha256: " + HASH,
        "scopes: [assess]",
        "scopes: [admin, amdin]",
        "organisations: [A]",
        "organisations: []",
        "[",
        "{",
        "}",
        ": ",
        "- ",
        "!!python/object:os.system",
        "&a [1]",
        "*a",
        "null",
        "\x00",
        "ä",
    ]
)


@settings(max_examples=300, deadline=None)
@given(text=st.lists(_PIECES | st.text(max_size=5), max_size=25).map("".join))
def test_any_token_file_is_tokens_or_located_problems(text: str) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "tokens.yaml"
        path.write_text(text, encoding="utf-8", errors="surrogateescape")
        problems: tuple[Problem, ...] = ()
        tokens = Tokens()
        try:
            tokens = Tokens.read(path)
        except TokenFileError as error:
            problems = error.problems
            assert problems
        assert all(p.location.file.endswith("tokens.yaml") for p in problems)
        assert all(token.scopes and token.scopes <= set(SCOPES) for token in tokens)
