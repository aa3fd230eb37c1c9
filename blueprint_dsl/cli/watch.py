"""`bpc watch`: re-check and re-render on every save; `--serve` reloads open pages."""

from __future__ import annotations

import html
import os
import re
import stat
import sys
import threading
import time
import urllib.parse
from collections.abc import Sequence
from functools import partial
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import click

from .common import ConfigCache, exclude_option

# The server that `--serve` starts is for the browsers on this machine only: it listens
# on 127.0.0.1, answers only requests addressed to 127.0.0.1:PORT or localhost:PORT (a
# DNS-rebinding page cannot read it), serves only regular files inside the output folder
# (no listings, no dotfiles such as .bpc-cache.json, nothing through a symlink), and drops
# a client that stalls for REQUEST_TIMEOUT seconds in the middle of a request.
REQUEST_TIMEOUT = 5.0
MAX_PATH = 2048  # characters in a request path; longer ones are refused with 400
VERSION_PATH = "/__bpc/version"
RELOAD_PATH = "/__bpc/reload.js"

# Served as RELOAD_PATH. A report's CSP runs only its own inline script (by hash), so the
# served copy of a page loads this file, and only that copy's CSP allows exactly this
# script and its poll of VERSION_PATH; the files on disk keep their CSP.
RELOAD_SCRIPT = """// bpc watch --serve: reload the page once its blueprint has been rendered again.
(function () {
  "use strict";
  var seen = null;
  function poll() {
    fetch("/__bpc/version", {cache: "no-store"}).then(function (r) { return r.text(); })
      .then(function (v) {
        if (seen === null) { seen = v; } else if (v !== seen) { location.reload(); }
      })
      .catch(function () {})
      .finally(function () { setTimeout(poll, 700); });
  }
  poll();
})();
"""
RELOAD_TAG = f'<script src="{RELOAD_PATH}"></script>'

_CSP_META = re.compile(r'(<meta http-equiv="Content-Security-Policy" content=")([^"]*)(")')
_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".pdf": "application/pdf",
    ".dot": "text/plain; charset=utf-8",
    ".json": "application/json",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
}


class _Version:
    """A counter the served pages poll; it grows after every re-render."""

    def __init__(self) -> None:
        self.value = 0
        self.lock = threading.Lock()

    def bump(self) -> None:
        with self.lock:
            self.value += 1


def served_policy(policy: str, origin: str) -> str:
    """`policy` plus exactly the reload script and the version poll of `origin`."""
    directives = [d.split() for d in policy.split(";") if d.strip()]
    named = {d[0].lower(): d for d in directives}
    fallback = [s for s in named.get("default-src", [])[1:] if s != "'none'"]
    for name, source in (
        ("script-src", origin + RELOAD_PATH),
        ("connect-src", origin + VERSION_PATH),
    ):
        if name in named:
            named[name][1:] = [s for s in named[name][1:] if s != "'none'"] + [source]
        else:
            directives.append([name, *fallback, source])
    return "; ".join(" ".join(d) for d in directives)


def served_page(page: str, origin: str) -> str:
    """The copy of an HTML page that is served: it loads the reload script."""

    def allow(match: re.Match[str]) -> str:
        policy = served_policy(html.unescape(match.group(2)), origin)
        return match.group(1) + html.escape(policy, quote=True) + match.group(3)

    page = _CSP_META.sub(allow, page)
    if "</body>" in page:
        return page.replace("</body>", RELOAD_TAG + "</body>", 1)
    return page + RELOAD_TAG


class _Refused(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


class _Handler(BaseHTTPRequestHandler):
    server_version = "bpc"
    sys_version = ""
    timeout = REQUEST_TIMEOUT  # seconds per read or write on the connection
    root: Path
    version: _Version

    def __init__(self, *args: Any, root: Path, version: _Version, **kwargs: Any) -> None:
        self.root = root
        self.version = version
        super().__init__(*args, **kwargs)

    def do_GET(self) -> None:
        self._answer(body=True)

    def do_HEAD(self) -> None:
        self._answer(body=False)

    def _answer(self, body: bool) -> None:
        try:
            host = self._host()
            path = self._path()
            if path == VERSION_PATH:
                self._send(str(self.version.value).encode(), "text/plain; charset=utf-8", body)
            elif path == RELOAD_PATH:
                self._send(RELOAD_SCRIPT.encode(), _TYPES[".js"], body)
            else:
                self._file(path, host, body)
        except _Refused as refused:
            self.send_error(refused.status, refused.message)

    def _host(self) -> str:
        """The Host header, which must name this server by its loopback address."""
        hosts = self.headers.get_all("Host") or []
        if len(hosts) != 1:
            raise _Refused(400, "One Host header is required")
        host = hosts[0].strip().lower()
        address = self.server.server_address
        port = address[1] if isinstance(address, tuple) else None
        if port is None or host not in (f"127.0.0.1:{port}", f"localhost:{port}"):
            raise _Refused(421, "Misdirected request")
        return host

    def _path(self) -> str:
        """The request path, percent-decoded; 400 for anything that is not a path."""
        target = self.path
        if not target.startswith("/") or len(target) > MAX_PATH:
            raise _Refused(400, "Bad request path")
        raw = target.split("?", 1)[0].split("#", 1)[0]
        if _PERCENT.search(raw):
            raise _Refused(400, "Bad request path")
        try:
            path = urllib.parse.unquote(raw, errors="strict")
        except UnicodeDecodeError:
            raise _Refused(400, "Bad request path") from None
        if any(ord(c) < 0x20 or ord(c) == 0x7F or c == "\\" for c in path):
            raise _Refused(400, "Bad request path")
        return path

    def _file(self, path: str, host: str, body: bool) -> None:
        parts = [p for p in path.split("/") if p]
        if any(p.startswith(".") for p in parts):  # "..", ".bpc-cache.json", temp files
            raise _Refused(404, "Not found")
        target = self.root.joinpath(*parts)
        kind = _kind(self.root, parts)
        if kind == "dir":
            target = target / "index.html"
            if _kind(self.root, [*parts, "index.html"]) != "file":
                raise _Refused(404, "Not found")  # no listings
            if not path.endswith("/"):
                where = "/" + "".join(urllib.parse.quote(p) + "/" for p in parts)
                self.send_response(301)
                self.send_header("Location", where)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
        elif kind != "file":
            raise _Refused(404, "Not found")
        try:
            descriptor = os.open(target, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
        except OSError:
            raise _Refused(404, "Not found") from None
        with os.fdopen(descriptor, "rb") as stream:
            if not stat.S_ISREG(os.fstat(stream.fileno()).st_mode):
                raise _Refused(404, "Not found")
            data = stream.read()
        kind_of = _TYPES.get(target.suffix.lower(), "application/octet-stream")
        if target.suffix.lower() == ".html":
            page = served_page(data.decode("utf-8", errors="replace"), f"http://{host}")
            data = page.encode("utf-8")
        self._send(data, kind_of, body)

    def _send(self, data: bytes, kind: str, body: bool) -> None:
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        if body:
            self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:  # quiet: the watcher talks
        pass


def _kind(root: Path, parts: Sequence[str]) -> str:
    """What root/parts is ("dir", "file" or "none"), walked without following a symlink."""
    where = root
    mode = 0
    for part in parts:
        where = where / part
        try:
            mode = os.lstat(where).st_mode
        except (OSError, ValueError):
            return "none"
        if stat.S_ISLNK(mode):
            return "none"
    if not parts or stat.S_ISDIR(mode):
        return "dir"
    return "file" if stat.S_ISREG(mode) else "none"


class _Server(ThreadingHTTPServer):
    request_queue_size = 256  # a real listen backlog: many pages poll at once
    daemon_threads = True
    block_on_close = False

    def handle_error(self, request: Any, client_address: Any) -> None:
        if isinstance(sys.exc_info()[1], OSError):
            return  # the browser went away mid-answer (a reload, a closed tab)
        super().handle_error(request, client_address)


def serve(out_dir: Path, port: int, version: _Version) -> ThreadingHTTPServer:
    """Serve `out_dir` on 127.0.0.1:`port` (0: a free port) in a daemon thread."""
    handler = partial(_Handler, root=out_dir.resolve(), version=version)
    server = _Server(("127.0.0.1", port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def _stamp() -> str:
    return time.strftime("%H:%M:%S")


@click.command("watch")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("-o", "--output", default="out", show_default=True, help="Output folder.")
@click.option(
    "-f",
    "--format",
    "formats",
    multiple=True,
    default=("svg,html",),
    show_default=True,
    help="Output formats, as for `bpc render`.",
)
@click.option("--theme", type=click.Choice(["default", "print", "colorblind"]), default=None)
@click.option(
    "--engine", type=click.Choice(["auto", "system", "embedded"]), default="auto", show_default=True
)
@click.option("--serve", "serve_pages", is_flag=True, help="Serve the output on 127.0.0.1.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
@click.option("--config", "config_file", type=click.Path(), help="Settings file to use.")
@exclude_option
@click.option(
    "--color", type=click.Choice(["auto", "always", "never"]), default="auto", show_default=True
)
def watch_command(
    paths: tuple[str, ...],
    output: str,
    formats: tuple[str, ...],
    theme: str | None,
    engine: str,
    serve_pages: bool,
    port: int,
    config_file: str | None,
    exclude: tuple[str, ...],
    color: str,
) -> None:
    """Check and render PATHS, then again on every save, until Ctrl-C.

    A file with errors prints its diagnostics and keeps its last good output. With
    --serve, the output folder is served on http://127.0.0.1:PORT/ and open pages reload
    themselves when their blueprint changes.
    """
    import watchfiles

    from ..checks.config import effective_exclude
    from ..core.scan import is_scanned
    from .render import _run

    def render(targets: Sequence[str], force: bool) -> None:
        _run(
            targets,
            output,
            formats,
            theme,
            engine,
            1,
            force,
            config_file,
            False,
            False,
            color,
            exclude,
        )
        _flush()

    version = _Version()
    render(paths, False)
    Path(output).mkdir(parents=True, exist_ok=True)
    server = None
    if serve_pages:
        try:
            server = serve(Path(output), port, version)
        except OSError as error:
            click.echo(f"bpc: error: cannot serve on 127.0.0.1:{port}: {error}", err=True)
            raise SystemExit(2) from None
        click.echo(f"serving {output}/ on http://127.0.0.1:{server.server_address[1]}/")
    click.echo(f"[{_stamp()}] watching {', '.join(paths)} (Ctrl-C stops)")
    _flush()

    # Watch folders, not files: editors save by writing a new file and renaming it.
    files = {Path(p).resolve() for p in paths if Path(p).is_file()}
    folders = [Path(p).resolve() for p in paths if Path(p).is_dir()]
    roots = sorted({str(f.parent) for f in files} | {str(d) for d in folders})

    configs = ConfigCache(config_file)
    skips = {d: effective_exclude(configs.for_folder(d), d) for d in folders}

    def is_blueprint(_change: watchfiles.Change, path: str) -> bool:
        where = Path(path)
        if where.suffix != ".bp":
            return False
        if where in files:
            return True
        # A change inside node_modules, .git or an ignored folder does not re-render.
        return any(
            where.is_relative_to(d)
            and is_scanned(d, where, exclude=exclude, default_exclude=skips[d])
            for d in folders
        )

    try:
        for changes in watchfiles.watch(*roots, watch_filter=is_blueprint, debounce=200):
            changed = sorted({p for _, p in changes if Path(p).is_file()})
            if not changed:
                continue
            click.echo(f"[{_stamp()}] changed: {', '.join(_short(p) for p in changed)}")
            _flush()
            try:
                # An included file (no header) may change any blueprint: redo them all.
                shared = any(_is_library(p) for p in changed)
                render(paths if shared else [_short(p) for p in changed], True)
            except Exception as error:  # the watcher never stops on a bad save
                click.echo(f"bpc: error: {error}", err=True)
            version.bump()
    except KeyboardInterrupt:
        pass
    finally:
        if server is not None:
            server.shutdown()
            server.server_close()
    click.echo("stopped")


def _flush() -> None:
    """The watcher talks as it goes, also into a pipe or a log file."""
    sys.stdout.flush()
    sys.stderr.flush()


def _short(path: str) -> str:
    try:
        return str(Path(path).relative_to(Path.cwd()))
    except ValueError:
        return path


def _is_library(path: str) -> bool:
    from ..language.includes import is_library
    from ..language.parser import parse

    try:
        text = Path(path).read_text("utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return False
    document, _ = parse(text, path)
    return document is not None and is_library(document)
