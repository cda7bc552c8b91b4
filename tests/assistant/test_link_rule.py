"""One link rule on every surface: what `link_allowed` lets through is a link; anything else
(an outside host, another scheme, credentials, a `www.` or e-mail address) is shown as text that
no renderer links. The app's Markdown, the CLI and the exports all go through it."""

from __future__ import annotations

import re

import pytest

from assistant.grounding.links import delink, inert_links, link_allowed, stray_links

ALLOWED = "https://www.jpmorgan.com/insights/global-research/economy/fed-rate-cuts"


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        (ALLOWED, True),
        ("https://finance.yahoo.com/quote/%5ERUT/history/", True),
        ("http://finance.yahoo.com/quote/%5ERUT/history/", False),  # https only
        ("https://thefinancememories.com/?p=67757", False),
        ("javascript:alert(1)", False),
        ("data:image/png;base64,AAAA", False),
        ("https://user:pw@www.jpmorgan.com/x", False),
        ("https://www.jpmorgan.com:8443/x", False),
        ("https://www.jpmorgan.com.evil.example/x", False),
        ("//www.jpmorgan.com/x", False),
        ("", False),
    ],
)
def test_the_rule(url: str, allowed: bool) -> None:
    assert link_allowed(url) is allowed


def test_with_the_sources_known_only_they_are_links() -> None:
    other = "https://www.jpmorgan.com/somewhere-else"
    assert link_allowed(ALLOWED, [ALLOWED + "/"])
    assert not link_allowed(other, [ALLOWED])
    done = delink(f"See [{ALLOWED}]({ALLOWED}) and {other}.", [ALLOWED])
    assert done.strays == [other]
    assert done.text == f"See [{ALLOWED}]({ALLOWED}) and `{other}`."


@pytest.mark.parametrize(
    "text",
    [
        "see www.evil.example now",
        "mail leak@evil.example now",
        "go https://evil.example/x?d=1.",
        "链接https://evil.example/x，然后",
        "[click](https://evil.example/c)",
        "<https://evil.example/a>",
        "and //evil.example/b",
    ],
)
def test_every_other_address_becomes_a_code_span_once(text: str) -> None:
    done = delink(text)
    assert len(done.strays) == 1
    assert [url for _, _, url in inert_links(done.text)] == done.strays
    assert stray_links(done.text) == []  # nothing left to link
    assert delink(done.text).text == done.text  # applying it again changes nothing
    assert "10//20" in delink("a ratio of 10//20").text  # no address there


def test_the_app_markdown_shows_addresses_as_code_spans() -> None:
    """Streamlit's GFM links bare URLs, `www.` and e-mail addresses after parsing (a backslash
    escape does not stop it; checked in the browser against Streamlit 1.5x); inside a code span
    it links nothing. `safe` (every st.markdown of outside text) writes them so."""
    from ui.components.markdown import safe, with_markers

    shown = with_markers("Breadth [1]; see www.evil.example or leak@evil.example, " + ALLOWED)
    assert "`www.evil.example`" in shown and "`leak@evil.example`" in shown
    assert shown.endswith(ALLOWED)  # an allow-listed address stays a link
    outside = re.sub(r"`[^`]*`", "", safe("x https://evil.example/y ![i](https://evil.example/i)"))
    assert "evil.example" not in outside


def test_the_cli_shows_a_source_by_the_same_rule() -> None:
    from ui.cli.base import source_link

    assert source_link(ALLOWED) == f"[link={ALLOWED}]{ALLOWED}[/link]"
    shown = source_link("https://thefinancememories.com/?p=67757", "zh")
    assert shown is not None and "[link=" not in shown
    assert "thefinancememories.com 不在允许列表中" in shown
    assert source_link(None) is None
