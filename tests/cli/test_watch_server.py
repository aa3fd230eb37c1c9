"""The `bpc watch --serve` server, spoken to over real sockets on 127.0.0.1.

It serves one output folder to the browsers on this machine and nothing else: only
loopback Host headers (DNS rebinding), no listings, no dotfiles, nothing outside the
folder or through a symlink, bounded waits on slow clients, and 400 for paths that are
not paths.
"""

from __future__ import annotations

import html
import re
import socket
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from blueprint_dsl.api import compile_file
from blueprint_dsl.cli.watch import _Version, serve
from blueprint_dsl.report import build_report_html

from ..conftest import ROOT

SECRET = "top secret: never served"
# A client that stalls mid-request is dropped within this many seconds.
STALL_LIMIT = 10.0


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


@dataclass
class Site:
    port: int
    out: Path
    version: _Version

    @property
    def host(self) -> str:
        return f"127.0.0.1:{self.port}"

    def raw(self, data: bytes, timeout: float = 10.0) -> Reply:
        """Send `data` as it is and read the whole reply (the server closes after it)."""
        with socket.create_connection(("127.0.0.1", self.port), timeout=timeout) as sock:
            sock.sendall(data)
            chunks = []
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline:
                chunk = sock.recv(65536)
                if not chunk:
                    break
                chunks.append(chunk)
        return parse(b"".join(chunks))

    def get(self, path: str, host: str | None = None, method: str = "GET") -> Reply:
        host = self.host if host is None else host
        request = f"{method} {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
        return self.raw(request.encode("latin-1"))


def parse(data: bytes) -> Reply:
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    match = re.match(r"HTTP/1\.[01] (\d{3}) ", lines[0] + " ")
    assert match, f"not an HTTP reply: {data[:200]!r}"
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return Reply(int(match.group(1)), headers, body)


@pytest.fixture
def site(tmp_path: Path) -> Iterator[Site]:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text(SECRET, encoding="utf-8")
    (tmp_path / "secret.txt").write_text(SECRET, encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    report = build_report_html(compile_file(ROOT / "samples/restaurant.bp"), None)
    (out / "restaurant.html").write_text(report, encoding="utf-8")
    (out / "restaurant.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>", "utf-8")
    (out / ".bpc-cache.json").write_text('{"secret": "cache"}', encoding="utf-8")
    (out / "sub").mkdir()
    (out / "sub" / "index.html").write_text("<p>sub index</p></body>", encoding="utf-8")
    (out / "sub" / ".bpc-cache.json").write_text('{"secret": "cache"}', encoding="utf-8")
    (out / "nodir").mkdir()
    (out / "nodir" / "a.svg").write_text("<svg/>", encoding="utf-8")
    (out / "leak.txt").symlink_to(tmp_path / "secret.txt")
    (out / "linked").symlink_to(outside, target_is_directory=True)
    (out / "inside.svg").symlink_to(out / "restaurant.svg")
    version = _Version()
    server = serve(out, 0, version)
    try:
        yield Site(server.server_address[1], out, version)
    finally:
        server.shutdown()
        server.server_close()


def test_serves_the_output_folder_on_loopback_only(site: Site) -> None:
    reply = site.get("/restaurant.svg")
    assert reply.status == 200
    assert reply.body == (site.out / "restaurant.svg").read_bytes()
    assert reply.headers["content-type"] == "image/svg+xml"
    assert reply.headers["x-content-type-options"] == "nosniff"
    assert site.get("/restaurant.svg", method="HEAD").body == b""
    assert site.get("/__bpc/version").text == "0"
    site.version.bump()
    assert site.get("/__bpc/version?x=1").text == "1"
    assert site.get("/missing.html").status == 404


# ---- live reload without weakening the report's CSP ----------------------------------


def csp_of(page: str) -> dict[str, list[str]]:
    match = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">', page)
    assert match, "no CSP"
    policy = html.unescape(match.group(1))
    directives = [d.split() for d in policy.split(";") if d.strip()]
    return {d[0]: d[1:] for d in directives}


def test_served_pages_load_the_reload_script_allowed_by_their_csp(site: Site) -> None:
    original = (site.out / "restaurant.html").read_text("utf-8")
    served = site.get("/restaurant.html").text
    assert '<script src="/__bpc/reload.js"></script></body>' in served
    before, after = csp_of(original), csp_of(served)
    origin = f"http://{site.host}"
    # The report's own script hashes stay; exactly the reload script and the version
    # poll are added; nothing else changes.
    assert after["script-src"] == [*before["script-src"], f"{origin}/__bpc/reload.js"]
    assert after["connect-src"] == [f"{origin}/__bpc/version"]
    added = ("script-src", "connect-src")
    assert {k: v for k, v in after.items() if k not in added} == {
        k: v for k, v in before.items() if k not in added
    }
    assert "connect-src" not in before
    # Asked for as localhost, the page allows the localhost URLs.
    local = csp_of(site.get("/restaurant.html", host=f"localhost:{site.port}").text)
    assert local["script-src"][-1] == f"http://localhost:{site.port}/__bpc/reload.js"
    # The file on disk is never touched.
    assert (site.out / "restaurant.html").read_text("utf-8") == original
    script = site.get("/__bpc/reload.js")
    assert script.status == 200
    assert script.headers["content-type"] == "text/javascript; charset=utf-8"
    assert "/__bpc/version" in script.text and "location.reload()" in script.text
    assert "<script" not in script.text


# ---- hardening -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "host",
    [
        "evil.example",
        "evil.example:{port}",
        "127.0.0.1",
        "localhost",
        "127.0.0.1:1",
        "127.0.0.2:{port}",
        "127.0.0.1:{port}.evil.example",
        "localhost.evil.example:{port}",
        "[::1]:{port}",
        "",
    ],
)
def test_other_host_headers_are_refused(site: Site, host: str) -> None:
    for path in ("/restaurant.html", "/__bpc/version", "/__bpc/reload.js"):
        reply = site.get(path, host=host.format(port=site.port))
        assert reply.status in (400, 421), (host, path)
        assert "Restaurant" not in reply.text


def test_a_missing_or_doubled_host_header_is_refused(site: Site) -> None:
    assert site.raw(b"GET /restaurant.html HTTP/1.0\r\n\r\n").status in (400, 421)
    doubled = f"GET /restaurant.html HTTP/1.1\r\nHost: {site.host}\r\nHost: evil.example\r\n\r\n"
    assert site.raw(doubled.encode()).status in (400, 421)
    assert site.get("/restaurant.html", host=f"localhost:{site.port}").status == 200


def test_no_directory_listings(site: Site) -> None:
    for path in ("/", "/nodir/", "/nodir", "/sub/../nodir/"):
        reply = site.get(path)
        assert reply.status == 404, path
        assert "a.svg" not in reply.text and "restaurant" not in reply.text
    sub = site.get("/sub/")
    assert sub.status == 200 and "sub index" in sub.text
    moved = site.get("/sub")
    assert moved.status == 301 and moved.headers["location"] == "/sub/"


def test_nothing_outside_the_folder_or_through_symlinks(site: Site) -> None:
    for path in (
        "/leak.txt",
        "/linked/secret.txt",
        "/linked/",
        "/inside.svg",
        "/../secret.txt",
        "/%2e%2e/secret.txt",
        "/sub/../../secret.txt",
        "/sub/%2e%2e/%2e%2e/secret.txt",
        "//../secret.txt",
        "/..%2fsecret.txt",
        "/" + str(site.out.parent / "secret.txt"),
    ):
        reply = site.get(path)
        assert reply.status in (400, 404), path
        assert SECRET not in reply.text, path
    absolute = site.get(f"http://{site.host}/../secret.txt")
    assert absolute.status in (400, 404) and SECRET not in absolute.text


def test_the_cache_and_other_dotfiles_are_never_served(site: Site) -> None:
    for path in ("/.bpc-cache.json", "/%2ebpc-cache.json", "/sub/.bpc-cache.json",
                 "/./.bpc-cache.json"):  # fmt: skip
        reply = site.get(path)
        assert reply.status == 404, path
        assert "cache" not in reply.text, path


@pytest.mark.parametrize(
    "path", ["/%00", "/restaurant.html%00.svg", "/" + "a" * 10_000, "/%ff.html", "/%zz", "*"]
)
def test_bad_paths_are_400_without_a_traceback(
    site: Site, path: str, capfd: pytest.CaptureFixture[str]
) -> None:
    reply = site.get(path)
    assert reply.status == 400, path[:40]
    assert site.get("/restaurant.svg").status == 200  # still serving
    captured = capfd.readouterr()
    assert "Traceback" not in captured.err and "Traceback" not in captured.out


def test_a_half_sent_request_times_out(site: Site) -> None:
    stalled = socket.create_connection(("127.0.0.1", site.port), timeout=STALL_LIMIT)
    try:
        started = time.monotonic()
        stalled.sendall(b"GET /restaur")
        # Other clients are served meanwhile.
        assert site.get("/restaurant.svg").status == 200
        try:
            rest = stalled.recv(65536)  # the server gives up and closes the connection
        except TimeoutError:
            pytest.fail("the server held a half-sent request forever")
        while rest:
            rest = stalled.recv(65536)
        assert time.monotonic() - started < STALL_LIMIT
    finally:
        stalled.close()


def test_200_concurrent_requests(site: Site) -> None:
    count = 200
    barrier = threading.Barrier(count, timeout=30)
    request = f"GET /restaurant.svg HTTP/1.1\r\nHost: {site.host}\r\n\r\n".encode()

    def one(_: int) -> int:
        barrier.wait()
        # A short connect time-out: a full listen backlog drops SYNs, retried after 1 s.
        sock = socket.create_connection(("127.0.0.1", site.port), timeout=0.9)
        with sock:
            sock.settimeout(20)
            sock.sendall(request)
            data = b""
            while chunk := sock.recv(65536):
                data += chunk
        return parse(data).status

    with ThreadPoolExecutor(max_workers=count) as pool:
        statuses = list(pool.map(one, range(count), timeout=60))
    assert statuses == [200] * count
