"""The Yahoo Finance adapter: the only module that talks to Yahoo."""

from __future__ import annotations

YAHOO_HOST = "https://query1.finance.yahoo.com/"


def probe(timeout_s: float = 3.0) -> tuple[bool, str]:
    """Tell whether Yahoo's API host answers at all within `timeout_s`."""
    import httpx

    try:
        response = httpx.head(YAHOO_HOST, timeout=timeout_s, follow_redirects=False)
    except httpx.HTTPError as exc:
        return False, f"{type(exc).__name__}: {exc}".strip()[:160]
    except OSError as exc:
        return False, f"{type(exc).__name__}: {exc}"[:160]
    return True, f"HTTP {response.status_code} from {YAHOO_HOST}"
