"""``make demo`` (``yuanqu demo``) runs a worker beside the server and stops it with the server."""

import sys

from yuanqu import cli


class FakeWorker:
    def __init__(self, args):
        self.args = args
        self.terminated = False

    def terminate(self):
        self.terminated = True

    def wait(self, timeout=None):
        return 0


def test_demo_starts_a_worker_and_stops_it_with_the_server(monkeypatch):
    started = []
    monkeypatch.setattr(cli, "_setup", lambda **kwargs: None)
    monkeypatch.setattr("django.core.management.call_command", lambda *args, **kwargs: None)
    monkeypatch.setattr("yuanqu.enterprises.demo.print_logins", lambda out: None)
    monkeypatch.setattr(cli.subprocess, "Popen", lambda args: started.append(FakeWorker(args)) or started[-1])

    def serve(host, port, workers):
        assert started and not started[0].terminated  # the worker runs while the server does
        raise SystemExit(0)  # gunicorn stopped (Ctrl+C)

    monkeypatch.setattr(cli, "_serve", serve)
    try:
        cli.demo(["--port", "8123"])
    except SystemExit:
        pass
    (worker,) = started
    assert worker.args == [sys.executable, "-m", "yuanqu.cli", "worker"]
    assert worker.terminated
