"""System checks for invariants that configuration can break."""

from pathlib import Path

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def private_storage_outside_web_root(app_configs, **kwargs):
    """Uploaded background information must never be reachable as a static file."""
    location = Path(settings.STORAGES["private"]["OPTIONS"]["location"]).resolve()
    errors = []
    for public in [Path(settings.STATIC_ROOT).resolve(), *(Path(d[1] if isinstance(d, tuple) else d).resolve()
                                                          for d in settings.STATICFILES_DIRS)]:
        if location == public or public in location.parents or location in public.parents:
            errors.append(Error("The private file storage overlaps the static files.", id="haastavat_erot.E001",
                                hint="Set PRIVATE_MEDIA_ROOT to a folder outside STATIC_ROOT and STATICFILES_DIRS."))
    if settings.STORAGES["private"]["OPTIONS"].get("base_url") is not None:
        errors.append(Error("The private file storage must have no public URL.", id="haastavat_erot.E002"))
    return errors


@register(Tags.security)
def no_history_package(app_configs, **kwargs):
    """History packages keep old field values, i.e. copies of what destruction must remove."""
    forbidden = {"simple_history", "reversion", "auditlog", "pghistory"}
    found = forbidden.intersection(app.split(".")[0] for app in settings.INSTALLED_APPS)
    return [Error(f"{name} would keep copies of destroyed background information.", id="haastavat_erot.E003")
            for name in sorted(found)]


@register(Tags.security)
def uploads_spool_into_the_private_folder(app_configs, **kwargs):
    """Uploads spooled to disk are family documents too: they must wait where the orphan sweep looks."""
    location = Path(settings.STORAGES["private"]["OPTIONS"]["location"]).resolve()
    spool = Path(settings.FILE_UPLOAD_TEMP_DIR or "/nonexistent").resolve()
    if location not in spool.parents:
        return [Error("Uploads are spooled outside the private file storage.", id="haastavat_erot.E004",
                      hint="Set FILE_UPLOAD_TEMP_DIR to a folder inside the private storage's location.")]
    return []
