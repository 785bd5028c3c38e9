#!/usr/bin/env python3
"""A picture of the Grafana dashboard without Grafana: drive a running Geoward, scrape its /metrics, evaluate the
dashboard's queries over the scrapes, draw the panels in an HTML page and photograph it with headless Chromium.

    python3 docs/grafana/preview.py --url http://127.0.0.1:8080 --admin-password ... --scrape-token ... \
        [--minutes 3] [--out docs/grafana/geoward.png]

The load: a few wards posting GPS fixes every second (a tenth invalid, a tenth resent), camera sightings, an SOS
now and then (an SMS to the ward's guardian) that a dispatcher acknowledges after a while, and one console following the alert stream. Every number
drawn comes from a real scrape of the server; the queries are the dashboard's own, evaluated by the small PromQL
subset below (sum/max by, rate, increase, histogram_quantile, / and *), without rate()'s extrapolation.
"""
import argparse
import bisect
import json
import math
import re
import subprocess
import tempfile
import threading
import time
import urllib.request
from datetime import datetime, timedelta, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
INSTANCE = ["geoward"]  # Prometheus' instance label: the scraped host:port


# --- talking to Geoward ----------------------------------------------------------------------------------------------

def call(url, method="GET", body=None, token=None, timeout=10):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, method=method)
    if body is not None:
        req.add_header("Content-Type", "application/json")
    if token:
        req.add_header("Authorization", "Bearer " + token)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            text = r.read().decode()
            return r.status, (json.loads(text) if text and text[0] in "[{" else text)
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


def iso(t):
    return t.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def drive(base, token, stop):
    wards = []
    for i in range(6):
        status, guardian = call(base + "/api/subjects", "POST", {
            "kind": "GUARDIAN", "name": "preview guardian %d" % i, "phone": "1380000%04d" % (int(time.time()) % 1000 * 6 + i)},
            token)
        assert status == 201, guardian
        status, subject = call(base + "/api/subjects", "POST", {
            "kind": "WARD", "name": "preview ward %d" % i, "offlineMinutes": 100000, "guardians": [int(guardian["id"])],
            "consent": {"by": "guardian", "textVersion": "preview"}}, token)
        assert status == 201, subject
        wards.append(int(subject["id"]))
    n = 0
    pending = []
    while not stop.is_set():
        now = datetime.now(timezone.utc)
        batch = []
        for w in wards:
            batch.append({"subjectId": w, "time": iso(now), "lon": 107.39 + n * 1e-5, "lat": 29.70, "accuracy": 5})
        if n % 10 == 3:
            batch.append({"subjectId": wards[0], "time": iso(now), "lon": 107.39, "lat": 95})        # rejected
        if n % 10 == 6:
            batch.append(dict(batch[1]))                                                        # resent
        if n % 4 == 0:
            batch.append({"trackId": "cam/preview-%d" % (n // 40), "time": iso(now), "lon": 107.391, "lat": 29.701,
                          "source": "CAMERA"})
        if n % 45 == 20:
            w = wards[2 + (n // 45) % 4]
            batch.append({"subjectId": w, "time": iso(now + timedelta(milliseconds=1)), "lon": 107.39, "lat": 29.70,
                          "sos": True})
            pending.append((time.time() + 25 + (n % 3) * 15, w))
        call(base + "/api/sightings", "POST", batch, token)
        for due, w in [p for p in pending if p[0] <= time.time()]:
            pending.remove((due, w))
            status, alerts = call(base + "/api/alerts?subjectId=%d" % w, token=token)
            for a in (alerts.get("features", []) if status == 200 else []):
                if a["properties"]["status"] == "OPEN":
                    call(base + "/api/alerts/%s/ack" % a["properties"]["id"], "POST", {}, token)
        n += 1
        stop.wait(1.0)


def follow_stream(base, token, stop):
    req = urllib.request.Request(base + "/api/alerts/stream", headers={"Authorization": "Bearer " + token})
    try:
        with urllib.request.urlopen(req, timeout=600) as r:
            while not stop.is_set() and r.readline():
                pass
    except Exception:
        pass


def parse_scrape(text):
    samples = {}
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        m = re.match(r'([a-zA-Z_:][\w:]*)(\{(.*)\})?\s+(\S+)', line)
        labels = tuple(sorted(re.findall(r'(\w+)="((?:[^"\\]|\\.)*)"', m.group(3) or "")))
        samples[(m.group(1), labels)] = float(m.group(4))
    return samples


# --- a small PromQL --------------------------------------------------------------------------------------------------

class Query:
    """Evaluates one dashboard expression at a scrape index; a vector is {labels tuple: value}."""

    def __init__(self, expr, scrapes, rate_interval):
        self.tokens = re.findall(r'\d+\.\d+|\d+[smh]|\d+|\$?[A-Za-z_:][\w:]*|=~|!=|"(?:[^"\\]|\\.)*"|[(){}\[\],=/*]', expr)
        self.scrapes = scrapes
        self.rate_interval = rate_interval
        self.pos = 0
        self.tree = self.expression()
        assert self.pos == len(self.tokens), expr

    def peek(self):
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self, expected=None):
        token = self.tokens[self.pos]
        assert expected is None or token == expected, (expected, token, self.tokens)
        self.pos += 1
        return token

    def expression(self):
        node = self.term()
        while self.peek() in ("/", "*"):
            node = ("op", self.take(), node, self.term())
        return node

    def term(self):
        t = self.take()
        if t == "(":
            node = self.expression()
            self.take(")")
            return node
        if re.fullmatch(r"\d+(\.\d+)?", t):
            return ("num", float(t))
        if t in ("sum", "max"):
            by = []
            if self.peek() == "by":
                self.take()
                self.take("(")
                while self.peek() != ")":
                    label = self.take()
                    if label != ",":
                        by.append(label)
                self.take(")")
            self.take("(")
            inner = self.expression()
            self.take(")")
            return ("agg", t, by, inner)
        if t in ("rate", "increase"):
            self.take("(")
            selector = self.selector(self.take())
            self.take("[")
            window = self.take()
            self.take("]")
            self.take(")")
            return ("range", t, selector, window)
        if t == "histogram_quantile":
            self.take("(")
            q = float(self.take())
            self.take(",")
            inner = self.expression()
            self.take(")")
            return ("quantile", q, inner)
        return self.selector(t)

    def selector(self, name):
        matchers = []
        if self.peek() == "{":
            self.take()
            while self.peek() != "}":
                label, op, value = self.take(), self.take(), self.take()[1:-1]
                matchers.append((label, op, value.replace("$instance", ".*")))
                if self.peek() == ",":
                    self.take()
            self.take("}")
        return ("sel", name, matchers)

    def select(self, node, i):
        _, name, matchers = node
        out = {}
        for (metric, labels), value in self.scrapes[i][1].items():
            if metric != name:
                continue
            d = dict(labels)
            if all((d.get(l, "") == v) if op == "=" else re.fullmatch(v, d.get(l, "")) for l, op, v in matchers):
                out[labels] = value
        return out

    def window_seconds(self, window):
        if window == "$__rate_interval":
            return self.rate_interval
        return int(window[:-1]) * {"s": 1, "m": 60, "h": 3600}[window[-1]]

    def at(self, i, node=None):
        node = node or self.tree
        kind = node[0]
        if kind == "num":
            return node[1]
        if kind == "sel":
            return self.select(node, i)
        if kind == "range":
            _, fn, selector, window = node
            t = self.scrapes[i][0]
            j = bisect.bisect_left([s[0] for s in self.scrapes], t - self.window_seconds(window))
            if j >= i:
                return {}
            now, then = self.select(selector, i), self.select(selector, j)
            dt = t - self.scrapes[j][0]
            out = {}
            for labels, v in now.items():
                delta = max(0.0, v - then.get(labels, 0.0))
                out[labels] = delta / dt if fn == "rate" else delta
            return out
        if kind == "agg":
            _, fn, by, inner = node
            groups = {}
            for labels, v in self.at(i, inner).items():
                key = tuple((l, x) for l, x in labels if l in by)
                groups.setdefault(key, []).append(v)
            return {k: (sum(vs) if fn == "sum" else max(vs)) for k, vs in groups.items()}
        if kind == "quantile":
            _, q, inner = node
            groups = {}
            for labels, v in self.at(i, inner).items():
                d = dict(labels)
                le = d.pop("le")
                groups.setdefault(tuple(sorted(d.items())), []).append((float(le), v))
            return {k: v for k, v in ((k, quantile(q, b)) for k, b in groups.items()) if v is not None}
        if kind == "op":
            _, op, left, right = node
            a, b = self.at(i, left), self.at(i, right)
            f = (lambda x, y: x / y if y else math.nan) if op == "/" else (lambda x, y: x * y)
            if isinstance(a, float) and isinstance(b, float):
                return f(a, b)
            if isinstance(b, float):
                return {k: f(v, b) for k, v in a.items()}
            if isinstance(a, float):
                return {k: f(a, v) for k, v in b.items()}
            return {k: f(v, b[k]) for k, v in a.items() if k in b}
        raise AssertionError(node)


def quantile(q, buckets):
    buckets.sort()
    total = buckets[-1][1]
    if total <= 0:
        return None
    rank = q * total
    lower_le, lower_count = 0.0, 0.0
    for le, count in buckets:
        if count >= rank:
            if math.isinf(le):
                return lower_le
            return lower_le + (le - lower_le) * (rank - lower_count) / max(count - lower_count, 1e-12)
        lower_le, lower_count = le, count
    return lower_le


def series_of(panel, scrapes, rate_interval):
    out = []
    for target in panel.get("targets", []):
        query = Query(target["expr"], scrapes, rate_interval)
        lines = {}
        for i, (t, _) in enumerate(scrapes):
            value = query.at(i)
            if isinstance(value, float):
                value = {(): value}
            for labels, v in value.items():
                if not math.isnan(v):
                    lines.setdefault(labels, []).append([t, v])
        fmt = target.get("legendFormat", "")
        for labels, points in sorted(lines.items()):
            d = {"instance": INSTANCE[0], **dict(labels)}
            name = re.sub(r"\{\{\s*(\w+)\s*\}\}", lambda m: d.get(m.group(1), ""), fmt) if fmt else \
                (", ".join("%s=%s" % kv for kv in labels) or target["expr"][:40])
            out.append({"name": name, "points": points})
    return out


# --- main ------------------------------------------------------------------------------------------------------------

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--url", default="http://127.0.0.1:8080")
    ap.add_argument("--admin-password", required=True)
    ap.add_argument("--scrape-token", required=True)
    ap.add_argument("--minutes", type=float, default=3)
    ap.add_argument("--every", type=float, default=5, help="seconds between scrapes")
    ap.add_argument("--out", default=str(HERE / "geoward.png"))
    args = ap.parse_args()
    base = args.url.rstrip("/")
    INSTANCE[0] = re.sub(r"^\w+://", "", base)
    status, login = call(base + "/login", "POST", {"username": "admin", "password": args.admin_password})
    assert status == 200, login
    token = login["access_token"]

    stop = threading.Event()
    threads = [threading.Thread(target=drive, args=(base, token, stop), daemon=True),
               threading.Thread(target=follow_stream, args=(base, token, stop), daemon=True)]
    for t in threads:
        t.start()
    scrapes = []
    started = time.time()
    while time.time() - started < args.minutes * 60:
        status, text = call(base + "/metrics", token=args.scrape_token)
        assert status == 200, text
        scrapes.append((time.time(), parse_scrape(text)))
        time.sleep(max(0.0, started + len(scrapes) * args.every - time.time()))
    stop.set()

    dashboard = json.loads((HERE / "geoward.json").read_text())
    panels = []
    for p in dashboard["panels"]:
        entry = {"title": p.get("title", ""), "type": p["type"], "gridPos": p["gridPos"],
                 "unit": p.get("fieldConfig", {}).get("defaults", {}).get("unit", "")}
        if p["type"] != "row":
            entry["series"] = series_of(p, scrapes, 4 * args.every)
        panels.append(entry)
    page = (HERE / "preview.html").read_text().replace("/*DATA*/null", json.dumps(
        {"title": dashboard.get("title", "Geoward"), "from": scrapes[0][0], "to": scrapes[-1][0],
         "scrapes": len(scrapes), "panels": panels}))
    height = max(p["gridPos"]["y"] + p["gridPos"]["h"] for p in panels) * 36 + 60
    with tempfile.TemporaryDirectory() as tmp:
        html = Path(tmp) / "dashboard.html"
        html.write_text(page)
        subprocess.run(["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                        "--window-size=1600,%d" % height, "--screenshot=" + args.out, html.as_uri()],
                       check=True, capture_output=True, timeout=120)
    print("%s: %d scrapes over %.0f s, %d panels" % (args.out, len(scrapes), scrapes[-1][0] - scrapes[0][0],
                                                     sum(1 for p in panels if p["type"] != "row")))


if __name__ == "__main__":
    main()
