"""A small HTTP client for the benchmarks (stdlib only): one cookie jar per simulated browser,
form fields read from the page the way a browser would send them, multipart uploads, and a
load runner that reports requests per second and latency percentiles."""

import http.client
import statistics
import threading
import time
import uuid
from html.parser import HTMLParser
from urllib.parse import urlencode, urlsplit


class FormFields(HTMLParser):
    """Collect what a browser would submit from each <form method=post> of a page:
    inputs (checked boxes and radios only), textareas, selects (the selected or first option).
    Buttons and file inputs are left out; the caller adds them."""

    def __init__(self):
        super().__init__()
        self.forms, self.fields, self._in_form = [], [], False
        self._textarea = self._select = None
        self._select_value = self._select_first = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and a.get("method", "").lower() == "post":
            self._in_form, self.fields = True, []
        if not self._in_form:
            return
        if tag == "input" and a.get("name"):
            kind = a.get("type", "text").lower()
            if kind in ("submit", "button", "file", "image", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            self.fields.append((a["name"], a.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "textarea" and a.get("name"):
            self._textarea = [a["name"], ""]
        elif tag == "select" and a.get("name"):
            self._select, self._select_value, self._select_first = a["name"], None, None
        elif tag == "option" and self._select:
            value = a.get("value", "")
            if self._select_first is None:
                self._select_first = value
            if "selected" in a:
                self._select_value = value

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "textarea" and self._textarea is not None:
            self.fields.append(tuple(self._textarea))
            self._textarea = None
        elif tag == "select" and self._select:
            value = self._select_value if self._select_value is not None else self._select_first
            self.fields.append((self._select, value or ""))
            self._select = None
        elif tag == "form" and self._in_form:
            self._in_form = False
            self.forms.append(dict(self.fields))


def form_fields(html):
    """Return the fields of the page's largest POST form (not, say, the header's logout button)."""
    parser = FormFields()
    parser.feed(html)
    return max(parser.forms, key=len, default={})


def multipart(fields, files):
    """Encode `fields` (name -> str) and `files` ([(name, (filename, bytes, type))], a name may
    repeat as for <input type=file multiple>) as multipart."""
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for name, (filename, data, kind) in files:
        head = (f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                f"Content-Type: {kind}\r\n\r\n").encode()
        parts.append(head + data + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


class Browser:
    """One user's browser: cookies kept across requests, a new connection when the server closes it."""

    def __init__(self, base_url):
        parts = urlsplit(base_url)
        self.host, self.port = parts.hostname, parts.port
        self.cookies = {}
        self._conn = None

    def _connection(self):
        if self._conn is None:
            self._conn = http.client.HTTPConnection(self.host, self.port, timeout=120)
        return self._conn

    def request(self, method, path, body=None, content_type=None):
        headers = {"Host": f"{self.host}:{self.port}", "Referer": f"http://{self.host}:{self.port}{path}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if content_type:
            headers["Content-Type"] = content_type
        for attempt in range(2):
            conn = self._connection()
            try:
                conn.request(method, path, body=body, headers=headers)
                response = conn.getresponse()
                data = response.read()
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                conn.close()
                self._conn = None
                if attempt:
                    raise
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key.strip()] = rest.split(";", 1)[0]
        if response.getheader("Connection", "").lower() == "close":
            conn.close()
            self._conn = None
        return response.status, response.getheader("Location", ""), data.decode("utf-8", "replace")

    def get(self, path):
        return self.request("GET", path)

    def post(self, path, fields, files=None):
        if files:
            body, kind = multipart(fields, files)
        else:
            body, kind = urlencode(fields).encode(), "application/x-www-form-urlencoded"
        return self.request("POST", path, body, kind)

    def login(self, email, password):
        status, _, page = self.get("/login/")
        fields = form_fields(page)
        fields.update(username=email, password=password)
        status, location, _ = self.post("/login/", fields)
        if status != 302:
            raise RuntimeError(f"login of {email} failed: {status}")


def percentile(values, fraction):
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def run_load(jobs_per_client):
    """Run each client's list of jobs (callables) in its own thread, all starting together.
    Return (the latency of each job in seconds, the seconds from start to the last job's end)."""
    latencies, errors = [], []
    lock = threading.Lock()
    barrier = threading.Barrier(len(jobs_per_client) + 1)

    def client(jobs):
        barrier.wait()
        for job in jobs:
            start = time.perf_counter()
            try:
                job()
            except Exception as error:  # noqa: BLE001 - reported, not hidden
                with lock:
                    errors.append(repr(error))
                continue
            with lock:
                latencies.append(time.perf_counter() - start)

    threads = [threading.Thread(target=client, args=(jobs,)) for jobs in jobs_per_client]
    for thread in threads:
        thread.start()
    barrier.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    if errors:
        raise RuntimeError(f"{len(errors)} operations failed, e.g. {errors[0]}")
    return latencies, elapsed


def load_figures(runs):
    """Pool several run_load results: (operations per second, p50 ms, p95 ms)."""
    latencies = [latency for run_latencies, _ in runs for latency in run_latencies]
    elapsed = sum(run_elapsed for _, run_elapsed in runs)
    return len(latencies) / elapsed, percentile(latencies, 0.5) * 1000, percentile(latencies, 0.95) * 1000


def median_ms(fn, repeat):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000
