"""Production settings pass Django's deployment checks with the documented variables."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "DJANGO_SECRET_KEY": "k" * 20 + "Zq8#p2!vN0rT5wX9yB3mC6dF1gH4jL7sQ",
    "DJANGO_ALLOWED_HOSTS": "haastavaterot.example.fi",
    "HE_SITE_URL": "https://haastavaterot.example.fi",
    "DATABASE_PASSWORD": "not-used-by-the-check",
    "HE_SITE": "deploy-check",
}


def test_check_deploy_reports_no_issues(tmp_path):
    env = {k: v for k, v in {**os.environ, **PRODUCTION_ENV, "PRIVATE_MEDIA_ROOT": str(tmp_path / "private")}.items()
           if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    result = subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_its_secrets():
    env = {k: v for k, v in {**os.environ, **PRODUCTION_ENV}.items() if k != "DJANGO_SECRET_KEY"}
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr
