"""`bpc watch`: re-check and re-render on every save; `--serve` reloads open pages."""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Sequence
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import click

RELOAD_SCRIPT = """<script>
(function () {
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
</script>
"""


class _Version:
    """A counter the served pages poll; it grows after every re-render."""

    def __init__(self) -> None:
        self.value = 0
        self.lock = threading.Lock()

    def bump(self) -> None:
        with self.lock:
            self.value += 1


class _Handler(SimpleHTTPRequestHandler):
    version: _Version

    def __init__(self, *args: Any, version: _Version, **kwargs: Any) -> None:
        self.version = version
        super().__init__(*args, **kwargs)

    def do_GET(self) -> None:
        if self.path.split("?")[0] == "/__bpc/version":
            self._send(str(self.version.value).encode(), "text/plain")
            return
        target = Path(self.translate_path(self.path))
        if target.is_dir():
            target = target / "index.html"
        if target.suffix == ".html" and target.is_file():
            page = target.read_text("utf-8", errors="replace")
            if "</body>" in page:
                page = page.replace("</body>", RELOAD_SCRIPT + "</body>", 1)
            else:
                page += RELOAD_SCRIPT
            self._send(page.encode("utf-8"), "text/html; charset=utf-8")
            return
        super().do_GET()

    def _send(self, body: bytes, kind: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:  # quiet: the watcher talks
        pass


def serve(out_dir: Path, port: int, version: _Version) -> ThreadingHTTPServer:
    handler = partial(_Handler, directory=str(out_dir), version=version)
    server = ThreadingHTTPServer(("127.0.0.1", port), handler)
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
    color: str,
) -> None:
    """Check and render PATHS, then again on every save, until Ctrl-C.

    A file with errors prints its diagnostics and keeps its last good output. With
    --serve, the output folder is served on http://127.0.0.1:PORT/ and open pages reload
    themselves when their blueprint changes.
    """
    import watchfiles

    from .render import _run

    def render(targets: Sequence[str], force: bool) -> None:
        _run(targets, output, formats, theme, engine, 1, force, config_file, False, False, color)
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

    def is_blueprint(_change: watchfiles.Change, path: str) -> bool:
        where = Path(path)
        return where.suffix == ".bp" and (
            where in files or any(where.is_relative_to(d) for d in folders)
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
