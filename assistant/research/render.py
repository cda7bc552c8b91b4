"""Render a report: Markdown, a self-contained HTML page, and PDF through headless Chromium."""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from assistant.grounding.labels import (
    convention_label,
    formula_label,
    metric_label,
    provider_label,
)
from assistant.grounding.links import delink, inert_url, link_allowed
from assistant.research.schemas import Report
from assistant.views.receipts import input_prices

_LABELS = {
    "en": {
        "date": "Date",
        "as_of": "Data as of the session of",
        "summary": "Executive summary",
        "views": "Expert views",
        "person": "Person",
        "org": "Organisation",
        "stance": "Stance",
        "claim": "Claim",
        "figure": "Figure",
        "source": "Source",
        "distance": "Target vs close",
        "at_horizon": "at its horizon",
        "signals": "Signals to monitor (live status)",
        "signal": "Signal",
        "status": "Status",
        "sources": "Sources and receipts",
        "verified": "numbers verified",
        "charts": "Charts",
        "stopped": "This report stopped early",
        "caveats": "Caveats on figures in this report",
        "stance_names": {"bull": "bull", "bear": "bear", "neutral": "neutral"},
        "plan": "The plan this report ran",
        "window": "Window",
        "symbols": "Symbols",
        "approval": {
            "auto": "accepted automatically",
            "accepted": "approved as proposed",
            "edited": "edited and approved",
            "": "approved",
        },
    },
    "zh": {
        "date": "日期",
        "as_of": "数据截至交易日",
        "summary": "执行摘要",
        "views": "专家观点",
        "person": "人物",
        "org": "机构",
        "stance": "立场",
        "claim": "观点",
        "figure": "数字",
        "source": "来源",
        "distance": "目标与收盘差距",
        "at_horizon": "到期时",
        "signals": "需要关注的信号（实时状态）",
        "signal": "信号",
        "status": "状态",
        "sources": "来源与计算凭据",
        "verified": "个数字已核验",
        "charts": "图表",
        "stopped": "本报告提前结束",
        "caveats": "本报告数字的警示",
        "stance_names": {"bull": "看多", "bear": "看空", "neutral": "中性"},
        "plan": "本报告执行的计划",
        "window": "区间",
        "symbols": "标的",
        "approval": {
            "auto": "自动接受",
            "accepted": "按原计划批准",
            "edited": "修改后批准",
            "": "已批准",
        },
    },
}


def _cell(text: str | None) -> str:
    return (text or "").replace("|", "\\|").replace("\n", " ")


def receipt(entry: dict[str, Any], lang: str = "en") -> str:
    """One line per ledger entry: the figure's formula, or the source behind a passage."""
    if entry.get("kind") == "figure":
        window = (
            f"{entry.get('start')}..{entry.get('end')}"
            if entry.get("start")
            else f"{entry.get('end')}"
        )
        zh = lang.startswith("zh")
        stale = ("（非最新）" if zh else " (stale)") if entry.get("stale") else ""
        convention = (
            f"{convention_label(entry['convention'], lang)}; " if entry.get("convention") else ""
        )
        unit = _UNITS["zh" if zh else "en"].get(entry["unit"], entry["unit"])
        formula = formula_label(str(entry.get("formula", "")), lang)
        provider = provider_label(str(entry.get("provider")), lang)
        as_of = f"截至 {entry.get('as_of')}" if zh else f"as of {entry.get('as_of')}"
        line = (
            f"{entry['symbol']} {metric_label(entry['metric'], lang)} = {entry['value']:.4f}"
            f"{unit}; {window}; {convention}`{formula}`; {provider}, {as_of}{stale}"
        )
        if entry.get("inputs"):
            inputs = formula_label(input_prices(entry["inputs"], limit=3), lang)
            line += f"; 输入价格 {inputs}" if zh else f"; inputs {inputs}"
        if entry.get("adjustments"):
            line += f"; {'; '.join(entry['adjustments'])}"
        for caveat in entry.get("caveats") or []:
            line += f"; **⚠ 警示：{caveat}**" if zh else f"; **⚠ caveat: {caveat}**"
        return line
    source = entry.get("source") or {}
    url = source.get("url")
    # the one link rule: an allow-listed source links out; any other address is shown as text
    # (a code span: no renderer links it, and no renderer fetches from a link)
    link = (f"[{url}]({url})" if link_allowed(url) else inert_url(url)) if url else ""
    if source:
        title = source.get("title")
        parts = [
            source.get("publisher"),
            source.get("person"),
            f"“{title}”" if title else None,
            source.get("date"),
            link,
        ]
        line = "; ".join(str(p) for p in parts if p)
        via = entry.get("title")
        if not via or via == title:
            return line
        return f"{line}（转引自 {via}）" if lang.startswith("zh") else f"{line} (via {via})"
    # a passage of an analysis that names no source: the analysis itself is the source
    parts = [entry.get("title"), entry.get("section"), entry.get("published")]
    return "; ".join(str(p) for p in parts if p)


# a figure's unit after its value, as the report's language writes it
_UNITS = {
    "en": {"%": " %", "pp": " pp", "points": " points", "ratio": " ratio"},
    "zh": {"%": "%", "pp": " 个百分点", "points": " 点", "ratio": ""},
}


def _paragraphs(text: str) -> str:
    """Each line of a section its own paragraph; list items stay a list."""
    out: list[str] = []
    for line in text.splitlines():
        if out and out[-1] and not (line.startswith("- ") and out[-1].startswith("- ")):
            out.append("")
        out.append(line)
    return "\n".join(out)


def to_markdown(report: Report, charts: Sequence[tuple[str, str]] = ()) -> str:
    """The whole report as Markdown; `charts` are (title, image path relative to the file),
    shown after the executive summary. Text from documents carries no image and no link but to
    an allow-listed source: anything else is shown as text."""
    body = delink(_markdown(report)).text
    if not charts:
        return body
    title = str(_LABELS[report.language]["charts"])
    block = f"## {title}\n\n" + "".join(f"![{_alt(name)}]({path})\n\n" for name, path in charts)
    first = body.find("\n## ", body.find("\n## ") + 1)  # after the executive summary
    return body[: first + 1] + block + body[first + 1 :] if first > 0 else body + "\n" + block


def _alt(text: str) -> str:
    return re.sub(r"[\[\]\n]", " ", text).strip()


def _markdown(report: Report) -> str:
    t = _LABELS[report.language]
    v = report.verification
    lines = [
        f"# {report.title}",
        "",
        f"{t['date']}: {report.created_at.date().isoformat()} · {t['as_of']} {report.as_of} · "
        f"{v.numbers_verified}/{v.numbers_total} {t['verified']}",
        "",
    ]
    if report.stopped:
        lines += [f"> {t['stopped']}: {report.stopped}", ""]
    caveats = [
        f"> - [{c['n']}] {c['symbol']} {metric_label(c['metric'], report.language)}: {caveat}"
        for c in report.citations
        if c.get("kind") == "figure"
        for caveat in c.get("caveats") or []
    ]
    if caveats:  # before the summary: a number across an unresolved step is never read bare
        lines += [f"> ⚠ **{t['caveats']}**", ">", *caveats, ""]
    lines += [f"## {t['summary']}", "", report.summary, ""]
    for section in report.sections:
        lines += [f"## {section.heading}", "", _paragraphs(section.text), ""]
    if report.views:
        lines += [
            f"## {t['views']}",
            "",
            f"| {t['person']} | {t['org']} | {t['stance']} | {t['claim']} | {t['figure']} | "
            f"{t['distance']} | {t['source']} |",
            "|---|---|---|---|---|---|---|",
        ]
        stances: dict[str, str] = t["stance_names"]  # type: ignore[assignment]
        for row in report.views:
            cite = f"[{row.citation}]" if row.citation else ""
            lines.append(
                f"| {_cell(row.person)} | {_cell(row.organisation)} | {stances.get(row.stance, row.stance)} | "
                f"{_cell(row.claim)} | {_cell(row.figure)} | {_cell(_distance(row, t))} | {cite} |"
            )
        lines.append("")
    if report.signals:
        lines += [f"## {t['signals']}", "", f"| {t['signal']} | {t['status']} |", "|---|---|"]
        lines += [f"| {_cell(s.label)} | {_cell(s.status)} |" for s in report.signals]
        lines.append("")
    if report.plan is not None:
        lines += _plan_lines(report, t)
    lines += [f"## {t['sources']}", ""]
    lines += [f"{c['n']}. {receipt(c, report.language)}" for c in report.citations]
    lines += ["", "---", "", f"*{report.disclaimer}*", ""]
    return "\n".join(lines)


def _distance(row: Any, t: dict[str, Any]) -> str:
    if not row.distance:
        return ""
    return f"{row.distance} {t['at_horizon']}" if row.at_horizon else row.distance


def _plan_lines(report: Report, t: dict[str, Any]) -> list[str]:
    """The plan as run: window, symbols, how it was approved, sections and their questions."""
    plan = report.plan
    assert plan is not None
    approval: dict[str, str] = t["approval"]
    window = f"{plan.start} – {plan.end}" + (f" ({plan.window_label})" if plan.window_label else "")
    lines = [
        f"## {t['plan']}",
        "",
        f"{t['window']}: {window} · {t['symbols']}: {', '.join(plan.symbols)} · "
        f"{approval.get(report.approval, approval[''])}",
        "",
    ]
    lines += [f"> {note}" for note in plan.notes] + ([""] if plan.notes else [])
    for i, section in enumerate(plan.sections, 1):
        lines.append(f"{i}. **{section.heading}**: {' / '.join(section.questions)}")
    return [*lines, ""]


_CSS = """
body{font-family:"Noto Sans CJK SC","Noto Sans SC","PingFang SC","Microsoft YaHei",system-ui,sans-serif;
max-width:920px;margin:2rem auto;padding:0 1rem;line-height:1.6;color:#1d2330}
h1{font-size:1.7rem;margin-bottom:.2rem}h2{margin-top:2rem;border-bottom:1px solid #dde;padding-bottom:.2rem}
table{border-collapse:collapse;width:100%;font-size:.92rem}td,th{border:1px solid #ccd;padding:.3rem .5rem;vertical-align:top}
th{background:#f2f4f8}blockquote{color:#8a5a00;border-left:4px solid #e0a800;margin:0;padding-left:1rem}
code{font-size:.85em}ol{font-size:.88rem}.chart{margin:1rem 0}
@media print{.chart{page-break-inside:avoid}}
"""


def to_html(report: Report, charts: list[str] | None = None) -> str:
    """A self-contained HTML page: no external CSS, fonts or scripts except inlined chart code."""
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")
    # No image from the text: a title or source entry's image Markdown would be fetched by the
    # reader's browser (and by the PDF printer) with no click. The charts are added below.
    md.disable("image")
    # the link rule again on whatever Markdown this page is made from
    body = _anchored(md.render(delink(to_markdown(report)).text), report)
    chart_html = ""
    if charts:
        title = html.escape(str(_LABELS[report.language]["charts"]))
        chart_html = f"<h2>{title}</h2>" + "".join(f'<div class="chart">{c}</div>' for c in charts)
        marker = "<h2>"
        first = body.find(marker, body.find(marker) + 1)  # after the executive summary
        body = body[:first] + chart_html + body[first:] if first > 0 else body + chart_html
    return (
        f'<!doctype html><html lang="{"zh-CN" if report.language == "zh" else "en"}"><head>'
        f'<meta charset="utf-8"><title>{html.escape(report.title)}</title><style>{_CSS}</style>'
        f"</head><body>{body}</body></html>"
    )


_TEXT_MARKER = re.compile(r"\[(\d{1,3}(?:\s*[,，、]\s*\d{1,3})*)\]")


def _anchored(body: str, report: Report) -> str:
    """Each citation `[n]` a link to its entry in the source list (`#source-n`), each entry
    carrying that id; an outside link opens apart and sends no referrer."""
    numbers = [int(c["n"]) for c in report.citations]
    heading = f"<h2>{html.escape(str(_LABELS[report.language]['sources']))}</h2>"
    at = body.rfind(heading)
    head, tail = (body[:at], body[at:]) if at >= 0 else (body, "")
    known = set(numbers)

    def link(m: re.Match[str]) -> str:
        parts = [p.strip() for p in re.split(r"[,，、]", m.group(1))]
        if not all(p.isdigit() and int(p) in known for p in parts):
            return m.group(0)
        inner = ", ".join(f'<a href="#source-{p}">{p}</a>' for p in parts)
        return f"[{inner}]"

    # markers in text only: never inside a tag, a code span or a link's own text
    pieces = re.split(r"(<code>.*?</code>|<a\b.*?</a>|<[^>]+>)", head, flags=re.S)
    head = "".join(p if i % 2 else _TEXT_MARKER.sub(link, p) for i, p in enumerate(pieces))
    items = iter(numbers)

    def numbered(m: re.Match[str]) -> str:
        n = next(items, None)
        return m.group(0) if n is None else f'<li id="source-{n}" value="{n}">'

    ol = tail.find("<ol")
    if ol >= 0:
        end = tail.find("</ol>", ol)
        tail = tail[:ol] + re.sub(r"<li>", numbered, tail[ol:end]) + tail[end:]
    tail = tail.replace('<a href="http', '<a rel="noopener noreferrer" target="_blank" href="http')
    return head + tail


class PdfUnavailable(RuntimeError):
    """No browser to print with."""


def chromium_binary() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome", "chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def html_to_pdf(html_path: Path, pdf_path: Path, timeout_s: float = 90) -> Path:
    """Print an HTML file to PDF with headless Chromium (the system binary, no download)."""
    binary = chromium_binary()
    if binary is None:
        raise PdfUnavailable(
            "PDF export needs Chromium: install it (Debian: apt-get install chromium fonts-noto-cjk) "
            "or export Markdown/HTML instead."
        )
    with tempfile.TemporaryDirectory() as profile:
        command = [
            binary,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            f"--user-data-dir={profile}",
            "--no-pdf-header-footer",
            "--virtual-time-budget=8000",
            f"--print-to-pdf={pdf_path}",
            html_path.resolve().as_uri(),
        ]
        done = subprocess.run(
            command,
            capture_output=True,
            text=True,
            timeout=timeout_s,
            env={**os.environ, "HOME": profile},
        )
    if done.returncode != 0 or not pdf_path.exists() or pdf_path.stat().st_size == 0:
        raise PdfUnavailable(f"Chromium could not print the report: {done.stderr.strip()[:300]}")
    return pdf_path
