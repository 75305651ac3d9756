"""Lighthouse mobile performance of the pages phones open most: Today and Log contact (an
officer) and the dashboard (a leader), and a board whose chart is on the first screen, on the
demo office served by gunicorn as in production.

    python bench/lighthouse.py        (`make lighthouse`: installs Lighthouse from npm first)
Lighthouse's default mobile run: a Moto G Power screen, slow 4G and a 4x slower CPU, simulated.
Debian's /usr/bin/chromium (CHROME_PATH). Writes bench/results/lighthouse.md and .json, prints
the markdown. Not in CI: a score measured on a shared machine varies from run to run.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import re
import subprocess
import sys
import tempfile
import urllib.parse
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.servers import BIN, gunicorn  # noqa: E402
from tracker.demo import DEMO_PASSWORD  # noqa: E402

RESULTS = ROOT / "bench" / "results"
LIGHTHOUSE = ROOT / ".lighthouse" / "node_modules" / "lighthouse" / "cli" / "index.js"
PAGES = [  # (name, path, who opens it)
    ("Today", "/", "officer"),
    ("Log contact", "/contacts/new", "officer"),
    ("Dashboard", "/dashboard", "leader"),
    # its chart is on the first screen: plotly.js loads and draws within the measurement
    ("Wards and communes chart", "/boards/areas", "leader"),
]
# Flask-Login's "strong" session protection ties a session to its browser: Lighthouse's
# Chromium says it is this phone, and so does the sign-in that makes its cookie.
USER_AGENT = (
    "Mozilla/5.0 (Linux; Android 11; moto g power (2022)) AppleWebKit/537.36 "
    "(KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36"
)
AUDITS = {
    "FCP": "first-contentful-paint",
    "LCP": "largest-contentful-paint",
    "TBT": "total-blocking-time",
    "CLS": "cumulative-layout-shift",
    "Speed Index": "speed-index",
}


def session_cookie(base: str, username: str) -> str:
    """Sign in through the form, as a person does; the Cookie header Lighthouse sends."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    opener.addheaders = [("User-Agent", USER_AGENT)]
    form = opener.open(base + "/login").read().decode()  # nosec B310 - loopback
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', form).group(1)
    data = urllib.parse.urlencode(
        {"csrf_token": token, "username": username, "password": DEMO_PASSWORD}
    ).encode()
    opener.open(base + "/login", data=data)  # nosec B310 - loopback
    home = opener.open(base + "/")  # nosec B310 - loopback
    if urllib.parse.urlsplit(home.url).path != "/":
        raise SystemExit(f"{username} could not sign in: {home.url}")
    return "; ".join(f"{c.name}={c.value}" for c in jar)


def lighthouse(url: str, cookie: str, work: Path) -> dict:
    headers = work / "headers.json"
    headers.write_text(json.dumps({"Cookie": cookie, "Accept-Language": "vi"}))
    report = work / "report.json"
    subprocess.run(  # nosec B603 B607 - our own Lighthouse on loopback
        [
            "node",
            str(LIGHTHOUSE),
            url,
            "--quiet",
            "--only-categories=performance",
            "--output=json",
            f"--output-path={report}",
            f"--extra-headers={headers}",
            f"--emulated-user-agent={USER_AGENT}",
            "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
        ],
        env={**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium")},
        check=True,
    )
    result = json.loads(report.read_text())
    if os.environ.get("LIGHTHOUSE_KEEP"):
        keep = RESULTS / f"lighthouse-{urllib.parse.urlsplit(url).path.strip('/') or 'today'}.json"
        keep.parent.mkdir(parents=True, exist_ok=True)
        keep.write_text(report.read_text())
    if result["finalDisplayedUrl"] != url:  # a redirect to the sign-in page measures nothing
        raise SystemExit(f"{url} ended at {result['finalDisplayedUrl']}")
    row = {"score": round(result["categories"]["performance"]["score"] * 100)}
    for name, audit in AUDITS.items():
        row[name] = result["audits"][audit]["displayValue"]
    weight = result["audits"]["total-byte-weight"]["numericValue"]
    row["transfer"] = f"{weight / 1024:,.0f} KiB"
    return row


def demo_database(folder: Path, env: dict) -> None:
    for command in (["db", "upgrade"], ["seed-demo"]):
        subprocess.run(  # nosec B603 - our own flask CLI
            [str(BIN / "flask"), "--app", "app", *command],
            cwd=ROOT,
            env={**os.environ, **env},
            check=True,
            stdout=subprocess.DEVNULL,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3, help="runs a page; the median is kept")
    parser.add_argument("--only", help="the one page to measure, by path (for a quick look)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        work = Path(temporary)
        env = {
            "TRACKER_ENV": "production",
            "SECRET_KEY": "lighthouse-" + os.urandom(8).hex(),
            "SESSION_COOKIE_SECURE": "0",  # plain HTTP on loopback
            "DATABASE_URL": f"sqlite:///{work / 'demo.db'}",
        }
        demo_database(work, env)
        rows = []
        with gunicorn(env, cwd=ROOT, workers=2) as base:
            cookies = {who: session_cookie(base, who) for who in {p[2] for p in PAGES}}
            for name, path, who in PAGES:
                if args.only and path != args.only:
                    continue
                runs = sorted(
                    (lighthouse(base + path, cookies[who], work) for _ in range(args.runs)),
                    key=lambda r: r["score"],
                )
                rows.append({"page": name, "path": path, **runs[len(runs) // 2]})
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        f"Lighthouse 12.2.3, mobile (simulated slow 4G, 4x CPU), median of {args.runs} runs, "
        f"{stamp}, gunicorn -w 2 on the demo office:",
        "",
        "| Page | Performance | FCP | LCP | TBT | CLS | Speed Index | Transferred |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r in rows:
        lines.append(
            f"| {r['page']} (`{r['path']}`) | {r['score']} | {r['FCP']} | {r['LCP']} | "
            f"{r['TBT']} | {r['CLS']} | {r['Speed Index']} | {r['transfer']} |"
        )
    markdown = "\n".join(lines) + "\n"
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "lighthouse.md").write_text(markdown)
    (RESULTS / "lighthouse.json").write_text(json.dumps(rows, indent=1))
    print(markdown)


if __name__ == "__main__":
    main()
