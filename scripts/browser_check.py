#!/usr/bin/env python3
"""Open an HTML report in headless Chromium and check that it works in a real browser.

    python scripts/browser_check.py REPORT_HTML SCREENSHOT_PNG [--expect-text TEXT ...]

Checks (one PASS/FAIL line each; exit status 1 if any failed, 2 if Chromium is missing):

1. the page renders: a PNG screenshot is written, and in the DOM after the page's script ran
   (``--dump-dom`` with a virtual time budget) ``body[data-ready="1"]`` is set and every
   ``.finding`` of the file is there and visible;
2. the filters work: the report's script applies ``#hide=SEVERITY`` / ``#rule=RULE`` in the
   address on load exactly as the checkbox / select would, so loading ``REPORT#hide=high`` must
   leave every high finding ``hidden`` and the others shown, and ``REPORT#rule=R`` only R's;
3. nothing from article text ran: the title is still the report's own (a hostile article sets
   ``document.title = "pwned"``), the DOM holds exactly one ``<script>`` (the report's), no
   ``<img>``/``<iframe>``/``<object>``/``<embed>``, no ``on*`` attribute and no ``javascript:``
   link; each ``--expect-text`` string is present as plain text.

Chromium: ``--chromium PATH``, else $CHROMIUM, else /usr/bin/chromium or ``chromium`` on PATH.
Each browser run is given at most ``--timeout`` seconds (default 20).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote

SEVERITIES = ("high", "medium", "low", "info")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--no-first-run",
    "--no-default-browser-check",
    "--hide-scrollbars",
    "--mute-audio",
]
FORBIDDEN_TAGS = {"img", "iframe", "frame", "object", "embed", "base", "link"}


@dataclass
class Element:
    tag: str
    attrs: dict[str, str | None]


@dataclass
class Dom:
    elements: list[Element] = field(default_factory=list)
    title: str = ""
    text: str = ""

    def findings(self) -> list[Element]:
        return [e for e in self.elements if "finding" in (e.attrs.get("class") or "").split()]

    def body(self) -> Element | None:
        return next((e for e in self.elements if e.tag == "body"), None)


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.dom = Dom()
        self._in_title = False
        self._skip = 0  # inside <script>/<style>: not page text
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.dom.elements.append(Element(tag, dict(attrs)))
        if tag == "title":
            self._in_title = True
        elif tag in ("script", "style"):
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        elif tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.dom.title += data
        elif not self._skip:
            self._text.append(data)

    def close(self) -> None:
        super().close()
        self.dom.text = "".join(self._text)


def parse(html: str) -> Dom:
    collector = _Collector()
    collector.feed(html)
    collector.close()
    return collector.dom


def find_chromium(explicit: str | None) -> str | None:
    for candidate in (explicit, os.environ.get("CHROMIUM"), "/usr/bin/chromium"):
        if candidate and Path(candidate).is_file():
            return candidate
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    return None


class Browser:
    def __init__(self, binary: str, timeout: float) -> None:
        self.binary = binary
        self.timeout = timeout

    def _run(self, args: list[str]) -> subprocess.CompletedProcess[str]:
        with tempfile.TemporaryDirectory(prefix="browser-check-") as profile:
            cmd = [self.binary, *FLAGS, f"--user-data-dir={profile}", *args]
            return subprocess.run(cmd, capture_output=True, text=True, timeout=self.timeout,
                                  stdin=subprocess.DEVNULL)

    def screenshot(self, url: str, out: Path) -> subprocess.CompletedProcess[str]:
        return self._run([f"--screenshot={out}", "--window-size=1400,2000",
                          "--virtual-time-budget=2000", url])

    def dump_dom(self, url: str) -> str:
        result = self._run(["--virtual-time-budget=3000", "--dump-dom", url])
        if result.returncode != 0 or not result.stdout.strip():
            raise RuntimeError(f"chromium --dump-dom failed ({result.returncode}): "
                               f"{result.stderr.strip()[-500:]}")
        return result.stdout


class Checker:
    def __init__(self) -> None:
        self.failed = 0

    def check(self, ok: bool, what: str, detail: str = "") -> bool:
        print(f"{'PASS' if ok else 'FAIL'}: {what}" + (f" ({detail})" if detail and not ok else ""))
        if not ok:
            self.failed += 1
        return ok


def is_hidden(e: Element) -> bool:
    return "hidden" in e.attrs


def check_safety(c: Checker, dom: Dom, static: Dom, expect_text: list[str]) -> None:
    c.check(dom.title == static.title and dom.title.strip().lower() != "pwned",
            "title unchanged by article text", f"title is {dom.title!r}")
    scripts = [e for e in dom.elements if e.tag == "script"]
    c.check(len(scripts) == 1, "exactly one <script> element (the report's)",
            f"{len(scripts)} found")
    bad_tags = sorted({e.tag for e in dom.elements if e.tag in FORBIDDEN_TAGS})
    c.check(not bad_tags, "no injected img/iframe/object/embed/link/base elements",
            ", ".join(bad_tags))
    refresh = [e for e in dom.elements if e.tag == "meta"
               and (e.attrs.get("http-equiv") or "").lower() == "refresh"]
    c.check(not refresh, "no meta refresh")
    handlers = sorted({f"{e.tag}[{k}]" for e in dom.elements for k in e.attrs
                       if k.lower().startswith("on")})
    c.check(not handlers, "no inline event-handler attributes", ", ".join(handlers))
    js_links = [e.attrs.get("href") for e in dom.elements
                if (e.attrs.get("href") or "").strip().lower().startswith("javascript:")]
    c.check(not js_links, "no javascript: links", repr(js_links))
    for text in expect_text:
        c.check(text in dom.text, f"hostile text shown inert: {text[:60]!r}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("report", type=Path, help="the HTML report to open")
    parser.add_argument("screenshot", type=Path, help="where to write a PNG screenshot")
    parser.add_argument("--chromium", help="the Chromium binary")
    parser.add_argument("--timeout", type=float, default=20.0, help="seconds per browser run")
    parser.add_argument("--expect-text", action="append", default=[],
                        help="text that must appear as plain text in the page (repeatable)")
    args = parser.parse_args(argv)

    binary = find_chromium(args.chromium)
    if binary is None:
        print("FAIL: no Chromium found (install the Debian package `chromium`)")
        return 2
    report = args.report.resolve()
    if not report.is_file():
        print(f"FAIL: no such file: {report}")
        return 1
    static = parse(report.read_text(encoding="utf-8"))
    url = report.as_uri()
    browser = Browser(binary, args.timeout)
    c = Checker()

    # 1. it renders
    args.screenshot.parent.mkdir(parents=True, exist_ok=True)
    args.screenshot.unlink(missing_ok=True)
    try:
        browser.screenshot(url, args.screenshot.resolve())
        png = args.screenshot.read_bytes() if args.screenshot.is_file() else b""
        c.check(png.startswith(b"\x89PNG") and len(png) > 1000,
                f"screenshot written to {args.screenshot}", f"{len(png)} bytes")
    except subprocess.TimeoutExpired:
        c.check(False, "screenshot", f"timed out after {args.timeout:g}s")

    try:
        dom = parse(browser.dump_dom(url))
    except (RuntimeError, subprocess.TimeoutExpired) as exc:
        c.check(False, "page loads in Chromium", str(exc))
        return 1
    body = dom.body()
    c.check(body is not None and body.attrs.get("data-ready") == "1",
            "report script ran (body[data-ready=1])")
    expected = static.findings()
    found = dom.findings()
    c.check(len(found) == len(expected), f"all {len(expected)} findings rendered",
            f"{len(found)} in the DOM")
    c.check(not any(is_hidden(e) for e in found), "no finding hidden by default")
    c.check([e.attrs.get("data-fingerprint") for e in found]
            == [e.attrs.get("data-fingerprint") for e in expected], "findings in file order")
    for control in ("filter-rule", *(f"filter-{s}" for s in SEVERITIES)):
        c.check(any(e.attrs.get("id") == control for e in dom.elements), f"#{control} present")
    form = next((e for e in dom.elements if e.attrs.get("id") == "filters"), None)
    c.check(form is not None and not is_hidden(form), "filter bar shown once the script ran")

    # 3. nothing from the articles ran
    check_safety(c, dom, static, args.expect_text)

    # 2. filters, driven through the address exactly as the controls would be
    present = [s for s in SEVERITIES if any(e.attrs.get("data-severity") == s for e in found)]
    if not present:
        print("SKIP: no findings, so no filter to exercise")
    else:
        sev = "high" if "high" in present else present[0]
        try:
            filtered = parse(browser.dump_dom(f"{url}#hide={sev}")).findings()
            target = [e for e in filtered if e.attrs.get("data-severity") == sev]
            others = [e for e in filtered if e.attrs.get("data-severity") != sev]
            c.check(bool(target) and all(is_hidden(e) for e in target),
                    f"#hide={sev} hides all {len(target)} {sev} finding(s)")
            c.check(not any(is_hidden(e) for e in others),
                    f"#hide={sev} leaves the other {len(others)} finding(s) shown")
            rule = found[-1].attrs.get("data-rule") or ""
            ruled = parse(browser.dump_dom(f"{url}#rule={quote(rule, safe='')}")).findings()
            shown = [e for e in ruled if not is_hidden(e)]
            c.check(bool(shown) and all(e.attrs.get("data-rule") == rule for e in shown)
                    and len(shown) == sum(1 for e in found if e.attrs.get("data-rule") == rule),
                    f"#rule={rule} shows only that rule's {len(shown)} finding(s)")
        except (RuntimeError, subprocess.TimeoutExpired) as exc:
            c.check(False, "filtered page loads", str(exc))

    print(f"{'FAIL' if c.failed else 'PASS'}: browser check of {args.report}"
          + (f" ({c.failed} failed)" if c.failed else ""))
    return 1 if c.failed else 0


if __name__ == "__main__":
    sys.exit(main())
