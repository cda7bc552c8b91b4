"""Exports: charts as image files beside a Markdown report, citations that link to their source
entries in HTML (and so in the PDF printed from it), links only by the one rule, and charts that
are pictures, not tools."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from assistant.grounding.ledger import Ledger
from assistant.grounding.links import link_allowed, stray_links
from assistant.research import ResearchService
from assistant.research.render import to_html, to_markdown
from assistant.research.schemas import Report, ReportSection, ReportVerification
from assistant.settings import get_settings
from assistant.store import Store
from knowledge.documents import SourceEntry
from knowledge.library import Library
from knowledge.passage import Passage
from tools.market import Market

NEWS_EN = "russell-2000-rally-2026-01-26-en"
_SCRIPT = re.compile(r"<script.*?</script>", re.S)


@pytest.fixture(scope="module")
def exported(
    market: Market, library: Library, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Any, Path, Path]:
    """One report on the demo item, exported once for the tests below."""
    tmp_path = tmp_path_factory.mktemp("exports")
    with pytest.MonkeyPatch.context() as patch:  # its own data folder, as every test has
        patch.setenv("FOOTNOTE_HOME", str(tmp_path / "home"))
        patch.setenv("FOOTNOTE_PRICE_MODE", "local")
        get_settings.cache_clear()
        settings = get_settings()
        service = ResearchService(
            settings, market=market, library=library, store=Store(tmp_path / "state.sqlite")
        )
        report = service.run(service.plan("", news_id=NEWS_EN))
        out = tmp_path / "export" / "report"
        exported = report, service.export(report, "md", out), service.export(report, "html", out)
    get_settings.cache_clear()
    return exported


def test_markdown_export_writes_its_charts_as_image_files_beside_it(
    exported: tuple[Any, Path, Path],
) -> None:
    _, md, _ = exported
    text = md.read_text(encoding="utf-8")
    images = re.findall(r"!\[([^\]]*)\]\(([^)]+)\)", text)
    assert len(images) == 2  # relative performance and the price chart
    for title, ref in images:
        assert "/" not in ref and ref.endswith(".svg")  # relative: beside the report
        image = md.parent / ref
        svg = ET.parse(image).getroot()  # a well-formed SVG document
        assert svg.tag.endswith("svg")
        body = image.read_text(encoding="utf-8")
        assert "<polyline" in body and "<script" not in body and "href" not in body
        assert title and title in body  # the chart's own title, drawn
    assert text.index("](report-chart-1.svg)") < text.index("## ", text.index("## Charts") + 3)


def test_markdown_export_links_only_allow_listed_sources(
    exported: tuple[Any, Path, Path],
) -> None:
    _, md, _ = exported
    text = md.read_text(encoding="utf-8")
    links = re.findall(r"(?<!!)\[[^\]]*\]\((https?://[^)]+)\)", text)
    assert links and all(link_allowed(u) for u in links)
    assert "`https://thefinancememories.com/?p=67757`" in text  # shown, as text
    assert stray_links(text) == []  # nothing a viewer would turn into a link


def test_html_citations_link_to_their_source_entries(exported: tuple[Any, Path, Path]) -> None:
    report, _, html = exported
    page = html.read_text(encoding="utf-8")
    body = _SCRIPT.sub("", page)
    numbers = [c["n"] for c in report.citations]
    for n in numbers:  # each entry is an anchor target, numbered as the text numbers it
        assert body.count(f'<li id="source-{n}" value="{n}">') == 1
    targets = set(re.findall(r'href="#source-(\d+)"', body))
    assert targets and targets <= {str(n) for n in numbers}
    cited = {int(n) for n in re.findall(r"\[(\d+)\]", report.markdown)}
    assert {int(n) for n in targets} == cited  # every marker in the text is a link
    outside = re.findall(r'<a [^>]*href="([^"#][^"]*)"', body)
    assert outside and all(link_allowed(u) for u in outside)
    assert "thefinancememories.com" in body and 'href="https://thefinancememories' not in body


def test_exported_charts_have_no_toolbar(exported: tuple[Any, Path, Path]) -> None:
    _, _, html = exported
    page = html.read_text(encoding="utf-8")
    configs = re.findall(r'"displayModeBar":\s*(\w+)', page)
    assert configs and set(configs) == {"false"}


def _hostile_report() -> Report:
    """A report whose document text tries every way of loading or linking something."""
    ledger = Ledger()
    ledger.add_passage(
        Passage(
            chunk_id="d#1",
            doc_id="d",
            title="Doc",
            section="s",
            text="A view.",
            language="en",
            source=SourceEntry(
                n=1,
                publisher="Beacon Press ![b](http://127.0.0.1:9/t.png)",
                title="See www.evil.example and mail leak@evil.example",
                url="http://127.0.0.1:9/source",
            ),
        )
    )
    ledger.add_passage(
        Passage(
            chunk_id="d#2",
            doc_id="d",
            title="Doc",
            section="s",
            text="Another view.",
            language="en",
            source=SourceEntry(
                n=2, publisher="J.P. Morgan", url="https://www.jpmorgan.com/insights/x"
            ),
        )
    )
    text = (
        "Breadth improved [1] ![pixel](https://evil.example/p.png) [click](https://evil.example/c)"
        " <https://evil.example/a> and //evil.example/b; J.P. Morgan expects no cut [2]."
    )
    return Report(
        id="hostile",
        title="Hostile",
        topic="t",
        language="en",
        created_at=datetime(2026, 1, 26, tzinfo=UTC),
        as_of=date(2026, 1, 23),
        summary="Summary [2].",
        sections=[ReportSection(heading="Section", text=text)],
        ledger=ledger,
        verification=ReportVerification(),
        disclaimer="Not advice.",
    )


@pytest.mark.parametrize("render", [to_markdown, to_html])
def test_no_surface_of_a_report_links_or_loads_what_the_rule_does_not_allow(
    render: Callable[[Report], str],
) -> None:
    out = _SCRIPT.sub("", render(_hostile_report()))
    assert "<img" not in out and "![" not in out and "p.png" not in out and "t.png" not in out
    hrefs = re.findall(r'href="([^"#][^"]*)"', out) + re.findall(
        r"(?<!!)\[[^\]]*\]\(([^)]+)\)", out
    )
    assert hrefs == ["https://www.jpmorgan.com/insights/x"] * len(hrefs) and hrefs
    if render is to_markdown:
        assert stray_links(out) == []  # every other address is a code span
        assert "`http://127.0.0.1:9/source`" in out and "`www.evil.example`" in out
    else:
        assert "<code>http://127.0.0.1:9/source</code>" in out
        assert '<a href="#source-1">1</a>' in out and 'id="source-2"' in out
