"""Catalogue pages under load (PRODUCT B1-B4; DESIGN "prices and availability in bulk").

Starts gunicorn (2 sync workers by default) on a free loopback port against the
database in DATABASE_URL, with production settings (DJANGO_DEBUG=false). Logs a
demo buyer in by code the way a person does (the code is read from the
OutgoingEmail table, where queued mail waits when no worker runs), then loads
each page from 8 concurrent clients: a category page, a search, the same two
spread over many different URLs (every category, pages 1-5 and three sorts; 150
search words), so that per-process caches mostly miss, and ``/healthz`` (one
SELECT 1 behind the same middleware: the ceiling of the stack). Prints
throughput, its ratio to the ceiling, p50/p95/p99 latency, errors and the
resident memory of each worker (from /proc), then stops gunicorn.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/comptoir_bench .venv/bin/python bench/catalogue.py

The load comes from wrk (Debian package ``wrk``; written in C, so it leaves the
two cores to gunicorn and the database) when it is installed, else from Python
threads (``--client python``), which cost about as much CPU as the server.

The database must hold the demo data: ``manage.py seed_demo --products 100000``
with the same DATABASE_URL (see bench/README.md). The default buyer, erik@acme.example,
has a restricted selection and the "trade" price level: the slow path.
Traffic goes to 127.0.0.1 only; every run is bounded in requests and in time.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = ROOT / ".venv" / "bin"
SHARED_DATABASES = {"comptoir", "test_comptoir"}
DEFAULT_PAGES = [
    ("category", "/catalogue/?category=tools"),
    ("search", "/catalogue/search/?q=hammer"),
    ("category-mix", "MIX:category"),
    ("search-mix", "MIX:search"),
    ("healthz", "/healthz"),
]
CEILING = "healthz"
CODE_RE = re.compile(r"^\s*([A-Z0-9]{4}-[A-Z0-9]{4})\s*$", re.MULTILINE)
CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=400, help="measured requests per page (default 400)")
    parser.add_argument("--warmup", type=int, default=20, help="unmeasured requests per page first")
    parser.add_argument("--concurrency", type=int, default=8, help="concurrent clients (default 8)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument(
        "--worker-class",
        choices=["sync", "gthread"],
        default="sync",
        help="gunicorn worker class (default sync; gthread keeps connections alive)",
    )
    parser.add_argument("--threads", type=int, default=1, help="threads per gthread worker (default 1)")
    parser.add_argument("--email", default="erik@acme.example", help="the demo buyer to log in")
    parser.add_argument(
        "--page",
        action="append",
        metavar="NAME=PATH",
        help="a page to load (repeatable); default: category, search and healthz",
    )
    parser.add_argument("--time-limit", type=float, default=120.0, help="seconds at most per page")
    parser.add_argument(
        "--client",
        choices=["auto", "wrk", "python"],
        default="auto",
        help="load generator: wrk if installed (auto), or Python threads",
    )
    parser.add_argument("--duration", type=float, default=20.0, help="seconds of load per page with wrk (default 20)")
    parser.add_argument(
        "--redis",
        metavar="URL",
        help="run the server with REDIS_URL (Redis cache and sessions, as when scaled out)",
    )
    parser.add_argument("--json", type=Path, help="also write the results to this file")
    parser.add_argument("--access-log", type=Path, help="gunicorn's access log, with each request's time, to this file")
    return parser.parse_args()


# --- the server -------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_environment(port: int, redis_url: str | None) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_DEBUG": "false",
            "SECRET_KEY": env.get("SECRET_KEY") or secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "false",  # plain HTTP on loopback; the cookies stay Secure, the client ignores that
            "PYTHONPATH": str(ROOT / "src"),
            "DJANGO_SETTINGS_MODULE": "comptoir.settings",
            "LOG_LEVEL": env.get("LOG_LEVEL", "WARNING"),
            "DB_CONN_MAX_AGE": env.get("DB_CONN_MAX_AGE", "60"),  # persistent connections, as in production
            "SITE_URL": f"http://127.0.0.1:{port}",
        }
    )
    if redis_url:
        env["REDIS_URL"] = redis_url
    else:
        env.pop("REDIS_URL", None)
    return env


def check_database(url: str) -> None:
    import dj_database_url

    name = dj_database_url.parse(url)["NAME"]
    if Path(str(name)).name in SHARED_DATABASES or name in SHARED_DATABASES:
        sys.exit(f"{name!r} is shared with the application and the test suite: give the benchmark its own database.")


class Server:
    """gunicorn started by this script, and only that process stopped at the end."""

    def __init__(
        self,
        port: int,
        workers: int,
        env: dict[str, str],
        access_log: Path | None = None,
        worker_class: str = "sync",
        threads: int = 1,
    ) -> None:
        self.port = port
        logging = []
        if access_log:
            # Microseconds, then the URL: the slowest requests of a run, for whoever asks why.
            logging = ["--access-logfile", str(access_log), "--access-logformat", "%(D)s %(s)s %(U)s?%(q)s"]
        subprocess.run(
            [str(VENV_BIN / "python"), str(ROOT / "manage.py"), "collectstatic", "--noinput", "-v0"],
            env=env,
            check=True,
        )
        self.process = subprocess.Popen(
            [
                str(VENV_BIN / "gunicorn"),
                "comptoir.wsgi:application",
                "--workers",
                str(workers),
                "--bind",
                f"127.0.0.1:{port}",
                "--timeout",
                "60",
                *(["--worker-class", "gthread", "--threads", str(threads)] if worker_class == "gthread" else []),
                *logging,
            ],
            env=env,
            cwd=ROOT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                sys.exit("gunicorn stopped while starting")
            try:
                status, _headers, _body = request(port, "GET", "/healthz")
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        self.stop()
        sys.exit("gunicorn did not answer /healthz within 60 s")

    def worker_pids(self) -> list[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        try:
            return [int(pid) for pid in children.read_text().split()]
        except OSError:
            return []

    def memory(self) -> dict[str, int]:
        """Resident memory in KiB of the master and each worker."""
        result = {"master": rss_kib(self.process.pid)}
        for n, pid in enumerate(self.worker_pids(), start=1):
            result[f"worker {n}"] = rss_kib(pid)
        return result

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def rss_kib(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


# --- the client -------------------------------------------------------------------------


def request(
    port: int,
    method: str,
    path: str,
    *,
    cookies: dict[str, str] | None = None,
    form: dict[str, str] | None = None,
    connection: http.client.HTTPConnection | None = None,
) -> tuple[int, list[tuple[str, str]], bytes]:
    conn = connection or http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Host": f"127.0.0.1:{port}"}
    if cookies:
        headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    body = None
    if form is not None:
        body = urlencode(form)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    try:
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        data = response.read()
        return response.status, response.getheaders(), data
    finally:
        if connection is None:
            conn.close()


def remember_cookies(cookies: dict[str, str], headers: list[tuple[str, str]]) -> None:
    for name, value in headers:
        if name.lower() == "set-cookie":
            pair = value.split(";", 1)[0]
            key, _sep, val = pair.partition("=")
            cookies[key.strip()] = val.strip()


def latest_code(email: str, after_id: int) -> str:
    from comptoir.notifications.models import OutgoingEmail

    for _ in range(50):
        for mail in OutgoingEmail.objects.filter(pk__gt=after_id).order_by("-pk")[:20]:
            if email in mail.to:
                message = message_from_bytes(bytes(mail.message), policy=policy.default)
                part = message.get_body(preferencelist=("plain",))
                found = CODE_RE.search(part.get_content() if part else "")
                if found:
                    return found.group(1)
        time.sleep(0.2)
    sys.exit(f"no login code mail for {email} in OutgoingEmail")


def log_in(port: int, email: str) -> dict[str, str]:
    """The login-by-code form, as a browser fills it; returns the session cookies."""
    from comptoir.notifications.models import OutgoingEmail

    last = OutgoingEmail.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    cookies: dict[str, str] = {}
    status, headers, body = request(port, "GET", "/accounts/login/code/")
    remember_cookies(cookies, headers)
    token = CSRF_RE.search(body.decode())
    if status != 200 or token is None:
        sys.exit(f"login page: HTTP {status}")
    status, headers, body = request(
        port,
        "POST",
        "/accounts/login/code/",
        cookies=cookies,
        form={"email": email, "csrfmiddlewaretoken": token.group(1)},
    )
    remember_cookies(cookies, headers)
    if status != 302:
        sys.exit(f"request code: HTTP {status} {body[:300]!r}")
    code = latest_code(email, last)
    status, headers, body = request(port, "GET", "/accounts/login/code/confirm/", cookies=cookies)
    remember_cookies(cookies, headers)
    token = CSRF_RE.search(body.decode())
    status, headers, body = request(
        port,
        "POST",
        "/accounts/login/code/confirm/",
        cookies=cookies,
        form={"code": code, "csrfmiddlewaretoken": token.group(1) if token else ""},
    )
    remember_cookies(cookies, headers)
    if status != 302:
        sys.exit(f"confirm code: HTTP {status} {body[:300]!r}")
    return cookies


@dataclass
class Result:
    name: str
    path: str
    requests: int = 0
    errors: int = 0
    seconds: float = 0.0
    bytes: int = 0
    p50_ms: float = float("nan")
    p95_ms: float = float("nan")
    p99_ms: float = float("nan")
    mean_ms: float = float("nan")
    memory_kib: dict[str, int] = field(default_factory=dict)

    @property
    def requests_per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def as_dict(self) -> dict:
        return {
            "page": self.name,
            "path": self.path,
            "requests": self.requests,
            "errors": self.errors,
            "seconds": round(self.seconds, 2),
            "requests_per_second": round(self.requests_per_second, 1),
            "p50_ms": round(self.p50_ms, 1),
            "p95_ms": round(self.p95_ms, 1),
            "p99_ms": round(self.p99_ms, 1),
            "mean_ms": round(self.mean_ms, 1),
            "bytes_per_page": self.bytes // max(1, self.requests),
            "memory_kib": self.memory_kib,
        }


def percentile(ordered: list[float], p: float) -> float:
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))] * 1000


def load_python(port: int, cookies: dict[str, str], name: str, paths: list[str], args: argparse.Namespace) -> Result:
    """``args.requests`` requests from ``args.concurrency`` threads, or fewer if the time limit comes first."""
    latencies: list[float] = []
    result = Result(name=name, path=paths[0] if len(paths) == 1 else f"{len(paths)} URLs")
    lock = threading.Lock()
    sent = [0]
    deadline = time.monotonic() + args.time_limit

    def client() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        try:
            while time.monotonic() < deadline:
                with lock:
                    if sent[0] >= args.requests:
                        return
                    path = paths[sent[0] % len(paths)]
                    sent[0] += 1
                started = time.perf_counter()
                try:
                    status, _headers, body = request(port, "GET", path, cookies=cookies, connection=conn)
                except (OSError, http.client.HTTPException):
                    conn.close()
                    status, body = 0, b""
                elapsed = time.perf_counter() - started
                with lock:
                    latencies.append(elapsed)
                    result.bytes += len(body)
                    if status != 200:
                        result.errors += 1
        finally:
            conn.close()

    threads = [threading.Thread(target=client) for _ in range(args.concurrency)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result.seconds = time.monotonic() - started
    result.requests = len(latencies)
    if latencies:
        ordered = sorted(latencies)
        result.p50_ms, result.p95_ms, result.p99_ms = (percentile(ordered, p) for p in (50, 95, 99))
        result.mean_ms = statistics.fmean(latencies) * 1000
    return result


# wrk runs this in each of its threads: every connection sends the session cookie, requests
# cycle through the page's URLs, and the summary comes back as one JSON line. Any answer
# but 200 counts as an error (wrk itself only counts 4xx/5xx and socket errors).
WRK_SCRIPT = """
local paths = {%(paths)s}
n = 0
not_ok = 0
wrk.headers["Cookie"] = "%(cookie)s"
wrk.headers["Host"] = "127.0.0.1:%(port)d"
request = function()
  n = n + 1
  return wrk.format("GET", paths[(n %% #paths) + 1])
end
response = function(status, headers, body)
  if status ~= 200 then not_ok = not_ok + 1 end
end
local threads = {}
setup = function(thread) table.insert(threads, thread) end
done = function(summary, latency, requests)
  local bad = 0
  for _, t in ipairs(threads) do bad = bad + t:get("not_ok") end
  local e = summary.errors
  io.write(string.format(
    'COMPTOIR {"requests": %%d, "duration_us": %%d, "bytes": %%d, "errors": %%d, ' ..
    '"p50_us": %%d, "p95_us": %%d, "p99_us": %%d, "mean_us": %%.1f}\\n',
    summary.requests, summary.duration, summary.bytes, bad + e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.mean))
end
"""


def load_wrk(
    port: int, cookies: dict[str, str], name: str, paths: list[str], seconds: float, connections: int
) -> Result:
    """``seconds`` of load from wrk with ``connections`` connections on one thread."""
    cookie = "; ".join(f"{k}={v}" for k, v in cookies.items())
    lua = WRK_SCRIPT % {"paths": ", ".join(json.dumps(p) for p in paths), "cookie": cookie, "port": port}
    with tempfile.TemporaryDirectory() as folder:
        script = Path(folder) / "comptoir.lua"
        script.write_text(lua)
        command = [
            "wrk",
            "--threads",
            "1",  # one event loop keeps 8 connections busy and leaves the cores to the server
            "--connections",
            str(connections),
            "--duration",
            f"{max(1, round(seconds))}s",
            "--timeout",
            "30s",
            "--script",
            str(script),
            f"http://127.0.0.1:{port}{paths[0]}",
        ]
        run = subprocess.run(command, capture_output=True, text=True, check=False, timeout=seconds + 60)
    line = next((ln for ln in run.stdout.splitlines() if ln.startswith("COMPTOIR ")), None)
    if run.returncode != 0 or line is None:
        sys.exit(f"wrk failed (exit {run.returncode}):\n{run.stdout}\n{run.stderr}")
    data = json.loads(line.removeprefix("COMPTOIR "))
    return Result(
        name=name,
        path=paths[0] if len(paths) == 1 else f"{len(paths)} URLs",
        requests=data["requests"],
        errors=data["errors"],
        seconds=data["duration_us"] / 1e6,
        bytes=data["bytes"],
        p50_ms=data["p50_us"] / 1000,
        p95_ms=data["p95_us"] / 1000,
        p99_ms=data["p99_us"] / 1000,
        mean_ms=data["mean_us"] / 1000,
    )


def mixed_paths(kind: str) -> list[str]:
    """Many different URLs of one kind, the same on every run, so that caches mostly miss."""
    from comptoir.catalog.models import Category, Product

    if kind == "category":
        slugs = sorted(Category.objects.values_list("slug", flat=True))
        return [
            f"/catalogue/?{urlencode({'category': slug, 'sort': sort, 'page': page})}"
            for page in range(1, 6)
            for sort in ("name", "sku", "newest")
            for slug in slugs
        ]
    words: set[str] = set()
    for name in Product.objects.order_by("pk").values_list("name_en", flat=True)[:20000]:
        words.update(w.lower() for w in name.split() if len(w) >= 4 and w.isalpha())
    return [f"/catalogue/search/?{urlencode({'q': word})}" for word in sorted(words)[:150]]


def main() -> None:
    args = parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url:
        sys.exit("Set DATABASE_URL to the benchmark database (seeded with manage.py seed_demo --products N).")
    check_database(url)
    client = args.client
    if client == "auto":
        client = "wrk" if shutil.which("wrk") else "python"
    elif client == "wrk" and not shutil.which("wrk"):
        sys.exit("wrk is not installed (apt-get install wrk), or use --client python")
    pages = DEFAULT_PAGES
    if args.page:
        pages = [tuple(item.split("=", 1)) for item in args.page]  # type: ignore[misc]
    load_before = os.getloadavg()[0]
    port = free_port()
    env = server_environment(port, args.redis)
    os.environ.update({k: env[k] for k in ("DJANGO_DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_SETTINGS_MODULE")})
    sys.path[:0] = [str(ROOT / "src")]
    import django

    django.setup()
    from django.db import connection

    from comptoir.catalog.models import Product

    products = Product.objects.count()
    vendor = connection.vendor
    page_paths = {name: mixed_paths(path[4:]) if path.startswith("MIX:") else [path] for name, path in pages}
    connection.close()

    # Login codes are rate-limited (10 an hour per address) and the counters live in the "ratelimit"
    # cache: empty the benchmark's caches first, or the eleventh run of the hour could not log in.
    subprocess.run(
        [
            str(VENV_BIN / "python"),
            "-c",
            "import django; django.setup(); from django.core.cache import caches; "
            "caches['default'].clear(); caches['ratelimit'].clear()",
        ],
        env=env,
        check=True,
    )
    server = Server(port, args.workers, env, args.access_log, args.worker_class, args.threads)
    try:
        cookies = log_in(port, args.email)
        for name, paths in page_paths.items():
            status, _headers, body = request(port, "GET", paths[0], cookies=cookies)
            if status != 200:
                sys.exit(f"{name} {paths[0]}: HTTP {status} before the load; is the buyer logged in?")
            if paths[0].startswith("/catalogue") and b"DEMO-" not in body:
                print(f"warning: {name} {paths[0]} lists no demo product", file=sys.stderr)
        results = []
        for name, paths in page_paths.items():
            if client == "wrk":
                load_wrk(
                    port, cookies, name, paths[:1], 2, args.concurrency
                )  # warm-up: one URL, so the mixes stay cold
                result = load_wrk(port, cookies, name, paths, args.duration, args.concurrency)
            else:
                warm = argparse.Namespace(**{**vars(args), "requests": args.warmup})
                load_python(port, cookies, name, paths[:1], warm)
                result = load_python(port, cookies, name, paths, args)
            result.memory_kib = server.memory()
            results.append(result)
    finally:
        server.stop()

    ceiling = next((r.requests_per_second for r in results if r.name == CEILING), 0.0)
    print(
        f"\n{vendor}, {products} products, gunicorn {args.workers} "
        f"{'sync workers' if args.worker_class == 'sync' else f'gthread workers of {args.threads} threads'}, "
        f"{args.concurrency} clients ({client}), "
        f"{'Redis cache and sessions' if args.redis else 'database cache and sessions'}, "
        f"buyer {args.email}, load average before {load_before:.1f}"
    )
    print(
        f"{'page':13} {'requests':>8} {'errors':>6} {'req/s':>7} {'ceiling':>7} "
        f"{'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7}  RSS KiB"
    )
    for result in results:
        row = result.as_dict()
        ratio = f"{result.requests_per_second / ceiling:.0%}" if ceiling else "-"
        row["ratio_to_ceiling"] = round(result.requests_per_second / ceiling, 3) if ceiling else None
        memory = ", ".join(f"{k} {v}" for k, v in row["memory_kib"].items())
        print(
            f"{row['page']:13} {row['requests']:>8} {row['errors']:>6} {row['requests_per_second']:>7} {ratio:>7} "
            f"{row['p50_ms']:>7} {row['p95_ms']:>7} {row['p99_ms']:>7}  {memory}"
        )
    if args.json:
        args.json.write_text(json.dumps([r.as_dict() for r in results], indent=2))
    if any(r.errors for r in results):
        sys.exit(1)


if __name__ == "__main__":
    main()
