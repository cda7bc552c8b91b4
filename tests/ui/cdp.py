"""A minimal Chrome DevTools Protocol driver for the system Chromium (no browser download)."""

from __future__ import annotations

import contextlib
import json
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-extensions",
    "--disable-default-apps",
    "--hide-scrollbars",
    "--remote-debugging-port=0",
)


class Browser:
    """One headless Chromium with one page, driven over the DevTools protocol."""

    def __init__(
        self,
        width: int = 1400,
        height: int = 1500,
        lang: str = "en-US",
        profile: Path | None = None,
    ) -> None:
        """Start Chromium; `profile` keeps its cache across browsers (a fresh one is removed)."""
        from websockets.sync.client import connect

        assert CHROMIUM is not None
        self._own_profile = profile is None
        self.profile = profile or Path(tempfile.mkdtemp(prefix="footnote-chromium-"))
        (self.profile / "DevToolsActivePort").unlink(missing_ok=True)
        self.process = subprocess.Popen(
            [CHROMIUM, *FLAGS, f"--user-data-dir={self.profile}", f"--lang={lang}", "about:blank"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        port_file = self.profile / "DevToolsActivePort"
        deadline = time.monotonic() + 30
        while not port_file.exists() or len(port_file.read_text().splitlines()) < 2:
            if time.monotonic() > deadline or self.process.poll() is not None:
                raise RuntimeError("Chromium did not open its DevTools port")
            time.sleep(0.1)
        port, path = port_file.read_text().splitlines()[:2]
        self._stack = contextlib.ExitStack()
        self.ws = self._stack.enter_context(
            connect(f"ws://127.0.0.1:{port}{path}", max_size=None, open_timeout=10)
        )
        self._id = 0
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        self.session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})[
            "sessionId"
        ]
        self.send("Page.enable", session=True)
        self.send(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
            session=True,
        )

    def send(
        self, method: str, params: dict[str, Any] | None = None, session: bool = False
    ) -> dict[str, Any]:
        """Send one command and return its result (events in between are skipped)."""
        self._id += 1
        message: dict[str, Any] = {"id": self._id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = self.session
        self.ws.send(json.dumps(message))
        while True:
            reply = json.loads(self.ws.recv(timeout=60))
            if reply.get("id") == self._id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})  # type: ignore[no-any-return]

    def goto(self, url: str) -> None:
        self.send("Page.navigate", {"url": url}, session=True)

    def eval(self, expression: str) -> Any:
        """Evaluate JavaScript in the page and return its value."""
        result = self.send(
            "Runtime.evaluate",
            {"expression": expression, "returnByValue": True, "awaitPromise": True},
            session=True,
        )
        return result.get("result", {}).get("value")

    def wait_for(
        self, expression: str, timeout: float = 60, settle: float = 0.8, poll: float = 0.25
    ) -> Any:
        """Poll a JavaScript expression every `poll` s until it is truthy; then let the page settle."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            value = self.eval(f"!!({expression})")
            if value:
                time.sleep(settle)
                return value
            time.sleep(poll)
        # what the page showed instead: the one clue a flaky wait leaves in a CI log
        shown = " ".join(self.text().split())[-1500:]
        raise TimeoutError(f"waited {timeout:g} s for: {expression}\npage text (end): {shown}")

    def text(self) -> str:
        return str(self.eval("document.body.innerText") or "")

    def type_into(self, selector: str, text: str) -> None:
        """Focus a field, type `text` and press Enter. The text is typed again when it did not
        land in the field (a page that re-renders may take the focus away)."""
        field = f"document.querySelector({json.dumps(selector)})"
        for _ in range(5):
            self.eval(f"{field}.focus()")
            self.send("Input.insertText", {"text": text}, session=True)
            time.sleep(0.3)
            if self.eval(f"{field} && {field}.value") == text:
                break
            print(f"type_into: the text did not land in {selector}; typing again", flush=True)
            self.eval(f"(() => {{ const f = {field}; if (f) {{ f.focus(); f.select(); }} }})()")
            for kind in ("keyDown", "keyUp"):  # clear whatever part did land
                key = {"key": "Backspace", "code": "Backspace", "windowsVirtualKeyCode": 8}
                self.send("Input.dispatchKeyEvent", {"type": kind, **key}, session=True)
            time.sleep(0.5)
        else:
            raise AssertionError(f"could not type into {selector}")
        for kind in ("keyDown", "keyUp"):
            self.send(
                "Input.dispatchKeyEvent",
                {
                    "type": kind,
                    "key": "Enter",
                    "code": "Enter",
                    "windowsVirtualKeyCode": 13,
                    **({"text": "\r"} if kind == "keyDown" else {}),
                },
                session=True,
            )

    def click_text(self, selector: str, text: str) -> None:
        """Click the first element matching `selector` whose text contains `text`."""
        found = self.eval(
            f"(() => {{ const el = [...document.querySelectorAll({json.dumps(selector)})]"
            f".find(e => e.innerText.includes({json.dumps(text)})); if (el) el.click(); return !!el; }})()"
        )
        if not found:
            raise LookupError(f"no {selector} with text {text!r}")

    def scroll_top(self) -> None:
        """Scroll the page and Streamlit's main container back to the top."""
        self.eval(
            "document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0);"
            " for (const el of document.querySelectorAll('*'))"
            " { if (el.scrollTop > 0) el.scrollTop = 0; }"
        )
        time.sleep(0.5)

    def screenshot(self, path: Path) -> Path:
        data = self.send("Page.captureScreenshot", {"format": "png"}, session=True)["data"]
        import base64

        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(data))
        return path

    def close(self) -> None:
        try:
            self._stack.close()
        finally:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
            if self._own_profile:
                shutil.rmtree(self.profile, ignore_errors=True)
