"""Headless Debian chromium opens the rendered report from file://: every image loads, every
in-page anchor resolves, nothing is logged as an error, and a screenshot is saved.

chromium is installed by scripts/ensure_chromium.sh when missing (`make chromium`). The browser is
driven with the DevTools protocol over --remote-debugging-pipe (JSON messages ending in NUL on file
descriptors 3 and 4): no network port and no extra Python package."""
import base64
import json
import os
import select
import subprocess
import tempfile
import time

import pytest

from report_support import KINDS, ROOT, session_report

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run",
         "--disable-dev-shm-usage", "--hide-scrollbars", "--mute-audio",
         "--remote-debugging-pipe"]

CHECK = """JSON.stringify((() => {
  const images = [...document.images];
  const broken = images.filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.alt || i.src.slice(0, 60));
  const anchors = [...document.querySelectorAll('a[href^="#"]')].map(a => a.getAttribute('href'))
    .filter(h => h.length > 1 && !document.getElementById(decodeURIComponent(h.slice(1))));
  return {title: document.title, images: images.length, broken, badAnchors: anchors,
          scripts: document.scripts.length, height: document.documentElement.scrollHeight};
})())"""


class Browser:
    """A minimal DevTools client over chromium's debugging pipe."""

    def __init__(self, binary: str, profile: str):
        to_browser, self._write = os.pipe()
        self._read, from_browser = os.pipe()
        hi_in, hi_out = (os.dup(fd) for fd in (to_browser, from_browser))  # never 3 or 4 ...

        def wire():  # ... so these dup2 cannot clobber each other
            os.dup2(hi_in, 3)
            os.dup2(hi_out, 4)

        self.proc = subprocess.Popen([binary, *FLAGS, f"--user-data-dir={profile}", "about:blank"],
                                     preexec_fn=wire, pass_fds=(3, 4), stdin=subprocess.DEVNULL,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        for fd in (to_browser, from_browser, hi_in, hi_out):
            os.close(fd)
        self._buf, self._next, self.events = b"", 0, []

    def _recv(self, timeout: float):
        while b"\0" not in self._buf:
            ready, _, _ = select.select([self._read], [], [], timeout)
            if not ready:
                raise TimeoutError("chromium did not answer")
            chunk = os.read(self._read, 1 << 20)
            if not chunk:
                raise RuntimeError("chromium closed the pipe: " + self.proc.stderr.read().decode()[-2000:])
            self._buf += chunk
        msg, self._buf = self._buf.split(b"\0", 1)
        return json.loads(msg)

    def call(self, method: str, params: dict | None = None, session: str | None = None,
             timeout: float = 30):
        self._next += 1
        msg = {"id": self._next, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        os.write(self._write, json.dumps(msg).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            got = self._recv(max(0.1, deadline - time.monotonic()))
            if got.get("id") == self._next:
                if "error" in got:
                    raise RuntimeError(f"{method}: {got['error']}")
                return got.get("result", {})
            self.events.append(got)

    def wait_event(self, method: str, session: str, timeout: float = 30):
        deadline = time.monotonic() + timeout
        while True:
            for i, ev in enumerate(self.events):
                if ev.get("method") == method and ev.get("sessionId") == session:
                    return self.events.pop(i)
            self.events.append(self._recv(max(0.1, deadline - time.monotonic())))

    def errors(self) -> list:
        out = []
        for ev in self.events:
            m, p = ev.get("method"), ev.get("params", {})
            if m == "Runtime.exceptionThrown":
                out.append(p["exceptionDetails"].get("text"))
            elif m == "Runtime.consoleAPICalled" and p.get("type") in ("error", "assert"):
                out.append(str(p.get("args")))
            elif m == "Log.entryAdded" and p["entry"].get("level") == "error":
                out.append(f"{p['entry'].get('text')} {p['entry'].get('url', '')}")
        return out

    def close(self):
        try:
            self.call("Browser.close", timeout=10)
        except Exception:
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        for fd in (self._read, self._write):
            os.close(fd)


@pytest.fixture(scope="module")
def chromium():
    proc = subprocess.run([str(ROOT / "scripts" / "ensure_chromium.sh")], capture_output=True,
                          text=True, timeout=900)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.strip().splitlines()[-1]


@pytest.fixture(scope="module", params=KINDS)
def browsed(request, chromium, tmp_path_factory):
    """Open every page of the report; return {page: (checks, errors)} and the screenshot path."""
    out = session_report(request.param, tmp_path_factory)
    shot = ROOT / "build" / ("screenshot.png" if request.param == "default" else
                             f"screenshot-{request.param}.png")
    results = {}
    with tempfile.TemporaryDirectory(prefix="critmin-chromium-") as profile:
        browser = Browser(chromium, profile)
        try:
            target = browser.call("Target.createTarget", {"url": "about:blank"})["targetId"]
            session = browser.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
            for domain in ("Page", "Runtime", "Log"):
                browser.call(f"{domain}.enable", session=session)
            browser.call("Emulation.setDeviceMetricsOverride", {
                "width": 1200, "height": 1600, "deviceScaleFactor": 1, "mobile": False}, session=session)
            pages = [out / "index.html"] + sorted((out / "minerals").glob("*.html"))
            for page in pages:
                browser.events.clear()
                browser.call("Page.navigate", {"url": page.resolve().as_uri()}, session=session)
                browser.wait_event("Page.loadEventFired", session)
                value = browser.call("Runtime.evaluate", {"expression": CHECK, "returnByValue": True},
                                     session=session)["result"]["value"]
                results[page.relative_to(out).as_posix()] = (json.loads(value), browser.errors())
                if page.name == "index.html":
                    png = browser.call("Page.captureScreenshot", {"format": "png"}, session=session)
                    shot.parent.mkdir(parents=True, exist_ok=True)
                    shot.write_bytes(base64.b64decode(png["data"]))
        finally:
            browser.close()
    return results, shot


def test_images_load_and_anchors_resolve(browsed):
    results, _ = browsed
    assert "index.html" in results
    for page, (checks, _) in results.items():
        assert checks["broken"] == [], page
        assert checks["badAnchors"] == [], page
        assert checks["scripts"] == 0, page
    assert sum(c["images"] for c, _ in results.values()) >= 2


def test_no_console_errors(browsed):
    results, _ = browsed
    for page, (_, errors) in results.items():
        assert errors == [], page


def test_screenshot_saved(browsed):
    results, shot = browsed
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 10_000
    assert results["index.html"][0]["title"].startswith("Critical minerals")
