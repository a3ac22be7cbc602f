"""Desk registrations: counties, groups and members, sessions and their agendas, case skeletons,
recommendations, destruction receipts. Background information, consents and attachments are
never registered here: they are read only through the permission-checked case views."""

from contextvars import ContextVar
from functools import partial

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .. import permissions
from ..models import (
    AccessLogEntry,
    AllowedEmailDomain,
    Case,
    CaseDeclaration,
    ConsultationGroup,
    County,
    CountyAdmin,
    DestructionReceipt,
    DestructionRun,
    DocumentRequest,
    Membership,
    Recommendation,
    Role,
    Session,
    SessionDeclaration,
    User,
)
from ..permissions import admin_county_ids, group_ids_with_role
from ..services import accounts
from .member_forms import MemberCreationForm
from .scoping import ReadOnlyAdminMixin, ReadOnlyInline, ScopedAdmin
from .views import accounts as account_views
from .views import cases as case_pages
from .views import sessions as session_views


# The user of the request being rendered, for read-only fields the admin calls with the object
# only. Set in get_form (per request, per thread), read while the change form renders.
_request_user = ContextVar("desk_request_user", default=None)


def _links(links):
    """Render [(url, label)] as a list of links for a read-only admin field."""
    return format_html('<ul class="he-desk-links">{}</ul>',
                       format_html_join("", '<li><a href="{}">{}</a></li>', links)) if links else "–"


class HandedToCoordinatorFilter(admin.SimpleListFilter):
    """Cases held by the coordinator because their worker's account was deactivated."""

    title = _("handed to the coordinator")
    parameter_name = "handed_over"

    def lookups(self, request, model_admin):
        return [("yes", _("Waiting for reassignment"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(handed_to_coordinator_at__isnull=False)
        return queryset


class InviteLinkMixin:
    """Show "Invite a worker" on the change list to users who may invite to some group."""

    change_list_template = "admin/haastavat_erot/invite_change_list.html"

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}),
                         "can_invite_worker": account_views.groups_to_invite_to(request.user).exists()}
        return super().changelist_view(request, extra_context)


@admin.register(County)
class CountyDeskAdmin(admin.ModelAdmin):
    list_display = ["code", "name_fi", "name_sv"]
    search_fields = ["code", "name_fi", "name_sv"]
    ordering = ["name_fi"]

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_staff

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    fields = ["user", "role", "organisation", "is_active"]
    autocomplete_fields = ["user"]

    def _may_manage(self, request, obj):
        return obj is not None and request.user.has_perm("haastavat_erot.manage_group", obj)

    def has_view_permission(self, request, obj=None):
        return obj is None or request.user.has_perm("haastavat_erot.view_group", obj)

    def has_add_permission(self, request, obj=None):
        return self._may_manage(request, obj) or (
            obj is None and (request.user.is_superuser or bool(admin_county_ids(request.user))))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # Only the accounts the county admin may see (UserAdmin's scope), not any id they post.
        if db_field.name == "user" and not request.user.is_superuser:
            kwargs["queryset"] = self.admin_site._registry[User].get_queryset(request)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_change_permission(self, request, obj=None):
        return self._may_manage(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._may_manage(request, obj)


@admin.register(ConsultationGroup)
class ConsultationGroupAdmin(ScopedAdmin):
    list_display = ["name", "county", "cadence", "slots_per_session", "grace_hours", "is_active"]
    list_filter = ["is_active", ("county", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]
    object_view_perm = "view_group"
    object_change_perm = "manage_group"
    fieldsets = [
        (None, {"fields": ["county", "name", "slug", "is_active"]}),
        (_("Sessions"), {"fields": ["cadence", "session_minutes", "slots_per_session", "default_place",
                                     "session_tools"]}),
        (_("Destruction"), {"fields": ["grace_hours"]}),
        (_("Public page"), {"fields": ["public_description"]}),
    ]

    readonly_fields = ["session_tools"]

    def scope(self, request, queryset):
        return permissions.groups_visible_to(request.user, queryset.select_related("county"))

    @admin.display(description=_("session tools"))
    def session_tools(self, obj):
        if obj is None or obj.pk is None:
            return "–"
        links = [(reverse("admin:haastavat_erot_session_calendar", args=[obj.pk]), _("Month calendar"))]
        user = _request_user.get()
        if user is not None and user.has_perm("haastavat_erot.manage_sessions", obj):
            links.append((reverse("admin:haastavat_erot_session_year") + f"?group={obj.pk}",
                          _("Create a year of sessions")))
        return _links(links)

    def get_form(self, request, obj=None, **kwargs):
        _request_user.set(request.user)
        return super().get_form(request, obj, **kwargs)

    def has_add_permission(self, request):
        return request.user.is_superuser or bool(admin_county_ids(request.user))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "county" and not request.user.is_superuser:
            kwargs["queryset"] = County.objects.filter(pk__in=admin_county_ids(request.user))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class AgendaInline(ReadOnlyInline):
    """The session's agenda: case skeletons in agenda order, no content."""

    model = Case
    fk_name = "session"
    verbose_name = _("case on the agenda")
    verbose_name_plural = _("agenda")
    fields = ["agenda_position", "number", "state", "is_anonymous", "sector"]
    readonly_fields = fields
    ordering = ["agenda_position", "created_at"]
    show_change_link = True

    def get_queryset(self, request):
        return permissions.cases_visible_to(request.user, super().get_queryset(request))

    def has_view_permission(self, request, obj=None):
        return True


class SessionDeclarationInline(ReadOnlyInline):
    """The session record of confidentiality and attendance: members only, no case content."""

    model = SessionDeclaration
    verbose_name_plural = _("confidentiality and attendance")
    fields = ["user", "confidentiality_acknowledged_at", "attended"]
    readonly_fields = fields

    def has_view_permission(self, request, obj=None):
        # Without an object: asked by get_queryset; the session itself is checked by SessionAdmin.
        return obj is None or request.user.has_perm("haastavat_erot.view_group", obj)


@admin.register(Session)
class SessionAdmin(ScopedAdmin):
    list_display = ["starts_at", "group", "status", "capacity", "booked", "agenda_published_at"]
    list_filter = ["status", ("group", admin.RelatedOnlyFieldListFilter)]
    date_hierarchy = "starts_at"
    ordering = ["starts_at"]
    inlines = [AgendaInline, SessionDeclarationInline]
    change_list_template = "haastavat_erot/desk/session_change_list.html"
    fields = ["group", "starts_at", "duration_minutes", "capacity", "place", "status", "agenda_published_at",
              "session_tools"]
    readonly_fields = ["agenda_published_at", "session_tools"]
    object_view_perm = "view_group"
    object_change_perm = "manage_sessions"

    def scope(self, request, queryset):
        return permissions.sessions_visible_to(request.user, queryset.select_related("group").with_booked_count())

    def get_urls(self):
        def view(function, **kwargs):
            return self.admin_site.admin_view(partial(function, **kwargs))

        pages = [
            path("year/", view(session_views.create_year, model_admin=self), name="haastavat_erot_session_year"),
            path("calendar/", view(session_views.calendar_index), name="haastavat_erot_session_calendar_index"),
            path("calendar/<int:group_id>/", view(session_views.month_calendar),
                 name="haastavat_erot_session_calendar"),
            path("feeds/", view(session_views.feeds), name="haastavat_erot_session_feeds"),
            path("<int:pk>/move/", view(session_views.move, model_admin=self), name="haastavat_erot_session_move"),
            path("<int:pk>/cancel/", view(session_views.cancel, model_admin=self),
                 name="haastavat_erot_session_cancel"),
            path("<int:pk>/declarations/", view(session_views.declarations),
                 name="haastavat_erot_session_declarations"),
        ]
        return pages + super().get_urls()

    def get_readonly_fields(self, request, obj=None):
        # Time and status change only through the move and cancel pages, which tell the workers.
        if obj is not None:
            return [*self.readonly_fields, "starts_at", "status"]
        return self.readonly_fields

    def get_form(self, request, obj=None, **kwargs):
        _request_user.set(request.user)
        return super().get_form(request, obj, **kwargs)

    @admin.display(description=_("session tools"))
    def session_tools(self, obj):
        if obj is None or obj.pk is None:
            return "–"
        user = _request_user.get()
        links = [(reverse("admin:haastavat_erot_session_declarations", args=[obj.pk]),
                  _("Confidentiality and attendance"))]
        if user is not None and user.has_perm("haastavat_erot.manage_sessions", obj) and not obj.is_cancelled:
            links += [(reverse("admin:haastavat_erot_session_move", args=[obj.pk]), _("Move the session")),
                      (reverse("admin:haastavat_erot_session_cancel", args=[obj.pk]), _("Cancel the session"))]
        links.append((reverse("admin:haastavat_erot_session_calendar", args=[obj.group_id]) + "?month="
                      + session_views.month_of(obj.starts_at), _("Month calendar")))
        return _links(links)

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}),
                         "may_create_year": bool(group_ids_with_role(request.user, Role.COORDINATOR))}
        return super().changelist_view(request, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        session = self.get_object(request, object_id) if request.method == "GET" else None
        if session is not None and session_views.confidentiality_pending(request.user, session):
            messages.warning(request, format_html(
                '{} <a href="{}">{}</a>', _("You have not yet acknowledged the confidentiality statement for "
                                            "this session."),
                reverse("admin:haastavat_erot_session_declarations", args=[session.pk]), _("Acknowledge it")))
        return super().change_view(request, object_id, form_url, extra_context)

    @admin.display(description=_("booked"), ordering="booked")
    def booked(self, obj):
        return obj.booked

    def has_add_permission(self, request):
        return super().has_add_permission(request) and bool(group_ids_with_role(request.user, Role.COORDINATOR))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "group":
            kwargs["queryset"] = ConsultationGroup.objects.filter(
                pk__in=group_ids_with_role(request.user, Role.COORDINATOR))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class RecommendationInline(ReadOnlyInline):
    """The recommendations, read-only here: they are recorded, marked handled and signed off on
    the case's recommendations page, through the services."""

    model = Recommendation
    fields = ["position", "category", "text"]
    readonly_fields = fields

    def has_view_permission(self, request, obj=None):
        # Without an object Django asks only to build the inline's queryset; the case decides.
        return obj is None or permissions.may_read_recommendations(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        return False


class CaseDeclarationInline(ReadOnlyInline):
    """The members' conflict-of-interest declarations, for the coordinator."""

    model = CaseDeclaration
    fields = ["user", "decision", "declared_at"]
    readonly_fields = fields

    def has_view_permission(self, request, obj=None):
        if obj is None:  # asked without the case when the inline's queryset is built
            return super().has_view_permission(request)
        return request.user.has_perm("haastavat_erot.manage_agenda", obj.group)


class DestructionReceiptInline(ReadOnlyInline):
    model = DestructionReceipt
    fields = ["scope", "reason", "destroyed_at", "background_forms", "children", "consents", "attachments", "bytes",
              "recommendations", "run"]
    readonly_fields = fields

    def has_view_permission(self, request, obj=None):
        if obj is None:
            return super().has_view_permission(request)
        return request.user.has_perm("haastavat_erot.view_case", obj)


@admin.register(Case)
class CaseAdmin(InviteLinkMixin, ScopedAdmin):
    list_display = ["number", "group", "session", "state", "is_anonymous", "sector", "created_at", "handed_over"]
    list_filter = ["state", "sector", "is_anonymous", ("group", admin.RelatedOnlyFieldListFilter),
                   HandedToCoordinatorFilter]
    search_fields = ["number"]
    date_hierarchy = "created_at"
    list_select_related = ["group", "session__group"]
    show_full_result_count = False  # a filtered list does not count every visible case a second time
    inlines = [RecommendationInline, CaseDeclarationInline, DestructionReceiptInline]
    object_view_perm = "view_case"
    object_change_perm = "manage_agenda"
    change_form_template = "haastavat_erot/desk/case_change_form.html"
    fields = ["number", "group", "session", "agenda_position", "state", "is_anonymous", "sector", "worker_unit",
              "created_at", "submitted_at", "scheduled_at", "handled_at", "closed_at", "content_due_at",
              "content_destroyed_at", "recommendations_due_at", "recommendations_destroyed_at",
              "handed_to_coordinator_at"]
    # Session and agenda order change only through the case pages (services/agenda.py), so that
    # the worker is told and the slots are checked.
    fields = fields + ["recommendations_page"]
    readonly_fields = fields

    def change_view(self, request, object_id, form_url="", extra_context=None):
        case = self.get_object(request, object_id)
        user = request.user
        links = {}
        if case is not None:
            links = {
                "review": user.has_perm("haastavat_erot.manage_agenda", case.group),
                "agenda": case.session_id and user.has_perm("haastavat_erot.manage_agenda", case.group),
                "read": user.has_perm("haastavat_erot.view_case_content", case),
                "access_log": user.has_perm("haastavat_erot.view_access_log", case.group),
                "reassign": user.has_perm("haastavat_erot.reassign_case", case),
            }
        return super().change_view(request, object_id, form_url, {**(extra_context or {}), "case_links": links})

    def scope(self, request, queryset):
        return permissions.cases_visible_to(request.user, queryset)

    def get_urls(self):
        from .views import recommendations

        def view(function, **kwargs):
            return self.admin_site.admin_view(partial(function, **kwargs))

        name = "haastavat_erot_case_"
        pages = [
            path("incoming/", view(case_pages.incoming), name=name + "incoming"),
            path("agendas/", view(case_pages.member_agendas), name=name + "agendas"),
            path("agenda/<int:session_pk>/", view(case_pages.agenda), name=name + "agenda"),
            path("agenda/<int:session_pk>/move/", view(case_pages.agenda_move), name=name + "agenda_move"),
            path("agenda/<int:session_pk>/publish/", view(case_pages.agenda_publish), name=name + "agenda_publish"),
            path("<int:pk>/review/", view(case_pages.case_review), name=name + "review"),
            path("<int:pk>/accept/", view(case_pages.case_accept), name=name + "accept"),
            path("<int:pk>/move/", view(case_pages.case_move), name=name + "move"),
            path("<int:pk>/return/", view(case_pages.case_return), name=name + "return"),
            path("<int:pk>/declare/", view(case_pages.case_declare), name=name + "declare"),
            path("<int:pk>/read/", view(case_pages.case_read), name=name + "read"),
            path("<int:pk>/recommendations/", view(recommendations.case_recommendations, model_admin=self),
                 name=name + "recommendations"),
            path("<int:pk>/reassign/", view(account_views.reassign_case), name=name + "reassign"),
        ]
        return pages + super().get_urls()

    @admin.display(description=_("recommendations"))
    def recommendations_page(self, obj):
        from django.urls import reverse
        from django.utils.html import format_html

        if obj is None or obj.pk is None or obj.state not in permissions.ON_AGENDA_STATES:
            return "–"
        return format_html('<a href="{}">{}</a>', reverse("admin:haastavat_erot_case_recommendations", args=[obj.pk]),
                           _("Open the recommendations"))

    @admin.display(description=_("handed to the coordinator"))
    def handed_over(self, obj):
        """A link to reassign the case while its worker's account is deactivated (the page checks
        that the user is the case's coordinator)."""
        if obj.handed_to_coordinator_at is None:
            return ""
        return format_html('<a href="{}">{}</a>', reverse("admin:haastavat_erot_case_reassign", args=[obj.pk]),
                           _("Reassign"))

    def has_add_permission(self, request):
        return False  # cases are booked by workers in the portal

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return super().has_change_permission(request)
        return request.user.has_perm("haastavat_erot.manage_agenda", obj.group)



@admin.register(AccessLogEntry)
class AccessLogEntryAdmin(ReadOnlyAdminMixin, ScopedAdmin):
    """Who opened which case's content and when: for the coordinators of the case's group."""

    list_display = ["at", "case", "user", "action"]
    list_filter = ["action"]
    search_fields = ["case__number"]
    date_hierarchy = "at"
    list_select_related = ["case", "user"]
    fields = list_display
    readonly_fields = list_display

    def scope(self, request, queryset):
        return queryset.filter(case__group_id__in=group_ids_with_role(request.user, Role.COORDINATOR))

    def has_view_permission(self, request, obj=None):
        if obj is None:
            return super().has_view_permission(request)
        return request.user.has_perm("haastavat_erot.view_access_log", obj.case.group)


class DocumentRequestForm(forms.ModelForm):
    class Meta:
        model = DocumentRequest
        fields = ["case", "session", "received_on", "requester", "request", "answer", "answered_on"]

    def clean(self):
        data = super().clean()
        case, session = data.get("case"), data.get("session")
        if not case and not session:
            raise forms.ValidationError(_("Choose the case or the session the request concerns."),
                                        code="case_or_session")
        if case and session and case.group_id != session.group_id:
            raise forms.ValidationError(_("The case and the session belong to different groups."),
                                        code="different_groups")
        return data


@admin.register(DocumentRequest)
class DocumentRequestAdmin(ScopedAdmin):
    """Requests for documents about a case or session, and the answers: the coordinator's log."""

    list_display = ["received_on", "case", "session", "requester", "answered_on", "recorded_by"]
    list_filter = ["answered_on"]
    search_fields = ["case__number", "requester"]
    date_hierarchy = "received_on"
    list_select_related = ["case", "session__group", "recorded_by"]
    form = DocumentRequestForm
    fields = ["case", "session", "received_on", "requester", "request", "answer", "answered_on", "recorded_by",
              "recorded_at"]
    readonly_fields = ["recorded_by", "recorded_at"]
    object_change_perm = "manage_document_request"

    def scope(self, request, queryset):
        groups = group_ids_with_role(request.user, Role.COORDINATOR)
        return queryset.filter(Q(case__group_id__in=groups) | Q(session__group_id__in=groups))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        groups = group_ids_with_role(request.user, Role.COORDINATOR)
        if db_field.name == "case":
            kwargs["queryset"] = Case.objects.filter(group_id__in=groups).order_by("-created_at")
        elif db_field.name == "session":
            kwargs["queryset"] = Session.objects.filter(group_id__in=groups).select_related("group")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.recorded_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(DestructionReceipt)
class DestructionReceiptAdmin(ReadOnlyAdminMixin, ScopedAdmin):
    list_display = ["case", "scope", "reason", "destroyed_at", "attachments", "bytes", "recommendations", "run"]
    list_filter = ["scope", "reason"]
    search_fields = ["case__number"]
    date_hierarchy = "destroyed_at"
    object_view_perm = "view_case"

    def scope(self, request, queryset):
        visible = permissions.cases_visible_to(request.user, Case.objects.all())
        return queryset.filter(case__in=visible).select_related("case", "run")

    def has_view_permission(self, request, obj=None):
        if obj is None:
            return request.user.is_active and request.user.is_staff
        return request.user.has_perm("haastavat_erot.view_case", obj.case)


@admin.register(DestructionRun)
class DestructionRunAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["pk", "trigger", "started_at", "finished_at", "cases", "attachments", "bytes", "recommendations",
                    "orphan_files", "errors"]
    list_filter = ["trigger"]
    date_hierarchy = "started_at"


@admin.register(AllowedEmailDomain)
class AllowedEmailDomainAdmin(ScopedAdmin):
    list_display = ["domain", "county"]
    list_filter = [("county", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["domain"]
    object_view_perm = "manage_group"
    object_change_perm = "manage_group"
    object_delete_perm = "manage_group"

    def scope(self, request, queryset):
        if request.user.is_superuser:
            return queryset
        return queryset.filter(county_id__in=admin_county_ids(request.user))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "county" and not request.user.is_superuser:
            kwargs["queryset"] = County.objects.filter(pk__in=admin_county_ids(request.user))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(CountyAdmin)
class CountyAdminRoleAdmin(admin.ModelAdmin):
    list_display = ["user", "county"]
    list_filter = ["county"]
    autocomplete_fields = ["user"]


@admin.register(User)
class UserAdmin(InviteLinkMixin, DjangoUserAdmin):
    """Accounts. A county admin sees the members of their county's groups and the workers whose
    e-mail domain the county allows; a superuser sees everyone."""

    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "organisation", "sector", "is_active", "last_login",
                    "deactivated_at"]
    list_filter = ["is_active", "sector", "is_staff"]
    actions = ["deactivate_accounts"]
    search_fields = ["email", "first_name", "last_name", "organisation"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Person"), {"fields": ["first_name", "last_name", "title", "organisation", "unit", "sector", "language"]}),
        (_("Status"), {"fields": ["is_active", "home_county", "last_login", "date_joined", "deactivated_at"]}),
    ]
    superuser_fieldsets = fieldsets[:2] + [
        (_("Status"), {"fields": ["is_active", "is_staff", "is_superuser", "groups", "home_county", "last_login",
                                  "date_joined", "deactivated_at"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "first_name", "last_name", "usable_password",
                                                                "password1", "password2"]}),
                     (_("Membership"), {"fields": ["group", "role", "member_organisation"]})]
    add_form = MemberCreationForm
    readonly_fields = ["last_login", "date_joined", "deactivated_at", "home_county"]

    def get_fieldsets(self, request, obj=None):
        if obj is not None and request.user.is_superuser:
            return self.superuser_fieldsets
        return super().get_fieldsets(request, obj)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if obj is not None:
            return form
        if request.user.is_superuser:
            groups = ConsultationGroup.objects.all()
        else:
            groups = ConsultationGroup.objects.filter(county_id__in=admin_county_ids(request.user))
        return type(form.__name__, (form,), {"groups": groups, "group_required": not request.user.is_superuser})

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        counties = admin_county_ids(request.user)
        domains = list(AllowedEmailDomain.objects.filter(county_id__in=counties).values_list("domain", flat=True))
        in_county = Q(memberships__group__county_id__in=counties) | Q(home_county_id__in=counties)
        for domain in domains:
            in_county |= Q(email__iendswith="@" + domain)
        return queryset.filter(in_county).distinct() if counties else queryset.none()

    def get_urls(self):
        view = self.admin_site.admin_view(account_views.invite_worker)
        return [path("invite/", view, name="haastavat_erot_user_invite"), *super().get_urls()]

    def save_model(self, request, obj, form, change):
        """Unticking "active" deactivates through the service, which hands live cases over; a new
        account made with a group and role becomes a member at once."""
        deactivating = change and "is_active" in form.changed_data and not obj.is_active
        if change and "is_active" in form.changed_data and obj.is_active:
            obj.deactivated_at = None
        group = None if change else form.cleaned_data.get("group")
        if group is not None and not request.user.has_perm("haastavat_erot.manage_group", group):
            raise PermissionDenied
        super().save_model(request, obj, form, change)
        if group is not None:  # a new member account made in one step (MemberCreationForm)
            Membership.objects.create(group=group, user=obj, role=form.cleaned_data["role"],
                                      organisation=form.cleaned_data["member_organisation"])
        if deactivating:
            accounts.account_deactivate(user=obj, by=request.user)

    @admin.action(description=_("Deactivate the selected accounts"), permissions=["change"])
    def deactivate_accounts(self, request, queryset):
        users = [user for user in queryset.filter(is_active=True) if user.pk != request.user.pk]
        for user in users:
            accounts.account_deactivate(user=user, by=request.user)
        self.message_user(request, ngettext(
            "%(count)d account deactivated; its live cases were handed to their coordinators.",
            "%(count)d accounts deactivated; their live cases were handed to their coordinators.",
            len(users)) % {"count": len(users)}, messages.SUCCESS)
