from django.contrib import admin
from django.urls import include, path

from agreements.views.accounts import LoginView
from agreements.views.calendar import calendar_feed
from agreements.views.health import healthz
from agreements.views.language import language_set
from agreements.views.summaries import shared_summary, shared_summary_pdf

urlpatterns = [
    # For the load balancer and monitoring: no login, plain HTTP allowed (SECURE_REDIRECT_EXEMPT).
    path("healthz", healthz, name="healthz"),
    # The language menu at the foot of every page (no login: the login pages have it too).
    path("language/", language_set, name="language_set"),
    path("admin/", admin.site.urls),
    path("accounts/login/", LoginView.as_view(), name="login"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("clients/", include("clients.urls")),
    # The client portal: client contacts only, with sessions of its own (clients/portal/sessions.py).
    path("portal/", include("clients.portal.urls")),
    # Read-only summary links for the client's boss: no login, a token that expires.
    path("s/<str:token>/", shared_summary, name="shared_summary"),
    path("s/<str:token>/pdf/", shared_summary_pdf, name="shared_summary_pdf"),
    # Calendar subscription feeds: no login (calendar apps fetch them), a token that can be turned off.
    path("calendar/<str:token>.ics", calendar_feed, name="calendar_feed"),
    path("", include("agreements.urls")),
]
