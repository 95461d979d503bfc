"""The system Chromium over a loopback HTTP server: run a page's scripts, read the DOM, run axe-core.

Pages are served by Python's ``http.server`` on 127.0.0.1 at a free port
(stopped when the ``serve`` block ends) and loaded by headless Chromium with
``--dump-dom`` after a virtual-time budget, so the page's own scripts
(Pagefind's search box) have run when the DOM is read.

axe-core is the npm package (``dev/system-packages.sh`` installs it into
``~/.cache/tmkit/axe-core``, or ``TMKIT_AXE`` names an ``axe.min.js``).
To run it, the server hands out the page with axe and a small runner appended
and without its Content-Security-Policy meta line (which forbids every
script but the site's own: injected test scripts included); the markup
tested is otherwise the page as written.  The runner writes the violations
into a ``<pre id="axe-results">`` that the dumped DOM carries back; it runs a
second after the page loaded, once the page's own scripts drew what they draw.
"""

from __future__ import annotations

import functools
import json
import os
import re
import shutil
import subprocess
import tempfile
import threading
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Iterator, Optional
from urllib.parse import unquote, urlsplit

import pytest

#: The rule sets run: WCAG 2.0-2.2 A and AA, and axe's best practices.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
AXE_DEFAULT = Path.home() / ".cache" / "tmkit" / "axe-core" / "node_modules" / "axe-core" / "axe.min.js"
_RUNNER = """
window.addEventListener("load", function () { setTimeout(function () {
axe.run(document, {runOnly: {type: "tag", values: %s}, resultTypes: ["violations"]}).then(function (r) {
  var pre = document.createElement("pre"); pre.id = "axe-results";
  pre.textContent = JSON.stringify(r.violations.map(function (v) {
    return {id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.map(function (n) { return n.target.join(" ") + ": " + n.failureSummary; })};
  }));
  document.body.appendChild(pre);
}, function (e) {
  var pre = document.createElement("pre"); pre.id = "axe-results";
  pre.textContent = JSON.stringify([{id: "axe-error", nodes: [String(e)]}]);
  document.body.appendChild(pre);
});
}, 1000); });
""" % json.dumps(AXE_TAGS)
_CSP_META = re.compile(rb'<meta http-equiv="Content-Security-Policy"[^>]*>\n?')


def chromium() -> Optional[str]:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def axe_script() -> Optional[Path]:
    path = Path(os.environ.get("TMKIT_AXE") or AXE_DEFAULT)
    return path if path.is_file() else None


needs_chromium = pytest.mark.skipif(chromium() is None,
                                    reason="Chromium not installed (apt-get install -y chromium)")
needs_axe = pytest.mark.skipif(axe_script() is None,
                               reason="axe-core not installed (bash dev/system-packages.sh installs it "
                                      "from npm into ~/.cache/tmkit/axe-core)")


class _Handler(SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:   # quiet test output
        pass

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        if parts.path == "/__axe__/axe.min.js":
            return self._send(axe_script().read_bytes(), "text/javascript")
        if parts.path == "/__axe__/run.js":
            return self._send(_RUNNER.encode(), "text/javascript")
        if "axe=1" in parts.query and parts.path.endswith(".html"):
            page = Path(self.directory) / unquote(parts.path).lstrip("/")
            data = _CSP_META.sub(b"", page.read_bytes())
            data = data.replace(b"</body>", b'<script src="/__axe__/axe.min.js"></script>'
                                            b'<script src="/__axe__/run.js"></script></body>')
            return self._send(data, "text/html; charset=utf-8")
        return super().do_GET()

    def _send(self, data: bytes, kind: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


@contextmanager
def serve(root: Path) -> Iterator[str]:
    """Serve ``root`` on 127.0.0.1 at a free port; yields the base URL, stops the server after."""
    handler = functools.partial(_Handler, directory=os.fspath(root))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def dump_dom(url: str, budget_ms: int = 8000) -> str:
    """The DOM of ``url`` after its scripts ran (headless Chromium, a fresh profile)."""
    profile = tempfile.mkdtemp(prefix="tmkit-chromium-")
    try:
        result = subprocess.run([chromium(), "--headless", "--no-sandbox", "--disable-gpu",
                                 "--disable-background-networking", "--disable-component-update",
                                 "--disable-sync", "--no-first-run", f"--user-data-dir={profile}",
                                 f"--virtual-time-budget={budget_ms}", "--dump-dom", url],
                                capture_output=True, text=True, timeout=120)
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


def axe_violations(base: str, rel: str) -> list[dict]:
    """axe-core's violations on the page ``rel`` served under ``base``."""
    from lxml import html as lhtml

    dom = lhtml.document_fromstring(dump_dom(f"{base}{rel}?axe=1"))
    found = dom.xpath('//pre[@id="axe-results"]')
    assert found, f"axe-core did not report on {rel}"
    return json.loads(found[0].text_content())


class _Pipe:
    """The DevTools protocol over ``--remote-debugging-pipe`` (fd 3 in, fd 4 out; messages end in NUL)."""

    def __init__(self, write_fd: int, read_fd: int) -> None:
        self.write_fd, self.read_fd, self.buffer, self.next_id = write_fd, read_fd, b"", 0

    def call(self, method: str, params: Optional[dict] = None, session: Optional[str] = None) -> dict:
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self.write_fd, json.dumps(message).encode() + b"\0")
        while True:
            while b"\0" not in self.buffer:
                chunk = os.read(self.read_fd, 1 << 16)
                assert chunk, "Chromium closed the DevTools pipe"
                self.buffer += chunk
            raw, self.buffer = self.buffer.split(b"\0", 1)
            reply = json.loads(raw)
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise RuntimeError(reply["error"].get("message"))
                return reply["result"]


def evaluate_when(url: str, expression: str, wait_s: int = 30):
    """Load ``url`` in headless Chromium and return the first truthy value of ``expression``
    (a JavaScript expression, polled in the page every 100 ms for up to ``wait_s``; the last
    value if it never becomes truthy).  The page's scripts run as in a browser, under its own CSP."""
    to_chrome_r, to_chrome_w = os.pipe()
    from_chrome_r, from_chrome_w = os.pipe()
    profile = tempfile.mkdtemp(prefix="tmkit-chromium-")

    def fds() -> None:       # the child's fd 3 reads our messages, fd 4 writes its replies
        os.dup2(to_chrome_r, 3)
        os.dup2(from_chrome_w, 4)

    process = subprocess.Popen([chromium(), "--headless", "--no-sandbox", "--disable-gpu",
                                "--disable-background-networking", "--disable-component-update",
                                "--disable-sync", "--no-first-run", f"--user-data-dir={profile}",
                                "--remote-debugging-pipe", "about:blank"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               preexec_fn=fds, close_fds=False)
    os.close(to_chrome_r)
    os.close(from_chrome_w)
    try:
        pipe = _Pipe(to_chrome_w, from_chrome_r)
        target = pipe.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = pipe.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        pipe.call("Page.navigate", {"url": url}, session)    # returns once the page is committed
        poll = ("new Promise(function (done) { var until = Date.now() + %d;"
                " (function poll() { var value; try { value = (%s); } catch (e) { value = null; }"
                " if (value || Date.now() > until) { done(value); } else { setTimeout(poll, 100); } })(); })"
                % (wait_s * 1000, expression))
        for attempt in range(50):
            try:
                result = pipe.call("Runtime.evaluate", {"expression": poll, "awaitPromise": True,
                                                        "returnByValue": True}, session)
                return result["result"].get("value")
            except RuntimeError as exc:       # the page replaced about:blank's context meanwhile
                if "context" not in str(exc) or attempt == 49:
                    raise
        return None
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        os.close(to_chrome_w)
        os.close(from_chrome_r)
        shutil.rmtree(profile, ignore_errors=True)
