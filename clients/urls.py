from django.urls import path

from clients.views import access, clients, help

app_name = "clients"
urlpatterns = [
    path("", clients.client_list, name="list"),
    path("new/", clients.client_create, name="create"),
    path("<int:pk>/", clients.client_detail, name="detail"),
    path("<int:pk>/edit/", clients.client_edit, name="edit"),
    path("<int:pk>/contacts/new/", clients.contact_create, name="contact_create"),
    path("contacts/<int:pk>/edit/", clients.contact_edit, name="contact_edit"),
    path("contacts/<int:pk>/invite/", access.contact_invite, name="contact_invite"),
    path("contacts/<int:pk>/portal-off/", access.contact_portal_end, name="contact_portal_end"),
    path("help/", help.help_list, name="help_list"),
    path("help/<int:pk>/", help.help_detail, name="help_detail"),
]
