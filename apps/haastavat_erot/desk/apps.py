from django.contrib.admin.apps import AdminConfig


class DeskConfig(AdminConfig):
    """The Django admin, as the desk, with its own site class (desk/site.py)."""

    default_site = "apps.haastavat_erot.desk.site.DeskSite"
