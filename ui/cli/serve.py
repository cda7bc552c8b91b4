"""`footnote ui`: start the Streamlit app."""

from __future__ import annotations

import os
from pathlib import Path

import typer

from ui.cli.base import app, console

APP_FILE = Path(__file__).resolve().parent.parent / "app.py"


@app.command("ui")
def serve(
    port: int = typer.Option(8501, help="Port to listen on."),
    host: str = typer.Option("127.0.0.1", help="Address to bind (0.0.0.0 to share on a network)."),
    open_browser: bool = typer.Option(False, "--open", help="Open a browser tab."),
) -> None:
    """Start the app: demo content ready, offline mode when no chat model is configured."""
    from assistant import Footnote

    app_ = Footnote()
    settings = app_.settings
    chroma = settings.chroma_dir
    if settings.price_files() and chroma.is_dir() and any(chroma.iterdir()):
        # Ready from an earlier start; the app re-checks the demo corpus when it opens the library.
        console.print(f"Data folder: {settings.home} (demo content present)")
    else:
        for line in app_.ensure_demo():
            console.print(line)
    console.print(f"Footnote is starting on http://{host}:{port}  (Ctrl+C to stop)")
    os.environ["STREAMLIT_BROWSER_GATHER_USAGE_STATS"] = "false"
    flags = {
        "server_address": host,
        "server_port": port,
        "server_headless": not open_browser,
        "browser_gatherUsageStats": False,
        "global_developmentMode": False,
        "client_toolbarMode": "minimal",
        "server_fileWatcherType": "none",
    }
    # The server runs in this process: no second interpreter to start and import into.
    from streamlit.web import bootstrap

    bootstrap.load_config_options(flags)
    try:
        bootstrap.run(str(APP_FILE), False, [], flags)
    except KeyboardInterrupt:
        raise typer.Exit(0) from None
