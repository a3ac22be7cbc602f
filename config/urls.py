from django.contrib import admin
from django.urls import include, path

from apps.haastavat_erot import health, ical

urlpatterns = [
    path("desk/", admin.site.urls),
    path("calendar/<str:token>.ics", ical.calendar_feed, name="calendar_feed"),
    path("healthz", health.healthz, name="healthz"),
    path("", include("apps.haastavat_erot.portal.urls")),
]
