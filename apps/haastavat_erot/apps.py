from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HaastavatErotConfig(AppConfig):
    name = "apps.haastavat_erot"
    label = "haastavat_erot"
    verbose_name = _("Challenging separations")
    default_auto_field = "django.db.models.BigAutoField"
    default = True

    def ready(self):
        import os

        from django.conf import settings

        from . import checks, permissions, signals  # noqa: F401  (register checks, rules and signal handlers)

        # The spool folder of large uploads, inside the private folder (settings, checks.py).
        if settings.FILE_UPLOAD_TEMP_DIR:
            os.makedirs(settings.FILE_UPLOAD_TEMP_DIR, mode=0o700, exist_ok=True)

