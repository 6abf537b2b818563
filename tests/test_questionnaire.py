"""The questionnaire: one self-contained HTML page, in English and Finnish, filled in headless
Chromium, saved as a download that collect reads."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, sync_playwright

from modeadvisor import Advisor, KnowledgeBase
from modeadvisor.knowledge import Lang
from modeadvisor.people import collect_answers, questionnaire_html

CHROMIUM = Path("/usr/bin/chromium")
needs_chromium = pytest.mark.skipif(
    not CHROMIUM.exists(), reason=f"headless browser test: no chromium at {CHROMIUM}"
)


@pytest.mark.parametrize("lang", ["en", "fi"])
def test_the_page_is_self_contained_and_asks_every_trait(
    shipped_kb: KnowledgeBase, lang: Lang
) -> None:
    page = questionnaire_html(shipped_kb, lang, units=["rnd", "plant"])
    assert not re.search(r"(src|href)=\"?(https?:)?//", page)  # nothing fetched
    for trait in shipped_kb.traits.values():
        assert f'data-trait="{trait.id}"' in page
        assert html.escape(trait.label.get(lang)) in page
    for archetype in shipped_kb.archetypes.values():
        assert html.escape(archetype.name.get(lang)) in page
    assert page.count('type="checkbox"') > 0
    assert 'type="number"' in page


def test_no_catalogue_id_in_the_finnish_prose(shipped_kb: KnowledgeBase) -> None:
    page = questionnaire_html(shipped_kb, "fi")
    prose = re.sub(r"<script.*?</script>|<[^>]+>", " ", page, flags=re.DOTALL)
    ids = {v for t in shipped_kb.traits.values() for v in t.values or ()} | set(shipped_kb.traits)
    assert not {word for word in re.findall(r"[a-z_]+", prose) if "_" in word and word in ids}


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM))
        yield chromium
        chromium.close()


@needs_chromium
@pytest.mark.slow
@pytest.mark.parametrize("lang", ["en", "fi"])
def test_filled_in_saved_and_collected(
    browser: Browser, tmp_path: Path, shipped_kb: KnowledgeBase, advisor: Advisor, lang: Lang
) -> None:
    form = tmp_path / "form.html"
    form.write_text(
        questionnaire_html(shipped_kb, lang, units=["rnd", "plant"], organisation="Acme"),
        encoding="utf-8",
    )
    page = browser.new_page(accept_downloads=True)
    page.route(
        "**/*",
        lambda route: (
            route.abort() if not route.request.url.startswith("file:") else route.continue_()
        ),
    )
    page.goto(form.as_uri())
    page.select_option("select[name=unit]", "rnd")
    page.select_option("select[name=role]", "expert")
    page.fill("input[name=respondent]", "Ann")
    page.check('input[name="rating.development"][value="5"]')
    for trait, value in [
        ("experimentation", "5"),
        ("work_variability", "5"),
        ("vision_challenge", "5"),
        ("uncertainty_level", "4"),
        ("ideation_activity", "5"),
        ("risk_taking_accepted", "true"),
        ("innovation_type", "new_offerings"),
    ]:
        page.check(f'input[name="trait.{trait}"][value="{value}"]')
    page.check('input[name="trait.customer_value_basis"][value="novel_solutions"]')
    page.check('input[name="models_in_use"][value="balanced_scorecard"]')
    number = page.locator('input[name="trait.project_work_share"]')
    number.fill("150")  # out of range: marked as it is typed, and saving is refused
    box = page.locator('fieldset[data-trait="project_work_share"] .error')
    assert box.inner_text() != ""
    page.click("#save")
    assert page.locator("#status").inner_text() != ""
    number.fill("85")
    assert box.inner_text() == ""
    assert re.search(r"\b9\b", page.locator("#count").inner_text())  # seven, a set, a number
    with page.expect_download() as download:
        page.click("#save")
    saved = tmp_path / "answers.json"
    download.value.save_as(saved)
    page.close()
    data = json.loads(saved.read_text("utf-8"))
    assert data["unit"] == "rnd"
    assert data["role"] == "expert"
    assert data["language"] == lang
    assert data["traits"]["project_work_share"] == 85
    assert data["traits"]["customer_value_basis"] == ["novel_solutions"]
    assert data["ratings"] == {"development": 5}
    assert data["models_in_use"] == ["balanced_scorecard"]
    collected = collect_answers([saved], shipped_kb)
    out = tmp_path / "org.yaml"
    out.write_text(collected.to_yaml(shipped_kb, lang), encoding="utf-8")
    advice = advisor.assess(out)
    assert advice.unit("rnd").profile.dominant == "development"
    assert advice.unit("rnd").avoid[0].in_use  # the scorecard it uses fits it poorly
