from django.urls import path

from clients.portal.views import auth, calendar, documents, help, projects, requests

app_name = "portal"
urlpatterns = [
    path("", projects.home, name="home"),
    path("login/", auth.login, name="login"),
    path("logout/", auth.logout, name="logout"),
    path("invitation/<str:token>/", auth.invitation, name="invitation"),
    path("welcome/", auth.welcome, name="welcome"),
    path("projects/<int:pk>/", projects.project, name="project"),
    path("projects/<int:pk>/changes/new/", requests.change_create, name="change_create"),
    path("changes/<int:pk>/", requests.change_detail, name="change"),
    path("changes/<int:pk>/decide/", requests.change_decide, name="change_decide"),
    path("deliverables/<int:pk>/revision/", requests.revision_create, name="revision_create"),
    path("contracts/<int:pk>/", documents.contract, name="contract"),
    path("contracts/<int:pk>/pdf/", documents.contract_pdf, name="contract_pdf"),
    path("contracts/<int:pk>/accept/", documents.contract_accept_view, name="contract_accept"),
    path("summaries/<int:pk>/pdf/", documents.summary_pdf, name="summary_pdf"),
    path("help/", help.help_list, name="help_list"),
    path("help/new/", help.help_create, name="help_create"),
    path("help/<int:pk>/", help.help_detail, name="help_detail"),
    path("calendar/", calendar.calendar, name="calendar"),
    path("calendar/<int:client_id>/create/", calendar.calendar_create, name="calendar_create"),
    path("calendar/<int:client_id>/revoke/", calendar.calendar_revoke, name="calendar_revoke"),
]
