from django.urls import path

from .views import accounts, background, cases, consent_scans, files

app_name = "portal"

urlpatterns = [
    path("", cases.home, name="home"),
    path("login/", accounts.LoginView.as_view(), name="login"),
    path("logout/", accounts.logout_view, name="logout"),
    path("account/two-factor/", accounts.two_factor, name="two_factor"),
    path("language/", accounts.set_language, name="set_language"),
    path("cases/<int:pk>/", cases.case_detail, name="case_detail"),
    path("files/<int:pk>/", files.attachment_download, name="attachment_download"),
    path("cases/<int:pk>/background/", background.background_form, name="background_form"),
    path("cases/<int:pk>/consents/<int:consent_pk>/scans/", consent_scans.consent_scans, name="consent_scans"),
    path("cases/<int:pk>/consents/<int:consent_pk>/scans/<int:scan_pk>/remove/", consent_scans.consent_scan_remove,
         name="consent_scan_remove"),
]
