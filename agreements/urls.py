from django.urls import path

from agreements.views import accounts, changes, contracts, dashboard, profile, projects, scope, summaries

app_name = "agreements"
urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("signup/", accounts.signup, name="signup"),
    path("projects/", projects.project_list, name="project_list"),
    path("projects/new/", projects.project_create, name="project_create"),
    path("projects/<int:pk>/", projects.project_detail, name="project_detail"),
    path("projects/<int:pk>/edit/", projects.project_edit, name="project_edit"),
    path("projects/<int:pk>/status/", projects.project_status, name="project_status"),
    path("projects/<int:pk>/scope/new/", scope.scope_item_create, name="scope_item_create"),
    path("projects/<int:pk>/milestones/new/", scope.milestone_create, name="milestone_create"),
    path("projects/<int:pk>/changes/new/", changes.change_create, name="change_create"),
    path("scope/<int:pk>/edit/", scope.scope_item_edit, name="scope_item_edit"),
    path("scope/<int:pk>/revisions/new/", scope.revision_create, name="revision_create"),
    path("milestones/<int:pk>/edit/", scope.milestone_edit, name="milestone_edit"),
    path("changes/<int:pk>/", changes.change_detail, name="change_detail"),
    path("changes/<int:pk>/edit/", changes.change_edit, name="change_edit"),
    path("changes/<int:pk>/quote/", changes.change_quote, name="change_quote"),
    path("changes/<int:pk>/reopen/", changes.change_reopen, name="change_reopen"),
    path("changes/<int:pk>/approve/", changes.change_approve, name="change_approve"),
    path("changes/<int:pk>/decline/", changes.change_decline, name="change_decline"),
    path("changes/<int:pk>/withdraw/", changes.change_withdraw, name="change_withdraw"),
    path("profile/", profile.profile_edit, name="profile"),
    path("projects/<int:pk>/contract/", contracts.contract_edit, name="contract_edit"),
    path("projects/<int:pk>/contract/issue/", contracts.contract_issue_view, name="contract_issue"),
    path("projects/<int:pk>/contract/defaults/", contracts.clauses_save_as_defaults, name="clauses_save_defaults"),
    path("contracts/<int:pk>/", contracts.contract_version, name="contract_version"),
    path("contracts/<int:pk>/pdf/", contracts.contract_version_pdf, name="contract_version_pdf"),
    path("projects/<int:pk>/summary/", summaries.summary_detail, name="summary"),
    path("projects/<int:pk>/summary/share/", summaries.summary_share, name="summary_share"),
    path("summaries/<int:pk>/", summaries.summary_snapshot, name="summary_snapshot"),
    path("summaries/<int:pk>/pdf/", summaries.summary_snapshot_pdf, name="summary_snapshot_pdf"),
    path("summary-links/<int:pk>/revoke/", summaries.summary_link_revoke, name="summary_link_revoke"),
]
