"""`footnote ui`: start the Streamlit app."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import typer

from ui.cli.app import app, console

APP_FILE = Path(__file__).resolve().parent.parent / "app.py"


@app.command("ui")
def serve(
    port: int = typer.Option(8501, help="Port to listen on."),
    host: str = typer.Option("127.0.0.1", help="Address to bind (0.0.0.0 to share on a network)."),
    open_browser: bool = typer.Option(False, "--open", help="Open a browser tab."),
) -> None:
    """Start the app: demo content ready, offline mode when no chat model is configured."""
    from assistant.demo import ensure_demo
    from assistant.settings import get_settings

    settings = get_settings()
    chroma = settings.chroma_dir
    prices = settings.prices_dir
    if (
        prices.is_dir()
        and any(prices.glob("*.parquet"))
        and chroma.is_dir()
        and any(chroma.iterdir())
    ):
        # Ready from an earlier start; the app re-checks the demo corpus when it opens the library.
        console.print(f"Data folder: {settings.home} (demo content present)")
    else:
        for line in ensure_demo(settings):
            console.print(line)
    console.print(f"Footnote is starting on http://{host}:{port}  (Ctrl+C to stop)")
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(APP_FILE),
        "--server.address",
        host,
        "--server.port",
        str(port),
        "--server.headless",
        "false" if open_browser else "true",
        "--browser.gatherUsageStats",
        "false",
        "--global.developmentMode",
        "false",
        "--client.toolbarMode",
        "minimal",
        "--server.fileWatcherType",
        "none",
    ]
    env = {**os.environ, "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false"}
    if os.name == "posix":
        # Become the server, so stopping this process (Ctrl+C, SIGTERM) stops the server too.
        sys.stdout.flush()
        os.execve(sys.executable, command, env)
    try:
        raise typer.Exit(subprocess.call(command, env=env))
    except KeyboardInterrupt:
        raise typer.Exit(0) from None
