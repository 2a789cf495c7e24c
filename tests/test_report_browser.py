"""The HTML report in a real browser: counts, filtering, and no script from an article runs.

Drives headless Chromium through the DevTools protocol on ``--remote-debugging-pipe``
(JSON messages separated by NUL bytes on file descriptors 3 and 4), with the small client
below: no extra Python packages, no network port. Skips when Chromium is not installed.
"""

from __future__ import annotations

import base64
import fcntl
import json
import os
import select
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from healthlint.cli import main

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
SCREENSHOT_COPY = Path("/tmp/healthlint-report.png")

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (apt-get install chromium)"),
]

# Recorded before any script of the page runs (DevTools scripts are exempt from the CSP).
WATCH_PAGE = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__csp.push(e.violatedDirective + " " + e.blockedURI);
});
"""
# Why dup2 in a trampoline: Chromium reads commands on fd 3 and writes on fd 4, and
# subprocess cannot place a pipe at a given descriptor number by itself.
TRAMPOLINE = (
    "import os, sys\n"
    "os.dup2(int(sys.argv[1]), 3); os.dup2(int(sys.argv[2]), 4)\n"
    "os.close(int(sys.argv[1])); os.close(int(sys.argv[2]))\n"
    "os.execv(sys.argv[3], sys.argv[3:])\n"
)


class Browser:
    """Headless Chromium with one page, driven over the DevTools protocol on a pipe."""

    def __init__(self, executable: str, profile: Path) -> None:
        to_chrome_r, self._to_chrome = os.pipe()
        self._from_chrome, from_chrome_w = os.pipe()
        child_in = fcntl.fcntl(to_chrome_r, fcntl.F_DUPFD, 10)  # clear of 3 and 4
        child_out = fcntl.fcntl(from_chrome_w, fcntl.F_DUPFD, 10)
        os.close(to_chrome_r)
        os.close(from_chrome_w)
        args = [
            executable, "--headless", "--no-sandbox", "--disable-gpu", "--remote-debugging-pipe",
            "--no-first-run", "--no-default-browser-check", "--disable-extensions",
            "--hide-scrollbars", "--font-render-hinting=none", f"--user-data-dir={profile}",
        ]
        self._log = (profile.parent / "chromium.log").open("wb")
        self.proc = subprocess.Popen(
            [sys.executable, "-c", TRAMPOLINE, str(child_in), str(child_out), *args],
            pass_fds=(child_in, child_out), stdin=subprocess.DEVNULL, stdout=self._log, stderr=self._log,
        )
        os.close(child_in)
        os.close(child_out)
        self._buffer = b""
        self._next_id = 0
        self.events: list[dict[str, Any]] = []
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        self.session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]

    def send(self, method: str, params: dict[str, Any] | None = None, *, page: bool = False,
             timeout: float = 30) -> dict[str, Any]:
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params or {}}
        if page:
            message["sessionId"] = self.session
        data = json.dumps(message).encode() + b"\0"
        while data:
            data = data[os.write(self._to_chrome, data):]
        deadline = time.monotonic() + timeout
        while True:
            reply = self._receive(deadline)
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply["result"]
            self.events.append(reply)

    def wait_for(self, event: str, timeout: float = 30) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while True:
            for message in self.events:
                if message.get("method") == event:
                    self.events.remove(message)
                    return message
            self.events.append(self._receive(deadline))

    def _receive(self, deadline: float) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError("no answer from Chromium")
            if select.select([self._from_chrome], [], [], remaining)[0]:
                chunk = os.read(self._from_chrome, 1 << 20)
                if not chunk:
                    raise ConnectionError("Chromium closed the DevTools pipe")
                self._buffer += chunk
        raw, _, self._buffer = self._buffer.partition(b"\0")
        return json.loads(raw)

    def open(self, url: str, width: int = 1280, height: int = 1000) -> None:
        self.send("Page.enable", page=True)
        self.send("Page.addScriptToEvaluateOnNewDocument", {"source": WATCH_PAGE}, page=True)
        self.send("Emulation.setDeviceMetricsOverride",
                  {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False}, page=True)
        self.send("Page.navigate", {"url": url}, page=True)
        self.wait_for("Page.loadEventFired")

    def js(self, expression: str) -> Any:
        result = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True}, page=True)
        if "exceptionDetails" in result:
            raise AssertionError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def click(self, selector: str) -> None:
        """A real mouse click in the middle of the element, as a reader would make it."""
        box = self.js(
            f"(function () {{ var e = document.querySelector({json.dumps(selector)}); e.scrollIntoView("
            "{block: 'center'}); var r = e.getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]; })()"
        )
        for kind in ("mousePressed", "mouseReleased"):
            self.send("Input.dispatchMouseEvent",
                      {"type": kind, "x": box[0], "y": box[1], "button": "left", "clickCount": 1}, page=True)

    def screenshot(self, path: Path, clip_height: int | None = None) -> None:
        params: dict[str, Any] = {"format": "png"}
        if clip_height is not None:
            width = self.js("document.documentElement.scrollWidth")
            height = min(clip_height, self.js("document.documentElement.scrollHeight"))
            params.update(captureBeyondViewport=True, clip={"x": 0, "y": 0, "width": width, "height": height, "scale": 1})
        path.write_bytes(base64.b64decode(self.send("Page.captureScreenshot", params, page=True)["data"]))

    def close(self) -> None:
        try:
            self.send("Browser.close", timeout=5)
        except (OSError, RuntimeError, TimeoutError):
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        os.close(self._to_chrome)
        os.close(self._from_chrome)
        self._log.close()


HOSTILE_MARKDOWN = """\
# Miracle sleep drops

Our drops are a miracle cure <script>window.__pwned = 1; document.title = 'pwned'</script> for insomnia.
Studies show they work "><img src=x onerror="window.__pwned = 2"> for everyone, guaranteed.
"""
HOSTILE_HTML = """\
<!DOCTYPE html>
<html><head><title>Joint formula</title></head><body>
<p>This breakthrough formula cures arthritis &lt;script&gt;window.__pwned = 3&lt;/script&gt; fast.</p>
<p>Clinically proven <img src=x onerror="window.__pwned = 4; document.title = 'pwned'"> results.</p>
</body></html>
"""


@pytest.fixture(scope="module")
def audit(tmp_path_factory) -> dict[str, Any]:
    """Fixtures plus hostile articles (one with markup in its file name), reported as JSON and HTML."""
    root = tmp_path_factory.mktemp("audit")
    articles = root / "articles"
    shutil.copytree(ROOT / "fixtures", articles / "fixtures")
    (articles / "hostile.md").write_text(HOSTILE_MARKDOWN, encoding="utf-8")
    (articles / "hostile.html").write_text(HOSTILE_HTML, encoding="utf-8")
    (articles / "<img src=x onerror=window.__pwned=5>.md").write_text(HOSTILE_MARKDOWN, encoding="utf-8")
    outputs = {}
    for fmt in ("json", "html"):
        out = root / f"report.{fmt}"
        assert main(["check", "--format", fmt, "--output", str(out), "--jobs", "2", str(articles)]) == 1
        outputs[fmt] = out
    return {"json": json.loads(outputs["json"].read_text(encoding="utf-8")), "html": outputs["html"], "root": root}


@pytest.fixture(scope="module")
def browser(audit):
    chromium = Browser(CHROMIUM, audit["root"] / "profile")
    try:
        chromium.open(audit["html"].as_uri())
        yield chromium
    finally:
        chromium.close()


def test_summary_counts_in_the_page_equal_the_json_report(browser, audit):
    data = audit["json"]
    stats = browser.js(
        "Object.fromEntries([...document.querySelectorAll('[data-stat]')]"
        ".map(e => [e.dataset.stat, Number(e.textContent.replaceAll(',', ''))]))"
    )
    summary = data["summary"]
    assert stats == {
        "files": summary["files"], "findings": summary["findings"], "errors": summary["errors"],
        "warnings": summary["warnings"], "infos": summary["infos"],
        "files-with-findings": len({f["path"] for f in data["findings"]}),
    }
    assert browser.js("document.querySelectorAll('li.finding').length") == summary["findings"]
    assert browser.js("document.getElementById('shown-count').textContent") == f"{summary['findings']:,}"


def test_no_script_from_an_article_runs_and_the_policy_is_never_violated(browser, audit):
    assert browser.js("document.title") == "healthlint report"
    assert browser.js("window.__pwned === undefined")
    assert browser.js("document.querySelectorAll('img, iframe, object, embed').length") == 0
    assert browser.js("document.querySelectorAll('script').length") == 1
    assert browser.js("window.__csp") == []
    # The hostile text is shown to the reader, as text.
    shown = browser.js("document.body.innerText")
    assert "<script>window.__pwned = 1; document.title = 'pwned'</script>" in shown
    assert "<img src=x onerror=window.__pwned=5>.md" in shown
    assert """<img src=x onerror="window.__pwned = 4; document.title = 'pwned'">""" in shown


def test_the_report_script_runs_under_its_own_policy(browser):
    assert browser.js("document.getElementById('filters').hidden") is False
    assert browser.js("getComputedStyle(document.querySelector('.card')).borderRadius") == "8px"


def test_why_this_matters_opens_the_rule_explanation_under_the_finding(browser, audit):
    first = audit["json"]["findings"][0]
    link = "li.finding p.why-link a"
    browser.click(link)
    assert browser.js(f"document.querySelector('{link}').getAttribute('aria-expanded')") == "true"
    shown = browser.js("document.querySelector('li.finding .why').innerText")
    assert shown == browser.js(f"document.querySelector('#rule-{first['rule']} .rule-why').innerText")
    assert "References" in shown
    browser.click(link)
    assert browser.js("document.querySelector('li.finding .why')") is None


def test_unticking_a_category_hides_its_findings_and_updates_the_counts(browser, audit, tmp_path):
    findings = audit["json"]["findings"]
    total = len(findings)
    hype = sum(1 for f in findings if f["category"] == "hype")
    assert hype > 0
    browser.screenshot(tmp_path / "report.png", clip_height=2600)
    shutil.copyfile(tmp_path / "report.png", SCREENSHOT_COPY)

    visible = "[...document.querySelectorAll('li.finding')].filter(e => e.offsetParent !== null)"
    browser.click("input[name=category][value=hype]")
    assert browser.js("document.querySelector('input[name=category][value=hype]').checked") is False
    assert browser.js(f"{visible}.length") == total - hype
    assert browser.js(f"{visible}.filter(e => e.dataset.category === 'hype').length") == 0
    assert browser.js("document.getElementById('shown-count').textContent") == f"{total - hype:,}"

    browser.click("input[name=severity][value=info]")
    infos_left = sum(1 for f in findings if f["category"] != "hype" and f["severity"] == "info")
    assert browser.js(f"{visible}.length") == total - hype - infos_left
    browser.js("window.scrollTo(0, document.getElementById('files-title').offsetTop)")
    browser.screenshot(tmp_path / "filtered.png")
    shutil.copyfile(tmp_path / "filtered.png", SCREENSHOT_COPY.with_name("healthlint-report-filtered.png"))

    browser.click("button[data-check=none]")
    assert browser.js(f"{visible}.length") == 0
    assert browser.js("[...document.querySelectorAll('article.file')].every(e => e.hidden)")
    browser.click("button[data-check=all]")
    browser.click("input[name=severity][value=info]")
    assert browser.js(f"{visible}.length") == total
    assert browser.js("[...document.querySelectorAll('.file-count')].some(e => e.textContent.includes('shown'))") is False
