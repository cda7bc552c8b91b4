"""Throwaway database servers for the tests, the CI script and the benchmarks.

`start_postgres()` makes a PostgreSQL cluster in a temporary folder (initdb, then pg_ctl) that
listens on a Unix socket in that folder only, so it needs no free TCP port and is reached by no
other machine. PostgreSQL refuses to run as root: as root the cluster is made and run as the
`postgres` user (Debian's packages create it), through `runuser`.

    python -m tests.servers postgres      # prints the URL, serves until killed
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import subprocess
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote


def postgres_bin() -> Path | None:
    """The folder holding initdb and pg_ctl, or None when PostgreSQL is not installed."""
    found = shutil.which("initdb")
    if found:
        return Path(os.path.realpath(found)).parent
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(versions[-1]).parent if versions else None


def why_no_postgres() -> str | None:
    """Why a throwaway cluster cannot be started here, or None when it can."""
    if postgres_bin() is None:
        return "PostgreSQL is not installed (no initdb; Debian: apt-get install postgresql)"
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return "running as root and there is no 'postgres' user to run the server as"
        if shutil.which("runuser") is None:
            return "running as root and there is no runuser to run the server as 'postgres'"
    return None


@dataclass
class Postgres:
    folder: Path
    port: int
    _as_user: list[str]

    @property
    def url(self) -> str:
        return f"postgresql://footnote@/postgres?host={quote(str(self.folder), safe='')}&port={self.port}"

    def stop(self) -> None:
        subprocess.run(
            [
                *self._as_user,
                str(_bin("pg_ctl")),
                "-D",
                str(self.folder / "data"),
                "-m",
                "fast",
                "-w",
                "stop",
            ],
            capture_output=True,
            check=False,
            timeout=60,
        )
        shutil.rmtree(self.folder, ignore_errors=True)


def _bin(name: str) -> Path:
    folder = postgres_bin()
    assert folder is not None
    return folder / name


def start_postgres(port: int = 5432) -> Postgres:
    """Make and start a cluster (trust authentication, user `footnote`); raise when it fails."""
    reason = why_no_postgres()
    if reason is not None:
        raise RuntimeError(reason)
    folder = Path(tempfile.mkdtemp(prefix="footnote-pg-"))
    as_user: list[str] = []
    if os.geteuid() == 0:
        entry = pwd.getpwnam("postgres")
        os.chown(folder, entry.pw_uid, entry.pw_gid)
        as_user = ["runuser", "-u", "postgres", "--"]
    server = Postgres(folder, port, as_user)
    data = folder / "data"
    steps = [
        [
            str(_bin("initdb")),
            "-D",
            str(data),
            "-A",
            "trust",
            "-U",
            "footnote",
            "-E",
            "UTF8",
            "--no-sync",
            "--locale=C.UTF-8",
        ],
        [
            str(_bin("pg_ctl")),
            "-D",
            str(data),
            "-l",
            str(folder / "server.log"),
            "-w",
            "-t",
            "60",
            "-o",
            f"-k {folder} -c listen_addresses='' -p {port} -c fsync=off",
            "start",
        ],
    ]
    for step in steps:
        done = subprocess.run(
            [*as_user, *step], capture_output=True, text=True, check=False, timeout=120
        )
        if done.returncode != 0:
            log = ""
            with contextlib.suppress(OSError):
                log = (folder / "server.log").read_text(encoding="utf-8")[-1500:]
            server.stop()
            raise RuntimeError(f"{step[0]} failed: {done.stderr[-1500:]}{log}")
    return server


def fresh_schema_url(base: str) -> str:
    """`base` with a search path on a new, empty schema: one test's own tables on a shared
    server (a schema costs milliseconds, a database a second)."""
    import psycopg

    name = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {name}")
    joiner = "&" if "?" in base else "?"
    return f"{base}{joiner}options={quote(f'-csearch_path={name}', safe='')}"


if __name__ == "__main__":
    import sys

    server = start_postgres(int(sys.argv[2]) if len(sys.argv) > 2 else 5432)
    print(server.url, flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
