"""URLs of the incidents app."""

from __future__ import annotations

from django.urls import path

from districtguard.incidents import facts_views, views

app_name = "incidents"
urlpatterns = [
    path("", views.incident_list, name="list"),
    path("report/", views.report_new, name="report_new"),
    path("reports/", views.report_list, name="reports"),
    path("reports/mine/", views.report_mine, name="reports_mine"),
    path("reports/<int:pk>/", views.report_detail, name="report"),
    path("reports/<int:pk>/triage/", views.report_triage, name="triage"),
    path("new/", views.incident_new, name="new"),
    path("<int:pk>/", views.incident_detail, name="detail"),
    path("<int:pk>/edit/", views.incident_edit, name="edit"),
    path("<int:pk>/phase/", views.incident_phase, name="phase"),
    path("<int:pk>/tasks/", views.task_add, name="task_add"),
    path("<int:pk>/notes/", views.note_add, name="note_add"),
    path("<int:pk>/evidence/", views.evidence_add, name="evidence_add"),
    path("<int:pk>/facts/", facts_views.facts_edit, name="facts"),
    path(
        "<int:pk>/determination/",
        facts_views.determination_apply,
        name="determination_apply",
    ),
    path("<int:pk>/inventory/", facts_views.inventory_apply, name="inventory_apply"),
    path("elements/<int:pk>/", facts_views.element_edit, name="element_edit"),
    path(
        "elements/<int:pk>/delete/", facts_views.element_delete, name="element_delete"
    ),
    path("tasks/<int:pk>/done/", views.task_done, name="task_done"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence"),
    path("notifications/<int:pk>/", views.notification_record, name="notify"),
]
