"""Finnish, Swedish and English catalogues are complete: every message in the source is in each
catalogue, translated and not fuzzy. The source is scanned afresh with makemessages in a copy of
the project, so that a string added without a translation fails here."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
LANGUAGES = [code for code, _name in settings.LANGUAGES]


def untranslated_or_fuzzy(po_file):
    """Return the msgids that are untranslated or fuzzy (GNU gettext's msgattrib)."""
    found = []
    for flag in ("--untranslated", "--only-fuzzy"):
        out = subprocess.run(["msgattrib", flag, "--no-obsolete", "--no-wrap", str(po_file)],
                             capture_output=True, text=True, check=True).stdout
        found += [line[len('msgid "'):-1] for line in out.splitlines()
                  if line.startswith('msgid "') and line != 'msgid ""']
    return found


@pytest.fixture(scope="module")
def rescanned(tmp_path_factory):
    """A copy of the project whose catalogues makemessages has brought up to date with the source."""
    copy = tmp_path_factory.mktemp("project")
    ignore = shutil.ignore_patterns("__pycache__", "*.mo")
    for name in ("apps", "config", "sites"):
        shutil.copytree(ROOT / name, copy / name, ignore=ignore)
    shutil.copy(ROOT / "manage.py", copy / "manage.py")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test", "HE_TEST_ROOT": str(settings.TEST_ROOT)}
    subprocess.run([sys.executable, "manage.py", "makemessages", "--no-obsolete", "--no-location",
                    *[f"--locale={code}" for code in LANGUAGES]],
                   cwd=copy, env=env, check=True, capture_output=True)
    return copy


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue_exists_and_compiles(language):
    po_file = ROOT / "apps/haastavat_erot/locale" / language / "LC_MESSAGES/django.po"
    assert po_file.exists(), f"no {language} catalogue"
    subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(po_file)], check=True)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_translated(rescanned, language):
    po_file = rescanned / "apps/haastavat_erot/locale" / language / "LC_MESSAGES/django.po"
    missing = untranslated_or_fuzzy(po_file)
    assert missing == [], f"{len(missing)} untranslated or fuzzy messages in {language}: {missing[:20]}"
