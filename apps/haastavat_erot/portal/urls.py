from django.urls import path

from .views import accounts, background, booking, cases, consent, consent_scans, files, public, recommendations

app_name = "portal"

urlpatterns = [
    path("", cases.home, name="home"),
    path("login/", accounts.LoginView.as_view(), name="login"),
    path("logout/", accounts.logout_view, name="logout"),
    path("account/two-factor/", accounts.two_factor, name="two_factor"),
    path("language/", accounts.set_language, name="set_language"),
    path("cases/<int:pk>/", cases.case_detail, name="case_detail"),
    path("book/", booking.book, name="book"),
    path("book/groups/<int:group_pk>/", booking.book_case, name="book_case"),
    path("cases/<int:pk>/withdraw/", booking.case_withdraw, name="case_withdraw"),
    path("cases/<int:pk>/session/", booking.case_rebook, name="case_rebook"),
    path("cases/<int:pk>/consents/add/", consent.consent_add, name="consent_add"),
    path("cases/<int:pk>/consents/<int:consent_pk>/", consent.consent_edit, name="consent_edit"),
    path("cases/<int:pk>/consents/<int:consent_pk>/withdraw/", consent.consent_withdraw, name="consent_withdraw"),
    path("cases/<int:pk>/recommendations/", recommendations.case_recommendations, name="case_recommendations"),
    path("cases/<int:pk>/recommendations.pdf", recommendations.recommendations_pdf, name="recommendations_pdf"),
    path("cases/<int:pk>/recommendations/acknowledge/", recommendations.recommendations_acknowledge,
         name="recommendations_acknowledge"),
    path("cases/<int:pk>/recommendations/feedback/", recommendations.recommendations_feedback,
         name="recommendations_feedback"),
    path("files/<int:pk>/", files.attachment_download, name="attachment_download"),
    path("groups/", public.group_index, name="public_groups"),
    path("groups/<slug:slug>/", public.group_short, name="public_group_short"),
    path("groups/<slug:county>/<slug:slug>/", public.group_page, name="public_group"),
    path("cases/<int:pk>/background/", background.background_form, name="background_form"),
    path("cases/<int:pk>/consents/<int:consent_pk>/scans/", consent_scans.consent_scans, name="consent_scans"),
    path("cases/<int:pk>/consents/<int:consent_pk>/scans/<int:scan_pk>/remove/", consent_scans.consent_scan_remove,
         name="consent_scan_remove"),
]
