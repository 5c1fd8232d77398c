"""Forms of the people, access-review and audit-log pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q, QuerySet

from districtguard.accounts.audit import AuditEntry
from districtguard.accounts.models import AccessReview, User
from districtguard.accounts.roles import Role
from districtguard.district.models import Site


class PeopleFilterForm(forms.Form):
    """Narrow the staff directory by search text, role, site and status."""

    STATUS_CHOICES = (("active", "Active"), ("inactive", "Deactivated"), ("all", "All"))

    q = forms.CharField(label="Search", required=False, max_length=200)
    role = forms.ChoiceField(required=False, choices=[("", "Any role"), *Role.choices])
    site = forms.ModelChoiceField(
        required=False, queryset=Site.objects.all(), empty_label="Any site"
    )
    status = forms.ChoiceField(required=False, choices=STATUS_CHOICES)

    def filter(self, people: QuerySet[User]) -> QuerySet[User]:
        """Return ``people`` narrowed by the valid filters (all of them if none)."""
        if not self.is_valid():
            return people.filter(is_active=True)
        data = self.cleaned_data
        status = data.get("status") or "active"
        if status != "all":
            people = people.filter(is_active=status == "active")
        if data.get("role"):
            people = people.filter(role=data["role"])
        if data.get("site"):
            people = people.filter(site=data["site"])
        for word in (data.get("q") or "").split():
            people = people.filter(
                Q(first_name__icontains=word)
                | Q(last_name__icontains=word)
                | Q(email__icontains=word)
                | Q(title__icontains=word)
            )
        return people


class RoleChangeForm(forms.Form):
    """Choose a person's new role."""

    role = forms.ChoiceField(choices=Role.choices)


class AccessReviewForm(forms.ModelForm):  # type: ignore[type-arg]
    """Record what the review found and what was changed because of it."""

    class Meta:
        model = AccessReview
        fields = ("notes", "changes_made")
        labels = {"notes": "What was reviewed and found"}
        help_texts = {
            "notes": "For example: every role checked against the staff list; "
            "two former employees still held roles.",
        }
        widgets = {
            "notes": forms.Textarea(attrs={"rows": 4}),
            "changes_made": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["notes"].required = True


class AuditFilterForm(forms.Form):
    """Narrow the audit log by action, actor, object type and dates."""

    action = forms.CharField(required=False, max_length=64)
    actor = forms.CharField(
        required=False, max_length=254, help_text="Part of an email address."
    )
    object_type = forms.ChoiceField(required=False, label="Object type")
    date_from = forms.DateField(
        required=False, label="From", widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        required=False, label="To", widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        types = AuditEntry.objects.exclude(object_type="").values_list(
            "object_type", flat=True
        )
        self.fields["object_type"].choices = [  # type: ignore[attr-defined]
            ("", "Any"),
            *((name, name) for name in sorted(set(types))),
        ]

    def clean(self) -> dict[str, Any]:
        """Refuse a date range that ends before it starts."""
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            raise forms.ValidationError("The end date is before the start date.")
        return data

    def filter(self, entries: QuerySet[AuditEntry]) -> QuerySet[AuditEntry]:
        """Return ``entries`` narrowed by the form, or none if the form is invalid."""
        if not self.is_valid():
            return entries.none()
        data = self.cleaned_data
        if data.get("action"):
            entries = entries.filter(action__startswith=data["action"].strip())
        if data.get("actor"):
            entries = entries.filter(actor_label__icontains=data["actor"].strip())
        if data.get("object_type"):
            entries = entries.filter(object_type=data["object_type"])
        if data.get("date_from"):
            entries = entries.filter(at__date__gte=data["date_from"])
        if data.get("date_to"):
            entries = entries.filter(at__date__lte=data["date_to"])
        return entries

    def query_string(self) -> str:
        """Return the valid filters as a query string, for paging and export links."""
        if not self.is_valid():
            return ""
        from urllib.parse import urlencode

        return urlencode(
            {k: str(v) for k, v in self.cleaned_data.items() if v not in (None, "")}
        )
