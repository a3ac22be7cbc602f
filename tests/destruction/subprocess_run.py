"""Run `manage.py destroy_due` in a child process against the test database and the test file
store, optionally pausing at a named point (purge._checkpoint) to kill or resume it there."""

import json
import os
import queue
import signal
import subprocess
import sys
import threading

from django.conf import settings
from django.db import connection


def child_env(**extra):
    env = dict(os.environ)
    env.update({
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_NAME": connection.settings_dict["NAME"],
        "HE_TEST_ROOT": str(settings.TEST_ROOT),
        "TEST_REDIS_URL": settings.REDIS_URL,
        "TEST_CACHE_URL": settings.CACHES["default"]["LOCATION"],
    })
    env.pop("HE_DESTRUCTION_PAUSE_AT", None)
    env.update(extra)
    return env


class Child:
    """A `manage.py <args>` process. `pause_at` names a checkpoint (`name` or `name#N`)."""

    def __init__(self, *args, pause_at=None, **env):
        if pause_at:
            env["HE_DESTRUCTION_PAUSE_AT"] = pause_at
        self.process = subprocess.Popen(
            [sys.executable, "manage.py", *args], cwd=settings.BASE_DIR, env=child_env(**env),
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.stderr = []
        self._lines = queue.Queue()
        self._reader = threading.Thread(target=self._read_stderr, daemon=True)
        self._reader.start()

    def _read_stderr(self):
        for line in self.process.stderr:
            self.stderr.append(line)
            self._lines.put(line)
        self._lines.put(None)

    def wait_for_pause(self, timeout=60):
        """Return True once the child says it paused, False if it ended first."""
        while True:
            try:
                line = self._lines.get(timeout=timeout)
            except queue.Empty:
                self.kill()
                raise AssertionError("the child neither paused nor ended:\n" + "".join(self.stderr)) from None
            if line is None:
                return False
            if line.startswith("paused at "):
                return True

    def kill(self):
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=30)

    def resume(self):
        self.process.send_signal(signal.SIGUSR1)

    def finish(self, timeout=120):
        """Wait for the end; return (returncode, JSON summary or None, stdout, stderr)."""
        try:
            self.process.wait(timeout=timeout)  # stdout holds a few short lines; the log goes to stderr
        except subprocess.TimeoutExpired:
            self.kill()
            raise AssertionError("the child did not end:\n" + "".join(self.stderr)) from None
        out = self.process.stdout.read()
        self._reader.join(timeout=10)
        lines = out.strip().splitlines()
        summary = json.loads(lines[-1]) if lines and lines[-1].startswith("{") else None
        return self.process.returncode, summary, out, "".join(self.stderr)


def destroy_due(*args, pause_at=None, **env):
    return Child("destroy_due", *args, pause_at=pause_at, **env)


def run_destroy_due(*args, **env):
    """Run `manage.py destroy_due` to the end; return (returncode, summary, stdout, stderr)."""
    return destroy_due(*args, **env).finish()
