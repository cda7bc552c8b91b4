"""The app in a real browser: `footnote ui` on 127.0.0.1, headless Chromium asks in both languages.

With ../shared beside the clone the app imports the real demo prices, as a user's first start does,
and the test takes the README's screenshots (test-artifacts/screenshots/). Without it the test
writes a small synthetic price set of its own, points the app at it, and checks the numbers the
app shows against values it computes from those files. Each data source keeps its own data folder
in test-artifacts/ between runs (the demo ingest takes about half a minute the first time).
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

from tests.conftest import REPO, SHARED_PRICES, offline_subprocess_env
from tests.ui.cdp import CHROMIUM, Browser
from tools import calendar
from tools.prices.fake import synthetic_ohlcv

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


REAL = SHARED_PRICES.is_dir()
# the suite runs with and without the shared folder side by side (.ci/run): apart folders, logs
MODE = "" if REAL else "-synthetic"
SYMBOLS = ("^RUT", "^GSPC", "^IXIC", "^DJI", "^VIX", "IWM", "SPY", "QQQ")
START, END = "2025-12-01", "2026-01-23"


def _synthetic_prices(folder: Path) -> dict[str, pd.DataFrame]:
    """Write seeded random-walk CSVs (plain layout) for the demo's symbols; return the frames."""
    sessions = pd.DatetimeIndex(calendar.sessions_between("2024-01-02", "2026-03-06"))
    frames = synthetic_ohlcv(SYMBOLS, sessions, seed=11, start_price=2000.0)
    (folder / "synthetic").mkdir(parents=True, exist_ok=True)
    for symbol, frame in frames.items():
        frame.round(2).to_csv(folder / "synthetic" / f"{symbol}.csv", index_label="Date")
    return {s: f.round(2) for s, f in frames.items()}


def _expected(frames: dict[str, pd.DataFrame] | None) -> tuple[str, str]:
    """The Russell 2000's Dec 1 - Jan 23 return from the previous close and from the open."""
    if frames is None:  # the real shared prices
        return "+6.75%", "+7.53%"
    rut = frames["^RUT"]
    end_close = rut.loc[END, "Close"]
    before = rut.loc[: pd.Timestamp(START) - pd.Timedelta(days=1), "Close"].iloc[-1]
    prev = end_close / before - 1
    from_open = end_close / rut.loc[START, "Open"] - 1
    return f"{prev:+.2%}", f"{from_open:+.2%}"


@pytest.fixture(scope="module")
def data() -> tuple[Path, dict[str, pd.DataFrame] | None]:
    """The app's data folder, and the synthetic frames when the shared prices are absent."""
    if REAL:
        home = ARTIFACTS / "browser-home"
        home.mkdir(parents=True, exist_ok=True)
        return home, None
    home = ARTIFACTS / "browser-home-synthetic"
    frames = _synthetic_prices(home / "csv")
    return home, frames


@pytest.fixture(scope="module")
def app_url(data: tuple[Path, dict[str, pd.DataFrame] | None]) -> Iterator[str]:
    """Start `footnote ui` in offline mode and wait until it answers."""
    home, frames = data
    env = offline_subprocess_env(home)
    if frames is not None:
        env["FOOTNOTE_DEMO_PRICES"] = str(home / "csv")
    yield from _serve(env, f"browser-server{MODE}.log")


@pytest.fixture(scope="module")
def no_prices_url() -> Iterator[str]:
    """`footnote ui` on a data folder with no prices at all and no demo CSVs to import."""
    home = ARTIFACTS / f"browser-home-no-prices{MODE}"
    empty = home / "no-csv"
    empty.mkdir(parents=True, exist_ok=True)
    env = offline_subprocess_env(home)
    env["FOOTNOTE_DEMO_PRICES"] = str(empty)
    yield from _serve(env, f"browser-server-no-prices{MODE}.log")


def _serve(env: dict[str, str], log_name: str) -> Iterator[str]:
    port = _free_port()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    log = (ARTIFACTS / log_name).open("w")
    server = subprocess.Popen(
        [sys.executable, "-c", "from ui.cli import main; main()", "ui", "--port", str(port)],
        cwd=REPO,
        env=env,
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


def _shot(browser: Browser, name: str) -> None:
    """The README's screenshots show the real demo data, never the synthetic set."""
    if REAL:
        browser.screenshot(SHOTS / name)


def test_questions_in_english_and_chinese_are_answered_with_citations(
    app_url: str, browser: Browser, data: tuple[Path, dict[str, pd.DataFrame] | None]
) -> None:
    prev_close, from_open = _expected(data[1])
    browser.goto(app_url)
    browser.wait_for(f"document.querySelector({CHAT_INPUT!r})", timeout=180)
    browser.wait_for("document.body.innerText.includes('Russell 2000')", timeout=120, settle=3)
    _shot(browser, "feed-en.png")  # after the sparklines have drawn

    browser.type_into(
        CHAT_INPUT, "How did the Russell 2000 do from December 1, 2025 to January 23, 2026?"
    )
    browser.wait_for(_answered("numbers verified"), timeout=180, settle=1.5)
    text = browser.text()
    assert prev_close in text and from_open in text
    assert "numbers verified" in text
    cites = browser.eval(_citations())
    assert cites and any("^RUT return" in c for c in cites)
    _shot(browser, "chat-en.png")
    browser.click_text("[data-testid=stPopover] button", "[1]")
    browser.wait_for(
        "document.body.innerText.includes('Close[2026-01-23] / Close[2025-11-28] - 1')"
    )
    _shot(browser, "receipt-en.png")
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
    _shot(browser, "news-zh.png")

    browser.type_into(CHAT_INPUT, "罗素2000从2025年12月1日到2026年1月23日涨了多少？")
    browser.wait_for(_answered("个数字已核验"), timeout=180, settle=1.5)
    text = browser.text()
    assert "罗素2000" in text and prev_close in text
    cites = browser.eval(_citations())
    assert cites and any("^RUT 涨跌幅" in c for c in cites)  # the reader's name, in Chinese
    _shot(browser, "chat-zh.png")


RAW_ERROR = ("DNSError", "curl", "Could not resolve", "link removed", "Traceback", "Errno")
# a badge or mark whose background is green (Streamlit draws them as tinted spans)
GREEN_BADGE = """[...document.querySelectorAll('[data-testid=stMain] span')].some(e => {
  const c = (getComputedStyle(e).backgroundColor.match(/[\\d.]+/g) || []).map(Number);
  if (c.length < 3 || (c.length > 3 && c[3] < 0.02) || !e.innerText.trim()) return false;
  return c[1] > c[0] + 40 && c[1] > c[2] + 20;
})"""


def _calm(browser: Browser) -> str:
    text = browser.text()
    assert not [w for w in RAW_ERROR if w in text], text[:2000]
    assert "0/0" not in text and "market figures hold" not in text
    assert "numbers verified" not in text
    return text


def test_without_prices_feed_news_and_chat_are_calm(no_prices_url: str, browser: Browser) -> None:
    """A new user with no prices: one calm note per surface with the fix, no green badge."""
    browser.goto(no_prices_url)
    browser.wait_for(f"document.querySelector({CHAT_INPUT!r})", timeout=180)
    browser.wait_for(
        "document.body.innerText.includes('No prices are stored for')", timeout=180, settle=2
    )
    text = _calm(browser)
    assert "footnote prices import PATH" in text and "Import prices (CSV)" in text

    browser.click_text("a", "Open")
    browser.wait_for(
        "document.body.innerText.includes('not investment advice')", timeout=120, settle=2
    )
    text = _calm(browser)
    assert "No prices are stored for Russell 2000 (^RUT)" in text
    assert "AI-generated" in text

    browser.type_into(CHAT_INPUT, "How did the Russell 2000 do in January 2026?")
    browser.wait_for(_answered("No prices are stored for Russell 2000"), timeout=180, settle=1.5)
    text = _calm(browser)
    assert "no numbers to verify" in text
    assert browser.eval(GREEN_BADGE) is False
