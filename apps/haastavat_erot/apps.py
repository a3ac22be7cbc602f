from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HaastavatErotConfig(AppConfig):
    name = "apps.haastavat_erot"
    label = "haastavat_erot"
    verbose_name = _("Challenging separations")
    default_auto_field = "django.db.models.BigAutoField"
    default = True

    def ready(self):
        from . import checks, permissions, signals  # noqa: F401  (register checks, rules and signal handlers)

