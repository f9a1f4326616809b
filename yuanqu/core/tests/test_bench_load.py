"""The load test's client (``yuanqu/bench_load.py``): counts what answered 200, what did
not, and the latency of each, against a real HTTP server."""

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from yuanqu.bench_load import HOST, _cookies, drive


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        time.sleep(0.01 if self.path == "/slow" else 0)
        status = 500 if self.path == "/broken" else 200
        body = b"ok" if self.headers.get("Cookie") == "sessionid=abc" or self.path != "/private" else b""
        self.send_response(status if body else 403)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):  # quiet
        pass


@pytest.fixture
def port():
    server = ThreadingHTTPServer((HOST, 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


def test_answers_are_counted_and_timed(port):
    result = drive(port, "/slow", "", users=4, seconds=0.5)
    assert result["errors"] == 0
    assert result["requests"] >= 4  # every client got at least one answer
    assert result["rps"] == pytest.approx(result["requests"] / 0.5, rel=0.5)
    assert 10 <= result["p50"] <= result["p99"]  # the server sleeps 10 ms


def test_an_answer_other_than_200_is_an_error_not_a_request(port):
    result = drive(port, "/broken", "", users=2, seconds=0.3)
    assert result["requests"] == 0 and result["errors"] > 0
    refused = drive(port, "/private", "", users=2, seconds=0.3)  # no session cookie: 403
    assert refused["requests"] == 0 and refused["errors"] > 0
    allowed = drive(port, "/private", "sessionid=abc", users=2, seconds=0.3)
    assert allowed["requests"] > 0 and allowed["errors"] == 0


def test_cookies_are_read_from_every_set_cookie_header():
    from email.message import Message

    headers = Message()
    headers["Set-Cookie"] = "csrftoken=tok; Path=/; Secure"
    headers["Set-Cookie"] = "sessionid=sess; HttpOnly; Path=/"
    assert _cookies(headers) == {"csrftoken": "tok", "sessionid": "sess"}
