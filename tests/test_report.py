"""The HTML and Markdown reports: self-contained, escaped, localised, deterministic — and, in a
real headless Chromium, showing their charts and sections."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from playwright.sync_api import Browser, Locator, Page, Request, Route, sync_playwright

from modeadvisor import Advice, Advisor, KnowledgeBase
from modeadvisor.reports.html import to_html
from modeadvisor.reports.markdown import to_markdown, to_markdown_report, write_markdown
from modeadvisor.reports.svg import radar_svg

from .conftest import ROOT

EXAMPLES = ("municipality", "service-company")
LANGS = ("en", "fi")
HOSTILE = "<img src=x onerror=alert(1)>"
CHROMIUM = Path("/usr/bin/chromium")
SVG_NS = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def advisors(shipped_kb: KnowledgeBase) -> dict[str, Advisor]:
    return {"en": Advisor(shipped_kb, lang="en"), "fi": Advisor(shipped_kb, lang="fi")}


@pytest.fixture(scope="module")
def examples(advisors: dict[str, Advisor]) -> dict[tuple[str, str], Advice]:
    return {
        (name, lang): advisors[lang].assess(ROOT / "examples" / f"{name}.yaml")
        for name in EXAMPLES
        for lang in LANGS
    }


@pytest.fixture(scope="module")
def stated(advisors: dict[str, Advisor]) -> Advice:
    """A hostile name, all three views on one unit, and a unit too thin to name a mode."""
    return advisors["en"].assess(
        {
            "organisation": HOSTILE,
            "units": [
                {
                    "id": "hq",
                    "name": HOSTILE,
                    "traits": {
                        "sector": "public",
                        "basic_task_set_by_law": True,
                        "aims_at_surplus": False,
                        "publicly_funded": True,
                        "goals_set_for_basic_task": 4,
                        "goal_clarity": 4,
                        "established_way_of_working": 4,
                        "stabilising_leadership": 3,
                        "mission_based_promise": 4,
                        "periodic_figures_informative": 3,
                        "own_business_followup": 4,
                        "uncertainty_level": 3,
                    },
                    "perspectives": {
                        "desired": {"development": 0.7, "customer_service": 0.3},
                        "strategy": ["customer_service", "development"],
                    },
                },
                {
                    "id": "thin",
                    "parent": "hq",
                    "name": "Thin & <b>bold</b>",
                    "traits": {"sector": "public"},
                    "perspectives": {"desired": ["development"]},
                },
            ],
        }
    )


def _views(advice: Advice, unit_id: str) -> list[str]:
    """The views a unit's chart must draw, in the order the report draws them."""
    unit = advice.unit(unit_id)
    observed = ["current"] if unit.profile.dominant is not None else []
    order = ("desired", "strategy")
    return observed + sorted(unit.perspectives, key=order.index)


# --- structure, without a browser ------------------------------------------------------------

_VOID = {"meta", "br", "hr", "img", "input", "link", "rect", "line", "polygon", "circle", "path"}


class _Outline(HTMLParser):
    """Checks that tags close in order, and records each radar chart's section and views."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[tuple[str, dict[str, str | None]]] = []
        self.ids: list[str] = []
        self.radars: dict[str, list[str]] = {}  # enclosing section id -> polygon views
        self.errors: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if attributes.get("id"):
            self.ids.append(str(attributes["id"]))
        if tag == "svg" and attributes.get("class") == "radar":
            section = next(
                (
                    a.get("id")
                    for t, a in reversed(self.stack)
                    if t == "section" and a.get("class") == "unit"
                ),
                None,
            )
            self.radars[str(section)] = []
        if tag == "polygon" and attributes.get("data-view"):
            self.radars[list(self.radars)[-1]].append(str(attributes["data-view"]))
        if tag not in _VOID:
            self.stack.append((tag, attributes))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID:
            self.stack.pop()

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID:
            return
        if not self.stack or self.stack[-1][0] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1][0] if self.stack else None}")
            return
        self.stack.pop()


def _outline(html: str) -> _Outline:
    outline = _Outline()
    outline.feed(html)
    outline.close()
    assert outline.errors == []
    assert outline.stack == []
    return outline


@pytest.mark.parametrize("name", EXAMPLES)
@pytest.mark.parametrize("lang", LANGS)
def test_html_is_one_self_contained_file(
    examples: dict[tuple[str, str], Advice], name: str, lang: str
) -> None:
    html = to_html(examples[name, lang])
    assert html.startswith("<!DOCTYPE html>\n")
    assert f'<html lang="{lang}">' in html
    lowered = html.lower()
    for outside in ("http", "<script", "@import", "url(", "<link", "src=", "//"):
        assert outside not in lowered, outside
    assert "<style>" in html  # its look travels inside it


@pytest.mark.parametrize("name", EXAMPLES)
def test_html_marks_every_section_and_chart(
    examples: dict[tuple[str, str], Advice], name: str
) -> None:
    advice = examples[name, "en"]
    outline = _outline(to_html(advice))
    assert {"overview", "conflicts", "units"} <= set(outline.ids)
    assert len(outline.ids) == len(set(outline.ids)), "ids must be unique"
    assert outline.radars == {f"unit-{u.id}": _views(advice, u.id) for u in advice.units}
    for k in range(1, len(advice.conflicts) + 1):
        assert f"conflict-{k}" in outline.ids


def test_html_shows_the_whole_advice(examples: dict[tuple[str, str], Advice]) -> None:
    advice = examples["municipality", "en"]
    html = to_html(advice)
    social = advice.unit("social-health")
    assert social.recommendations
    assert social.avoid
    for model in social.recommendations + social.avoid:
        assert _text(model.name) in html
        for reason in model.because:
            assert _text(reason.reason) in html
    for evidence in social.evidence:
        assert f'data-rule="{evidence.rule}"' in html
        assert _text(evidence.rationale) in html
    for text in (social.name, *social.notes, *(d.reason for d in social.direction)):
        assert _text(text) in html
    for conflict in advice.conflicts:
        assert f'class="conflict sev-{conflict.severity}"' in html
        assert _text(conflict.explanation) in html
        assert _text(conflict.resolution) in html
        assert conflict.rule in html
    assert "Disputed: the respondents disagree" in html
    # the tree: both children are listed inside their parent's item
    assert re.search(
        r'data-unit="central-administration".*?<ul>\s*<li data-unit='
        r'"digitalisation"',
        html,
        re.S,
    )


def _text(text: str) -> str:
    return (
        text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("'", "&#x27;")
    )


def test_radar_draws_one_polygon_per_view(stated: Advice) -> None:
    svg = radar_svg(stated, "hq")
    assert re.findall(r'<polygon data-view="(\w+)"', svg) == ["current", "desired", "strategy"]
    for label in ("Current (observed)", "Desired", "Strategy-chosen"):  # the legend
        assert f">{label}</text>" in svg
    root = ElementTree.fromstring(radar_svg(stated, "hq", standalone=True).split("\n", 1)[1])
    assert root.tag == f"{SVG_NS}svg"
    assert len(root.findall(f"{SVG_NS}g[@class='view view-current']/{SVG_NS}polygon")) == 1


def test_a_unit_without_evidence_has_a_note_and_no_observed_polygon(stated: Advice) -> None:
    thin = stated.unit("thin")
    assert thin.profile.dominant is None
    svg = radar_svg(stated, thin)
    assert re.findall(r'<polygon data-view="(\w+)"', svg) == ["desired"]
    assert 'class="no-chart"' in svg
    html = to_html(stated)
    section = html[html.index('id="unit-thin"') :]
    assert '<p class="insufficient">Too little evidence to chart' in section
    assert 'Mode:</strong> <span class="mode">none named (insufficient evidence)' in section
    markdown = to_markdown_report(stated)
    assert "> Too little evidence to chart the observed profile." in markdown


def test_names_from_user_files_are_escaped(stated: Advice, tmp_path: Path) -> None:
    html = to_html(stated)
    assert "<img" not in html
    assert "<b>" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "Thin &amp; &lt;b&gt;bold&lt;/b&gt;" in html
    _outline(html)
    files = write_markdown(stated, tmp_path / "report.md")
    markdown = files[0].read_text(encoding="utf-8")
    assert "<img" not in markdown
    assert "&lt;img src=x onerror=alert(1)&gt;" in markdown
    for chart in files[1:]:
        text = chart.read_text(encoding="utf-8")
        assert "<img" not in text
        ElementTree.fromstring(text.split("\n", 1)[1])  # still well-formed XML


def test_finnish_report_has_finnish_headings(examples: dict[tuple[str, str], Advice]) -> None:
    advice = examples["municipality", "fi"]
    html = to_html(advice)
    for heading in (
        "Yleiskuva",
        f"Ristiriidat ({len(advice.conflicts)})",
        "Suositellut mallit",
        "Vältettävät mallit",
        "Miksi tämä profiili (täyttyneitä sääntöjä:",
        "Itsearvio",
        "Kehityssuunta",
        "Toimenpide-ehdotus",
        "Toimintatapaprofiili: Keskushallinto",
        "Strategian mukainen",
        "Kiistanalainen",
    ):
        assert heading in html, heading
    for english in (
        "Overview",
        "Conflicts",
        "Recommended",
        "Why this profile",
        "Mode:",
        "Current (observed)",
        "What to do",
        "Disputed",
    ):
        assert english not in html, english
    markdown = to_markdown_report(advice)
    assert "## Yleiskuva" in markdown
    assert "### Suositellut mallit" in markdown
    assert "Overview" not in markdown


def test_same_advice_same_bytes(advisors: dict[str, Advisor], tmp_path: Path) -> None:
    path = ROOT / "examples" / "municipality.yaml"
    first, second = advisors["en"].assess(path), advisors["en"].assess(path)
    again = Advice.model_validate_json(first.to_json())  # as read back from `assess --format json`
    assert to_html(first) == to_html(second) == to_html(again)
    written = [
        write_markdown(advice, tmp_path / str(k) / "r.md")
        for k, advice in enumerate((first, again))
    ]
    assert [p.read_bytes() for p in written[0]] == [p.read_bytes() for p in written[1]]


def test_markdown_writes_its_charts_and_links_them(
    examples: dict[tuple[str, str], Advice], tmp_path: Path
) -> None:
    advice = examples["service-company", "en"]
    report = tmp_path / "out" / "report.md"
    report.parent.mkdir()
    files = write_markdown(advice, report)
    charts = tmp_path / "out" / "report-charts"
    assert files == [report, *(charts / f"{u.id}.svg" for u in advice.units)]
    markdown = report.read_text(encoding="utf-8")
    links = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", markdown)
    assert links == [f"report-charts/{u.id}.svg" for u in advice.units]
    for link in links:
        root = ElementTree.fromstring((report.parent / link).read_text(encoding="utf-8"))
        assert root.tag == f"{SVG_NS}svg"
        assert root.findall(f"{SVG_NS}g/{SVG_NS}polygon[@data-view]")


def test_markdown_carries_the_same_content(examples: dict[tuple[str, str], Advice]) -> None:
    advice = examples["municipality", "en"]
    markdown = to_markdown_report(advice)
    plain = markdown.replace("\\", "")  # without the escapes that keep names literal
    assert "| Unit | Mode | Production-oriented |" in markdown
    for unit in advice.units:
        assert f"## {unit.name} `{unit.id}`" in markdown
        for model in unit.recommendations + unit.avoid:
            assert model.name in plain
        for evidence in unit.evidence:
            assert f"`{evidence.rule}`" in markdown
    for conflict in advice.conflicts:
        assert conflict.explanation in plain
    assert "### Models to avoid" in markdown
    assert "**Disputed: the respondents disagree" in markdown


def test_assess_and_report_give_one_markdown(examples: dict[tuple[str, str], Advice]) -> None:
    # one renderer: `assess --format markdown` is the report without its chart links
    for advice in examples.values():
        assert to_markdown(advice) == to_markdown_report(advice)


def _with_text(advice: Advice, text: str) -> Advice:
    """The advice with `text` in every place a user's file or a pack's wording reaches."""
    data = advice.model_dump()
    data["organisation"] = text
    for unit in data["units"]:
        unit["name"] = text
        unit["notes"] = [text]
        for model in unit["recommendations"] + unit["avoid"]:
            model["name"] = text
            for reason in model["because"]:
                reason["reason"] = text
        for evidence in unit["evidence"]:
            evidence["rationale"] = text
        for direction in unit["direction"]:
            direction["reason"] = text
    for conflict in data["conflicts"]:
        conflict.update(explanation=text, resolution=text, details=[text, text])
    return Advice.model_validate(data)


_LINE_START = re.compile(r"#+ |\s*- |> |\| |\*\*|!\[|\*|")
_CELL_BORDER = re.compile(r"(?<!\\)\|")


def _shape(markdown: str) -> list[tuple[str, int]]:
    """What makes the document's structure: how each line starts, and each table row's cells."""
    shape = []
    for line in markdown.splitlines():
        start = _LINE_START.match(line)
        assert start is not None  # the pattern matches the empty string too
        shape.append((start[0], len(_CELL_BORDER.findall(line))))
    return shape


@settings(max_examples=60, deadline=None)
@given(text=st.text(st.characters(exclude_categories=["Cs"]), min_size=1, max_size=12))
def test_no_text_changes_the_markdown_structure_or_adds_html(
    examples: dict[tuple[str, str], Advice], text: str
) -> None:
    advice = examples["municipality", "en"]
    plain = to_markdown(_with_text(advice, "x"))
    hostile = to_markdown(_with_text(advice, text))
    assert _shape(hostile) == _shape(plain)
    # every angle bracket is one the renderer wrote (in conditions, as code): none from a text
    assert (hostile.count("<"), hostile.count(">")) == (plain.count("<"), plain.count(">"))


def test_markdown_without_charts_writes_none(
    examples: dict[tuple[str, str], Advice], tmp_path: Path
) -> None:
    files = write_markdown(examples["municipality", "en"], tmp_path / "report.md", charts=False)
    assert files == [tmp_path / "report.md"]
    assert not (tmp_path / "report-charts").exists()
    assert "![" not in files[0].read_text(encoding="utf-8")


def test_chart_links_survive_spaces_in_the_file_name(stated: Advice, tmp_path: Path) -> None:
    files = write_markdown(stated, tmp_path / "my report.md")
    assert "](my%20report-charts/hq.svg)" in files[0].read_text(encoding="utf-8")
    assert (tmp_path / "my report-charts" / "hq.svg").is_file()


def test_odd_unit_ids_stay_inside_the_chart_folder(stated: Advice, tmp_path: Path) -> None:
    # an Advice read from someone else's JSON is not held to the organisation file's id rules
    units = [
        stated.units[0].model_copy(update={"id": "../../evil"}),
        stated.units[1].model_copy(update={"id": "_Evil", "parent": "../../evil"}),
    ]
    odd = stated.model_copy(update={"units": units, "conflicts": []})
    files = write_markdown(odd, tmp_path / "r.md")
    assert [f.name for f in files[1:]] == ["evil.svg", "Evil-2.svg"]  # unique without case too
    assert all(f.parent == tmp_path / "r-charts" for f in files[1:])
    assert 'id="unit-evil"' in to_html(odd)


# --- in a real browser -----------------------------------------------------------------------

needs_chromium = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason=f"headless browser test: Debian's chromium is not installed at {CHROMIUM} "
    "(apt-get install chromium)",
)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        # Debian's browser, not one `playwright install` would download
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM))
        yield chromium
        chromium.close()


def _local(request: Request) -> bool:
    return request.url.startswith(("file:", "data:"))


@contextmanager
def _opened(browser: Browser, report: Path) -> Iterator[tuple[Page, list[str]]]:
    """The report in a fresh page, and the list of every request that was not for a local file
    or inline data; such requests are aborted before they leave, and counted."""
    outside: list[str] = []

    def seen(request: Request) -> None:
        if not _local(request) and request.url not in outside:  # both hooks see each request
            outside.append(request.url)

    def local_only(route: Route) -> None:
        seen(route.request)
        if _local(route.request):
            route.continue_()
        else:
            route.abort()

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        context.route("**/*", local_only)
        page = context.new_page()
        page.on("request", seen)
        page.goto(report.as_uri())
        page.wait_for_load_state("load")
        yield page, outside
    finally:
        context.close()


@needs_chromium
def test_the_network_guard_catches_a_request(browser: Browser, tmp_path: Path) -> None:
    # the control for the test below: a page that does reach out is caught (and stopped)
    page_file = tmp_path / "leaky.html"
    page_file.write_text('<img src="http://modeadvisor.invalid/x.png" alt="">', encoding="utf-8")
    with _opened(browser, page_file) as (_, outside):
        assert outside == ["http://modeadvisor.invalid/x.png"]


@needs_chromium
@pytest.mark.parametrize("name", EXAMPLES)
@pytest.mark.parametrize("lang", LANGS)
def test_report_renders_in_a_real_browser(
    browser: Browser, tmp_path: Path, examples: dict[tuple[str, str], Advice], name: str, lang: str
) -> None:
    advice = examples[name, lang]
    report = tmp_path / f"{name}-{lang}.html"
    report.write_text(to_html(advice), encoding="utf-8")
    with _opened(browser, report) as (page, outside):
        for section in ("#overview", "#conflicts"):
            _assert_shown(page.locator(section))
        for conflict in advice.conflicts:  # highlighted by severity
            card = page.locator(f"#conflicts article.sev-{conflict.severity}").first
            colour = card.evaluate("e => getComputedStyle(e).backgroundColor")
            assert colour != "rgba(0, 0, 0, 0)"
        for unit in advice.units:
            radar = page.locator(f"section.unit#unit-{unit.id} svg.radar")
            radar.scroll_into_view_if_needed()
            _assert_shown(radar)
            views = radar.locator("g.view")
            assert [views.nth(k).get_attribute("data-view") for k in range(views.count())] == (
                _views(advice, unit.id)
            )
            for k in range(views.count()):
                assert views.nth(k).locator("polygon").count() == 1  # one polygon per view
                _assert_shown(views.nth(k))
            first = unit.evidence[0]
            rule = page.locator(
                f"#unit-{unit.id} details.evidence article[data-rule='{first.rule}']"
            )
            assert not rule.is_visible()  # folded until asked for
            page.locator(f"#unit-{unit.id} details.evidence > summary").click()
            _assert_shown(rule)
            assert first.rationale in rule.inner_text()
        assert outside == []


def _assert_shown(locator: Locator) -> None:
    assert locator.is_visible()
    box = locator.bounding_box()
    assert box is not None
    assert box["width"] > 0
    assert box["height"] > 0


# --- folded answers: why not a model in use, how settled ----------------------------------------


@pytest.mark.parametrize(
    ("lang", "why_not", "settled"),
    [
        ("en", "Why not Balanced scorecard (BSC)?", "How settled is this?"),
        ("fi", "Miksi ei Tasapainotettu mittaristo (BSC)?", "Kuinka varma tämä on?"),
    ],
)
def test_the_report_folds_in_why_not_for_a_model_in_use_and_how_settled(
    advisors: dict[str, Advisor], lang: str, why_not: str, settled: str
) -> None:
    """R&D uses the group's scorecard, which is not recommended for it: the report answers
    'why not?' under R&D only (group and plant are recommended it), and says for every unit
    how settled its answer is."""
    advisor = advisors[lang]
    path = ROOT / "examples" / "manufacturer.yaml"
    examined = advisor.examine(path)
    assert [w.subject for w in examined["rnd"].why_not] == ["balanced_scorecard"]
    assert examined["plant"].why_not == examined["group"].why_not == []
    page = to_html(advisor.assess(path), examined)
    sections = {
        unit: page[page.index(f'id="unit-{unit}"') :].split('<section class="unit"')[0]
        for unit in ("group", "plant", "rnd")
    }
    assert why_not in sections["rnd"]
    assert why_not not in sections["group"] + sections["plant"]
    assert all(section.count(settled) == 1 for section in sections.values())
    assert examined["rnd"].why_not[0].to_text().split("\n")[0] in page.replace("&#x27;", "'")
    assert settled not in to_html(advisor.assess(path))  # only when asked for
