"""The desk: Django admin for coordinators, chairs, experts and county admins. Every desk user
must have verified a second factor (TOTP) in this session."""

from django.contrib import admin, messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class DeskSite(admin.AdminSite):
    site_header = _("Challenging separations – desk")
    site_title = _("Challenging separations")
    index_title = _("Desk")
    enable_nav_sidebar = False
    index_template = "haastavat_erot/desk/index.html"

    def get_urls(self):
        from django.urls import path

        from .views import statistics

        extra = [
            path("statistics/", self.admin_view(statistics.statistics_page), name="statistics"),
            path("statistics/export.<str:fmt>", self.admin_view(statistics.statistics_export),
                 name="statistics_export"),
        ]
        return extra + super().get_urls()

    def index(self, request, extra_context=None):
        from .views.statistics import statistics_groups

        extra_context = {"may_view_statistics": bool(statistics_groups(request.user)), **(extra_context or {})}
        return super().index(request, extra_context)

    def has_permission(self, request):
        user = request.user
        return bool(user.is_active and user.is_staff and user.is_verified())

    def login(self, request, extra_context=None):
        """One login for everyone, in the portal; it asks desk users for their second factor."""
        target = reverse("portal:login")
        if request.user.is_authenticated and not request.user.is_staff:
            messages.error(request, _("Your account has no access to the desk."))
            return redirect("portal:home")
        if request.user.is_authenticated and not request.user.is_verified():
            target = reverse("portal:two_factor")
        next_url = request.GET.get("next", reverse("admin:index"))
        from django.utils.http import url_has_allowed_host_and_scheme

        if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
            next_url = reverse("admin:index")
        from urllib.parse import urlencode

        return redirect(f"{target}?{urlencode({'next': next_url})}")

    def each_context(self, request):
        context = super().each_context(request)
        from ..purge import overdue_since

        context["destruction_overdue_since"] = overdue_since() if self.has_permission(request) else None
        from ..models import Role
        from ..permissions import group_ids_with_role

        # Which of the case pages (desk/views/cases.py) the navigation offers.
        context["coordinates_a_group"] = bool(group_ids_with_role(request.user, Role.COORDINATOR))
        context["reads_agendas"] = bool(group_ids_with_role(request.user, Role.EXPERT, Role.CHAIR))
        return context
