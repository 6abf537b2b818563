"""The forms of a name a Finnish sentence needs: in the pack format, quoted by texts, checked by
the loader and by lint."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from modeadvisor import Advisor, KnowledgeBaseError
from modeadvisor.authoring.lint import lint
from modeadvisor.knowledge import load_knowledge_base, shipped_rules_dir

from .conftest import ROOT

SAY_DO = "arvioivat {r.archetype|genitive} toimintatavan keskeiseksi"


def _pack(tmp_path: Path, file: str, old: str, new: str) -> Path:
    pack = tmp_path / "pack"
    if not pack.exists():
        shutil.copytree(shipped_rules_dir(), pack)
    path = pack / file
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new), encoding="utf-8")
    return pack


def test_the_shipped_finnish_texts_quote_modes_in_the_case_the_sentence_needs() -> None:
    advice = Advisor.default(lang="fi").assess(ROOT / "examples" / "municipality.yaml")
    said = " ".join(c.explanation + " ".join(c.details) for c in advice.conflicts)
    assert "huonon sopivuuden aiheuttaa asiakaspalvelulähtöinen toimintatapa" in said
    assert "toimintatapa Asiakaspalvelulähtöinen" not in said
    unit = next(u for u in advice.units if u.direction)
    assert unit.direction[0].towards.startswith("kohti ")
    assert unit.direction[0].towards.endswith("lähtöistä toimintatapaa")


def test_an_unknown_form_is_refused_with_what_is_meant(tmp_path: Path) -> None:
    pack = _pack(tmp_path, "conflicts.yaml", SAY_DO, SAY_DO.replace("genitive", "genetive"))
    with pytest.raises(KnowledgeBaseError) as error:
        load_knowledge_base(pack)
    problem, withheld = error.value.problems  # the text and its words for withheld figures
    assert withheld.message == problem.message
    assert "unknown form 'genetive'" in problem.message
    assert problem.hint is not None
    assert "genitive" in problem.hint
    assert problem.location.line is not None


def test_only_a_name_has_forms(tmp_path: Path) -> None:
    pack = _pack(tmp_path, "conflicts.yaml", "{v.weight})", "{v.weight|genitive})")
    with pytest.raises(KnowledgeBaseError, match="only a mode's or a model's name has forms"):
        load_knowledge_base(pack)


def test_a_form_no_mode_gives_is_a_lint_error_and_the_name_stands_in(tmp_path: Path) -> None:
    pack = _pack(tmp_path, "archetypes.yaml", 'genitive: "asiakaspalvelulähtöisen", ', "")
    kb = load_knowledge_base(pack)
    (found,) = [f for f in lint(kb) if f.code == "missing-form"]
    assert found.severity == "error"
    assert found.message.startswith("archetype 'customer_service' has no fi genitive form")
    assert "'central_in_words_not_in_traits'" in found.message
    assert found.location.file.endswith("archetypes.yaml")
    # assessing still works: the name in the nominative where the form is missing
    advice = Advisor(kb, lang="fi").assess(ROOT / "examples" / "service-company.yaml")
    said = " ".join(c.explanation for c in advice.conflicts if c.kind == "say_do_mismatch")
    assert "arvioivat Asiakaspalvelulähtöinen toimintatavan keskeiseksi" in said


def test_an_ending_glued_to_a_quoted_name_is_pointed_out(tmp_path: Path) -> None:
    pack = _pack(tmp_path, "conflicts.yaml", "Yksikön {r.uid} vastaajat", "{r.uid}:n vastaajat")
    found = [f for f in lint(load_knowledge_base(pack)) if f.code == "case-ending-on-name"]
    assert found
    assert "'{r.uid}' has an ending glued on (':n')" in found[0].message
    assert found[0].location.line is not None


def test_the_shipped_pack_needs_no_form_it_lacks() -> None:
    codes = {f.code for f in lint(load_knowledge_base(shipped_rules_dir()))}
    assert not codes & {"missing-form", "case-ending-on-name"}


def test_the_readme_shows_the_shipped_forms() -> None:
    import re

    import yaml

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    (block,) = [b for b in re.findall(r"```yaml\n(.*?)```", readme, re.DOTALL) if "forms:" in b]
    (shown,) = yaml.safe_load(block)["archetypes"]
    shipped = load_knowledge_base(shipped_rules_dir()).archetypes[shown["id"]]
    assert shipped.forms["fi"] == shown["forms"]["fi"]
