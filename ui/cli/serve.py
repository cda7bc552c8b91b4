"""`footnote ui`: start the Streamlit app."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import typer

from ui.cli.base import app, console, prepare

APP_FILE = Path(__file__).resolve().parent.parent / "app.py"


@app.command("ui")
def serve(
    port: int | None = typer.Option(
        None,
        help="Port to listen on (default: Streamlit's server.port, from STREAMLIT_SERVER_PORT or "
        ".streamlit/config.toml, else 8501).",
    ),
    host: str | None = typer.Option(
        None,
        help="Address to bind, 0.0.0.0 to share on a network (default: Streamlit's "
        "server.address, else 127.0.0.1, this machine only).",
    ),
    open_browser: bool = typer.Option(False, "--open", help="Open a browser tab."),
) -> None:
    """Start the app: demo content ready, offline mode when no chat model is configured."""
    from assistant import Footnote

    app_ = Footnote()
    settings = app_.settings
    if not app_.needs_setup():
        # Ready from an earlier start; the app re-checks the demo corpus when it opens the library.
        console.print(f"Data folder: {settings.home} (demo content present)")
    else:
        prepare(app_)
    os.environ["STREAMLIT_BROWSER_GATHER_USAGE_STATS"] = "false"
    flags: dict[str, object] = {
        "server_headless": not open_browser,
        "browser_gatherUsageStats": False,
        "global_developmentMode": False,
        "client_toolbarMode": "minimal",
        "server_fileWatcherType": "none",
    }
    # --port and --host win; without them Streamlit's own configuration (its environment
    # variables and config files) decides, and only an address nobody set becomes 127.0.0.1.
    flags.update(_environment_flags())
    if port is not None:
        flags["server_port"] = port
    if host is not None:
        flags["server_address"] = host
    # The server runs in this process: no second interpreter to start and import into.
    from streamlit import config
    from streamlit.web import bootstrap

    # Each parse after Streamlit's first logs "please restart streamlit" when a [server]
    # option moved; nothing is running yet, so that advice is wrong here: not printed.
    restart_hint = _DropRestartHint()
    config_log = logging.getLogger("streamlit.config")
    config_log.addFilter(restart_hint)
    try:
        bootstrap.load_config_options(flags)
        if not config.get_option("server.address"):
            flags["server_address"] = "127.0.0.1"
            bootstrap.load_config_options(flags)
    finally:
        config_log.removeFilter(restart_hint)
    where = f"http://{config.get_option('server.address')}:{config.get_option('server.port')}"
    console.print(f"Footnote is starting on {where}  (Ctrl+C to stop)")
    try:
        bootstrap.run(str(APP_FILE), False, [], flags)
    except KeyboardInterrupt:
        raise typer.Exit(0) from None


class _DropRestartHint(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return "please restart streamlit" not in record.getMessage()


def _environment_flags() -> dict[str, object]:
    """Streamlit's STREAMLIT_* variables as its own `streamlit run` reads them: the server's
    config module reads only the secret ones, its command line (click) the others."""
    import click
    from streamlit import config

    flags: dict[str, object] = {}
    for key, option in config.get_config_options().items():
        value = os.environ.get(option.env_var)
        if value is None or option.sensitive or option.multiple:
            continue
        try:
            flags[key.replace(".", "_")] = click.types.convert_type(option.type).convert(
                value, None, None
            )
        except click.BadParameter as exc:
            raise typer.BadParameter(f"{option.env_var}: {exc.message}") from None
    return flags
