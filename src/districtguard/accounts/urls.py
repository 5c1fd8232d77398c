"""URLs of the accounts app: people and access reviews."""

from __future__ import annotations

from django.urls import URLPattern, path

from districtguard.accounts import views

app_name = "accounts"
urlpatterns: list[URLPattern] = [
    path("", views.people, name="people"),
    path("<int:pk>/", views.person, name="person"),
    path("<int:pk>/role/", views.person_role, name="person_role"),
    path("<int:pk>/active/", views.person_active, name="person_active"),
    path("access-review/", views.access_review, name="access_review"),
    path("access-review/new/", views.access_review_record, name="access_review_record"),
    path(
        "access-review/<int:pk>/",
        views.access_review_detail,
        name="access_review_detail",
    ),
]
