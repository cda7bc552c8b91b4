"""The app in a real browser: `footnote ui` on 127.0.0.1, headless Chromium asks in both languages.

The data folder is kept in test-artifacts/browser-home between runs (the demo ingest takes about
half a minute the first time); screenshots go to test-artifacts/screenshots/.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator

import pytest

from tests.conftest import REPO, offline_subprocess_env
from tests.ui.cdp import CHROMIUM, Browser

ARTIFACTS = REPO / "test-artifacts"
SHOTS = ARTIFACTS / "screenshots"
CHAT_INPUT = "[data-testid=stChatInput] textarea"
pytestmark = [
    pytest.mark.slow,
    pytest.mark.allow_hosts(["127.0.0.1"]),
    pytest.mark.skipif(
        CHROMIUM is None,
        reason="Chromium is not installed (apt-get install -y chromium fonts-noto-cjk)",
    ),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def app_url() -> Iterator[str]:
    """Start `footnote ui` in offline mode and wait until it answers."""
    home = ARTIFACTS / "browser-home"
    home.mkdir(parents=True, exist_ok=True)
    port = _free_port()
    log = (ARTIFACTS / "browser-server.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-c", "from ui.cli import main; main()", "ui", "--port", str(port)],
        cwd=REPO,
        env=offline_subprocess_env(home),
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 240
    try:
        while True:
            if server.poll() is not None:
                raise RuntimeError(f"footnote ui exited; see {log.name}")
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as reply:
                    if reply.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise TimeoutError(f"footnote ui did not start; see {log.name}")
            time.sleep(0.5)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


@pytest.fixture
def browser() -> Iterator[Browser]:
    page = Browser()
    try:
        yield page
    finally:
        page.close()


def _answered(marker: str) -> str:
    """JS: true once the last chat message is an assistant answer carrying `marker`."""
    return (
        "(() => { const m = [...document.querySelectorAll('[data-testid=stChatMessage]')];"
        " return m.length >= 2 && document.body.innerText.includes(" + repr(marker) + ")"
        " && !document.querySelector('[data-testid=stStatusWidget]'); })()"
    )


def _citations() -> str:
    return (
        "[...document.querySelectorAll('[data-testid=stPopover] button')]"
        ".map(b => b.innerText.trim()).filter(t => /^\\[\\d+\\]/.test(t.replace(/^\\S+\\s/, '')) || /\\[\\d+\\]/.test(t))"
    )


def test_questions_in_english_and_chinese_are_answered_with_citations(
    app_url: str, browser: Browser
) -> None:
    browser.goto(app_url)
    browser.wait_for(f"document.querySelector({CHAT_INPUT!r})", timeout=180)
    browser.wait_for("document.body.innerText.includes('Russell 2000')", timeout=120, settle=3)
    browser.screenshot(SHOTS / "feed-en.png")  # after the sparklines have drawn

    browser.type_into(
        CHAT_INPUT, "How did the Russell 2000 do from December 1, 2025 to January 23, 2026?"
    )
    browser.wait_for(_answered("numbers verified"), timeout=180, settle=1.5)
    text = browser.text()
    assert "+6.75%" in text and "+7.53%" in text
    assert "numbers verified" in text
    cites = browser.eval(_citations())
    assert cites and any("^RUT return" in c for c in cites)
    browser.screenshot(SHOTS / "chat-en.png")
    browser.click_text("[data-testid=stPopover] button", "[1]")
    browser.wait_for(
        "document.body.innerText.includes('Close[2026-01-23] / Close[2025-11-28] - 1')"
    )
    browser.screenshot(SHOTS / "receipt-en.png")
    browser.send(
        "Input.dispatchKeyEvent", {"type": "keyDown", "key": "Escape", "code": "Escape"}, True
    )

    browser.click_text("[data-testid=stSidebar] button", "中文")
    browser.wait_for("document.body.innerText.includes('对话')")
    browser.click_text("[data-testid=stSidebarNav] a", "首页")
    browser.wait_for("[...document.querySelectorAll('a')].some(a => a.innerText.includes('查看'))")
    browser.click_text("a", "查看")
    browser.wait_for("document.body.innerText.includes('需关注的信号')", timeout=120, settle=2.5)
    browser.scroll_top()
    browser.screenshot(SHOTS / "news-zh.png")

    browser.type_into(CHAT_INPUT, "罗素2000从2025年12月1日到2026年1月23日涨了多少？")
    browser.wait_for(_answered("个数字已核验"), timeout=180, settle=1.5)
    text = browser.text()
    assert "罗素2000" in text and "+6.75%" in text
    cites = browser.eval(_citations())
    assert cites and any("^RUT return" in c for c in cites)
    browser.screenshot(SHOTS / "chat-zh.png")
