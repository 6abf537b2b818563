"""Layered packs: a consultant's pack extends another and adds, overrides, disables, translates."""

from __future__ import annotations

from pathlib import Path

import pytest

from modeadvisor import Advisor, KnowledgeBaseError, load_knowledge_base
from modeadvisor.cli import default_lang, lang_source, main
from modeadvisor.errors import display_path
from modeadvisor.knowledge import Lang

from .conftest import DATA, ROOT

MINI = DATA / "mini"
EXAMPLE = ROOT / "examples" / "manufacturer.yaml"


def _pack(
    folder: Path, text: str, pack: str = "pack:\n  id: mine\n  name: {en: Mine}\n  extends: core\n"
) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "pack.yaml").write_text(pack, encoding="utf-8")
    (folder / "more.yaml").write_text(text, encoding="utf-8")
    return folder


def _error(*folders: Path) -> str:
    with pytest.raises(KnowledgeBaseError) as raised:
        load_knowledge_base(*folders)
    return str(raised.value)


RULE = """rules:
  - id: scorecard_culture
    when: own_business_followup >= 4
    weights: {production: 1}
    rationale: {en: "Own figures followed closely.", fi: "Omia lukuja seurataan tarkasti."}
    source: [S-P6]
"""


def test_a_pack_extending_core_gets_the_shipped_pack_below(tmp_path: Path) -> None:
    kb = load_knowledge_base(_pack(tmp_path / "mine", RULE))
    assert kb.layers == ("core", "mine")
    assert kb.info.id == "mine"
    assert "scorecard_culture" in [r.id for r in kb.rules]
    assert len(kb.rules) == 52
    mine = next(r for r in kb.rules if r.id == "scorecard_culture")
    assert (mine.pack, mine.origin.file, mine.origin.line) == ("mine", "more.yaml", 2)
    shipped = next(r for r in kb.rules if r.id == "cost_leadership")
    assert shipped.pack == "core"


def test_evidence_names_the_pack_file_and_line_of_every_fired_rule(tmp_path: Path) -> None:
    advisor = Advisor.from_path(_pack(tmp_path / "mine", RULE))
    evidence = {e.rule: e for e in advisor.assess(EXAMPLE).unit("group").evidence}
    assert (evidence["scorecard_culture"].pack, evidence["scorecard_culture"].origin) == (
        "mine",
        "more.yaml:2:9",
    )
    assert evidence["profitability_first"].pack == "core"


def test_override_replaces_and_disable_removes(tmp_path: Path) -> None:
    text = """rules:
  - id: cost_leadership
    override: true
    when: cost_focus >= 5
    weights: {production: 3}
    rationale: {en: "Stricter."}
    source: [S-P1]
disable:
  rules: [profitability_first]
  links: [{from: production, to: balanced_scorecard}]
"""
    kb = load_knowledge_base(_pack(tmp_path / "mine", text))
    rules = {r.id: r for r in kb.rules}
    assert rules["cost_leadership"].spec.when == "cost_focus >= 5"
    assert rules["cost_leadership"].pack == "mine"
    assert "profitability_first" not in rules
    assert ("production", "balanced_scorecard") not in {(k.source_node, k.target) for k in kb.links}


def test_settings_are_inherited_and_overridden_one_by_one(tmp_path: Path) -> None:
    pack = (
        "pack:\n  id: mine\n  name: {en: Mine}\n  extends: core\n"
        "  settings: {perspective_threshold: 0.2}\n"
    )
    kb = load_knowledge_base(_pack(tmp_path / "mine", "sources: []\n", pack))
    assert kb.settings.perspective_threshold == 0.2
    assert kb.settings.avoid_min == 0.10


def test_translations_fill_texts_of_lower_packs(tmp_path: Path) -> None:
    text = """translations:
  fi:
    rules:
      cost_leadership: {rationale: "Kustannusjohtajuus on tuotantoa."}
"""
    kb = load_knowledge_base(_pack(tmp_path / "mine", text))
    rule = next(r for r in kb.rules if r.id == "cost_leadership")
    assert rule.spec.rationale.fi == "Kustannusjohtajuus on tuotantoa."
    assert rule.spec.rationale.en


def test_several_packs_layer_in_order_and_by_extends(tmp_path: Path) -> None:
    first = _pack(
        tmp_path / "first", RULE, "pack:\n  id: first\n  name: {en: F}\n  extends: core\n"
    )
    second = _pack(
        tmp_path / "second",
        RULE.replace("scorecard_culture", "second_rule"),
        "pack:\n  id: second\n  name: {en: S}\n  extends: first\n",
    )
    for order in ((first, second), (second, first)):
        kb = load_knowledge_base(*order)
        assert kb.layers == ("core", "first", "second")
        assert {"scorecard_culture", "second_rule"} <= {r.id for r in kb.rules}


def test_cli_takes_repeated_packs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    mine = _pack(tmp_path / "mine", RULE)
    assert main(["validate", str(mine)]) == 0
    assert "mine on core" in capsys.readouterr().out
    assert main(["explain", str(EXAMPLE), "--unit", "group", "--pack", str(mine)]) == 0
    assert "more.yaml:2:9" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("text", "pack", "message"),
    [
        (
            "sources: []\n",
            "pack:\n  id: mine\n  name: {en: M}\n  extends: cor\n",
            "extends unknown pack 'cor'",
        ),
        (
            RULE.replace("    when:", "    override: true\n    when:"),
            None,
            "`override: true`, but no pack below defines rule 'scorecard_culture'",
        ),
        (
            RULE.replace("scorecard_culture", "cost_leadership"),
            None,
            "rule 'cost_leadership' is already defined by pack 'core'",
        ),
        (
            "disable:\n  rules: [cost_leadershp]\n",
            None,
            "cannot disable rule 'cost_leadershp': no pack below defines it",
        ),
        (
            "disable:\n  links: [{from: production, to: nothing}]\n",
            None,
            "cannot disable link 'production -> nothing'",
        ),
        (
            "translations:\n  fi:\n    rules:\n      cost_leadershp: {rationale: x}\n",
            None,
            "no rule 'cost_leadershp' to translate",
        ),
        (
            "translations:\n  fi:\n    rules:\n      cost_leadership: {rationle: x}\n",
            None,
            "'rationle' is not a text of rules",
        ),
        ("translations:\n  sv:\n    rules: {}\n", None, "unknown language 'sv'"),
        (
            "disable:\n  rules: [profitability_first]\n",
            "pack:\n  id: alone\n  name: {en: A}\n",
            "`disable` needs a pack below",
        ),
    ],
)
def test_layering_mistakes_are_located(
    tmp_path: Path, text: str, pack: str | None, message: str
) -> None:
    folder = _pack(tmp_path / "mine", text, *([pack] if pack else []))
    if pack and "alone" in pack:  # a self-contained pack: copy the mini pack in
        for source in MINI.glob("*.yaml"):
            if source.name != "pack.yaml":
                (folder / source.name).write_text(source.read_text("utf-8"), "utf-8")
    error = _error(folder)
    assert message in error
    assert "more.yaml:" in error or "pack.yaml:" in error


def test_a_cycle_of_extends_is_refused(tmp_path: Path) -> None:
    a = _pack(tmp_path / "a", "sources: []\n", "pack:\n  id: a\n  name: {en: A}\n  extends: b\n")
    b = _pack(tmp_path / "b", "sources: []\n", "pack:\n  id: b\n  name: {en: B}\n  extends: a\n")
    assert "extend each other in a cycle" in _error(a, b)


LAYERED = """rules:
  - id: cost_leadership
    override: true
    when: cost_focus >= 5
    weights: {production: 3}
    rationale: {en: "Stricter."}
    source: [S-P1]
disable:
  rules: [differentiation]
translations:
  fi:
    rules:
      cost_leadership: {rationale: "Tiukempi."}
      profitability_first: {rationale: "Kannattavuus ensin."}
"""


def test_every_item_keeps_the_location_of_the_layer_that_wrote_it(tmp_path: Path) -> None:
    pack = (
        "pack:\n  id: mine\n  name: {en: Mine}\n  extends: core\n"
        "  settings: {perspective_threshold: 0.2}\n"
    )
    mine = _pack(tmp_path / "mine", LAYERED, pack)
    kb = load_knowledge_base(mine)
    more = display_path(mine / "more.yaml")

    overridden = kb.located("rules", "cost_leadership")
    assert overridden is not None
    assert overridden.pack == "mine"
    assert str(overridden.at("when")) == f"{more}:4:11"
    assert str(overridden.at("rationale", "fi")) == f"{more}:13:36"  # where it is translated
    assert str(overridden.at("rationale", "en")) == f"{more}:6:21"

    below = kb.located("rules", "profitability_first")
    assert below is not None
    assert below.pack == "core"
    assert below.file.relative == "scoring/production.yaml"
    assert str(below.at("rationale", "fi")) == f"{more}:14:40"  # a lower pack's text, translated
    assert below.translations["rationale", "fi"].pack == "mine"
    assert below.at("rationale", "en").line == 28  # the English stays where core writes it

    assert kb.located("rules", "differentiation") is None  # disabled: in no layer in effect
    header = kb.located("pack", "")
    assert header is not None
    assert (header.pack, str(header.at("name"))) == (
        "mine",
        f"{display_path(mine / 'pack.yaml')}:3:9",
    )
    own = kb.located("settings", "perspective_threshold")
    assert own is not None
    assert (own.pack, str(own.at())) == ("mine", f"{display_path(mine / 'pack.yaml')}:5:37")
    inherited = kb.located("settings", "avoid_min")
    assert inherited is not None
    assert (inherited.pack, inherited.file.relative) == ("core", "pack.yaml")


def test_a_layer_without_a_pack_section_is_refused(tmp_path: Path) -> None:
    mine = _pack(tmp_path / "mine", RULE)
    bare = tmp_path / "bare"
    bare.mkdir()
    (bare / "rules.yaml").write_text(RULE.replace("scorecard_culture", "bare_rule"), "utf-8")
    # its items could be told apart by no pack id, so none of them could be located
    assert _error(mine, bare) == (
        f"{display_path(bare)}: no `pack:` section found "
        "(add a pack.yaml with `pack: {id: ..., name: {en: ...}}`)"
    )
    (bare / "pack.yaml").write_text("pack: {id: Bare}\n", "utf-8")  # its own mistakes come first
    error = _error(mine, bare)
    assert "missing required key 'name'" in error
    assert "no `pack:` section found" not in error


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "rules:\n  - {id: cost_first, when: cost >= 5, weights: {prod: 1}, rationale: {en: a}}\n",
            "z.yaml:2:10: duplicate rule id 'cost_first'; first defined at ",
        ),
        (
            "links:\n  - {from: prod, to: scorecard, relation: suits, strength: 0.5, "
            "reason: {en: a}}\n",
            "z.yaml:2:5: a second link from 'prod' to 'scorecard'; the first is at ",
        ),
    ],
)
def test_a_pack_below_keeps_its_own_duplicates_refused(
    tmp_path: Path, text: str, message: str
) -> None:
    base = tmp_path / "base"
    base.mkdir()
    for source in MINI.glob("*.yaml"):
        (base / source.name).write_text(source.read_text("utf-8"), "utf-8")
    (base / "z.yaml").write_text(text, "utf-8")
    top = _pack(
        tmp_path / "top", "sources: []\n", "pack:\n  id: top\n  name: {en: T}\n  extends: mini\n"
    )
    alone = _error(base)
    assert message in alone
    assert _error(base, top) == alone  # layering another pack on it hides none of them


def test_the_lang_default_follows_the_locale() -> None:
    assert default_lang({"LANG": "fi_FI.UTF-8"}) == "fi"
    assert default_lang({"LC_ALL": "en_GB.UTF-8", "LANG": "fi_FI.UTF-8"}) == "en"
    assert default_lang({}) == "en"


def test_modeadvisor_lang_comes_before_the_locale_and_help_says_which_is_in_force(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert lang_source({"MODEADVISOR_LANG": "fi", "LANG": "en_US.UTF-8"}) == (
        "fi",
        "MODEADVISOR_LANG=fi",
    )
    assert lang_source({"MODEADVISOR_LANG": "sv", "LANG": "fi_FI.UTF-8"}) == (
        "fi",
        "LANG=fi_FI.UTF-8",
    )  # a language we do not have is passed over, not obeyed
    monkeypatch.setenv("MODEADVISOR_LANG", "en")
    monkeypatch.setenv("LANG", "fi_FI.UTF-8")
    main(["assess", "--help"])
    help_text = " ".join(capsys.readouterr().out.split())
    assert "here en, from MODEADVISOR_LANG=en" in help_text


# --- a mistake in a pack header fails alone --------------------------------------------------

MORE = """traits:
  - {id: acme_focus, type: scale, label: {en: ACME focus}, description: {en: How ACME it is.}}
rules:
  - id: acme_cost
    when: cost_focus >= 4 and acme_focus >= 3
    weights: {production: 1}
    rationale: {en: "Cost focus, the ACME way."}
    source: [S-P1]
  - id: cost_leadership
    override: true
    when: cost_focus >= 5
    weights: {productin: 2}
    rationale: {en: "Only the strictest cost focus counts."}
    source: [S-P1]
"""


@pytest.mark.parametrize(
    ("header", "reported"),
    [
        (
            "pack: {id: acme, name: {en: ACME}, extends: core, "
            "settings: {perspective_treshold: 0.15}}\n",
            "pack.yaml:1:62: unknown key 'perspective_treshold'",
        ),
        ("pack: {id: acme, extends: core}\n", "pack.yaml:1:7: missing required key 'name'"),
        ("pack: {id: acme, name: {en: ACME}, extend: core}\n", "unknown key 'extend'"),
        (
            "pack: {id: acme, name: {en: ACME}, extends: core, settings: {min_evidence: 0}}\n",
            "'settings.min_evidence': Input should be greater than or equal to 1",
        ),
        ("pack: {id: acme, name: {en: ACME}, version: [1], extends: core}\n", "'version'"),
    ],
)
def test_a_header_mistake_is_reported_once_and_the_rest_still_checked(
    tmp_path: Path, header: str, reported: str
) -> None:
    problems = _error(_pack(tmp_path / "acme", MORE, header)).splitlines()
    located = [line for line in problems if "pack.yaml:" in line or "more.yaml:" in line]
    assert len(located) == 2, problems  # the header's mistake and the real one, nothing else
    (header_line,) = [line for line in located if "pack.yaml:" in line]
    (rule_line,) = [line for line in located if "more.yaml:" in line]
    assert reported in header_line
    assert "more.yaml:12:26: unknown archetype 'productin' in weights" in rule_line
    assert "did you mean 'production'?" in rule_line


def test_a_header_without_an_id_still_reports_the_rest(tmp_path: Path) -> None:
    problems = _error(_pack(tmp_path / "acme", RULE, "pack: {name: {en: ACME}, extends: core}\n"))
    assert "missing required key 'id'" in problems


# --- kinds of finding, named by the pack ---------------------------------------------------------

OWN_KIND = """conflicts:
  - id: scorecard_everywhere
    kind: scorecard_spread
    severity: low
    match:
      f: fit where in_use and model == "balanced_scorecard"
    explanation: {en: "{f.uid} uses {f.model}.", fi: "Yksikkö {f.uid} käyttää mallia {f.model}."}
    resolution: {en: "Look again.", fi: "Katsokaa uudelleen."}
    source: [S-C6]
kinds:
  - id: scorecard_spread
    name: {en: "scorecard in use", fi: "mittaristo käytössä"}
"""


@pytest.mark.parametrize(
    ("lang", "title"), [("en", "scorecard in use"), ("fi", "mittaristo käytössä")]
)
def test_a_layer_names_the_kind_of_its_own_findings(tmp_path: Path, lang: Lang, title: str) -> None:
    from modeadvisor.reports.text import to_text

    advisor = Advisor.from_path(_pack(tmp_path / "mine", OWN_KIND), lang=lang)
    advice = advisor.assess(EXAMPLE)
    assert advice.kinds["scorecard_spread"] == title
    assert "scorecard_spread" in {c.kind for c in advice.conflicts}
    text = to_text(advice)
    assert f"{title}: " in text
    assert "scorecard_spread" not in text


def test_a_shipped_kind_name_can_be_overridden_translated_and_is_refused_twice(
    tmp_path: Path,
) -> None:
    renamed = """kinds:
  - id: measurement_misfit
    override: true
    name: {en: "the yardstick does not fit"}
translations:
  fi: {kinds: {measurement_misfit: {name: "mittapuu ei sovi"}}}
"""
    kb = load_knowledge_base(_pack(tmp_path / "mine", renamed))
    assert kb.kinds["measurement_misfit"].name.get("en") == "the yardstick does not fit"
    assert kb.kinds["measurement_misfit"].name.get("fi") == "mittapuu ei sovi"
    twice = "kinds:\n  - {id: odd, name: {en: a}}\n  - {id: odd, name: {en: b}}\n"
    assert "more.yaml:3:5: duplicate finding kind 'odd'" in _error(_pack(tmp_path / "b", twice))
