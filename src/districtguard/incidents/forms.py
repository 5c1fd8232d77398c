"""Forms for reports, triage, incidents, tasks, notifications and breach facts."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from districtguard.accounts.models import User
from districtguard.accounts.roles import Role
from districtguard.incidents.evidence import MAX_EVIDENCE_BYTES
from districtguard.incidents.models import BreachFacts, ExposedElement, Incident, Report

MAX_FILES = 10


class MultipleFileInput(forms.ClearableFileInput):
    """A file input that accepts several files."""

    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Zero or more uploaded files, each within the evidence size limit."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        if len(files) > MAX_FILES:
            raise ValidationError(f"Attach at most {MAX_FILES} files.")
        cleaned = [
            super(MultipleFileField, self).clean(item, initial) for item in files
        ]
        for item in cleaned:
            if item.size > MAX_EVIDENCE_BYTES:
                raise ValidationError(
                    f"{item.name} is over {MAX_EVIDENCE_BYTES >> 20} MB; "
                    "send it to technology staff another way."
                )
        return cleaned


class ReportForm(forms.ModelForm):  # type: ignore[type-arg]
    """What a staff member fills in to report a suspected incident."""

    attachments = MultipleFileField(
        help_text="Screenshots, or the suspicious email saved as a file (.eml)."
    )

    class Meta:
        model = Report
        fields = ("summary", "details", "occurred_at", "device")
        widgets = {
            "occurred_at": forms.DateTimeInput(attrs={"type": "datetime-local"}),
            "details": forms.Textarea(attrs={"rows": 5}),
        }
        labels = {"details": "More detail"}
        help_texts = {
            "details": "What you saw, what you did, anything that seems related.",
            "summary": "For example: 'I clicked a link in an email asking for my "
            "password'.",
            "device": "The computer, phone, account or system involved, if you know.",
        }


class TriageForm(forms.Form):
    """Decide what a report is: a new incident, part of one, or not an incident."""

    DECISIONS = (
        ("open", "Open a new incident"),
        ("merge", "Add to an existing incident (duplicate)"),
        ("dismiss", "Not an incident"),
    )
    decision = forms.ChoiceField(choices=DECISIONS, widget=forms.RadioSelect)
    title = forms.CharField(max_length=200, required=False)
    category = forms.ChoiceField(choices=Incident.Category.choices, required=False)
    severity = forms.TypedChoiceField(
        choices=Incident.Severity.choices, coerce=int, required=False
    )
    incident = forms.ModelChoiceField(
        queryset=Incident.objects.exclude(phase=Incident.Phase.CLOSED), required=False
    )
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        decision = data.get("decision")
        if decision == "open" and not (data.get("title") and data.get("category")):
            raise ValidationError("A new incident needs a title and a category.")
        if decision == "merge" and not data.get("incident"):
            raise ValidationError("Choose the incident this report belongs to.")
        if decision == "dismiss" and not (data.get("reason") or "").strip():
            raise ValidationError("Say why this is not an incident.")
        return data


class IncidentForm(forms.ModelForm):  # type: ignore[type-arg]
    """Open an incident by hand, or edit its record."""

    class Meta:
        model = Incident
        fields = (
            "title",
            "category",
            "severity",
            "owner",
            "description",
            "affected_systems",
            "discovered_on",
            "determined_on",
            "breach_on",
        )
        widgets = {
            "discovered_on": forms.DateInput(attrs={"type": "date"}),
            "determined_on": forms.DateInput(attrs={"type": "date"}),
            "breach_on": forms.DateInput(attrs={"type": "date"}),
            "description": forms.Textarea(attrs={"rows": 4}),
            "affected_systems": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        owners = User.objects.filter(
            is_active=True, role__in=[Role.DIRECTOR, Role.TECH_STAFF]
        )
        self.fields["owner"].queryset = owners  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        discovered, determined = data.get("discovered_on"), data.get("determined_on")
        if discovered and determined and determined < discovered:
            raise ValidationError("The determination date cannot be before discovery.")
        return data


class PhaseForm(forms.Form):
    """Move the incident through its phases."""

    phase = forms.ChoiceField(choices=Incident.Phase.choices)
    comment = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))


class TaskForm(forms.Form):
    """Add a task to an incident."""

    title = forms.CharField(max_length=200)
    assignee = forms.ModelChoiceField(
        queryset=User.objects.filter(is_active=True), required=False
    )
    due_at = forms.DateTimeField(
        required=False, widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )


class NoteForm(forms.Form):
    """Add an observation to the timeline."""

    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)


class EvidenceForm(forms.Form):
    """Add an evidence file."""

    file = forms.FileField()
    description = forms.CharField(max_length=300, required=False)

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_EVIDENCE_BYTES:
            raise ValidationError(
                f"Evidence files are limited to {MAX_EVIDENCE_BYTES >> 20} MB."
            )
        return upload


class NotificationForm(forms.Form):
    """Record that a step of the chain was carried out."""

    method = forms.CharField(
        max_length=200, help_text="In person, phone, email, letter..."
    )
    recipient = forms.CharField(
        max_length=200, help_text="Who was told (name, office)."
    )
    message = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False)
    at = forms.DateTimeField(
        required=False,
        help_text="When; leave blank for now.",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )


class BreachFactsForm(forms.ModelForm):  # type: ignore[type-arg]
    """The facts the breach-law determination needs."""

    class Meta:
        model = BreachFacts
        fields = (
            "accessed",
            "acquired",
            "computerized",
            "good_faith_insider",
            "ok_residents",
            "credit_bureau",
            "role",
            "harm_believed",
            "harm_rationale",
            "harm_assessor",
            "hold_agency",
            "hold_advised_on",
            "hold_released_on",
            "hold_criminal",
            "residents_notified_on",
            "notice_cost_estimate",
            "contact_info_sufficient",
            "students_affected",
            "education_records",
        )
        widgets = {
            f: forms.DateInput(attrs={"type": "date"})
            for f in ("hold_advised_on", "hold_released_on", "residents_notified_on")
        }
        labels = {
            "accessed": "Was the data accessed by someone not allowed to?",
            "acquired": "Was the data acquired (copied, taken, downloaded)?",
            "computerized": "The data was in computerized form",
            "good_faith_insider": (
                "Only a district employee or agent, in good faith and for the "
                "district's purposes, acquired it (and did not misuse or disclose it)"
            ),
            "credit_bureau": (
                "The breached system is a consumer reporting agency's (credit bureau)"
            ),
            "role": "The district owns or licenses the data, or maintains it",
            "harm_believed": "Is identity theft or fraud reasonably believed likely?",
            "harm_rationale": "Why (the assessment)",
            "harm_assessor": "Who made the assessment",
            "hold_agency": "Law-enforcement agency that asked to delay notice",
            "hold_advised_on": "Delay asked on",
            "hold_released_on": "Delay lifted on",
            "hold_criminal": "The delay is for a criminal investigation",
            "residents_notified_on": "Residents notified on",
            "notice_cost_estimate": "Estimated cost of notice (USD)",
            "contact_info_sufficient": (
                "The district has contact details for everyone to be notified"
            ),
            "students_affected": "Students affected",
            "education_records": "Education records (FERPA) were disclosed",
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        advised, released = data.get("hold_advised_on"), data.get("hold_released_on")
        if released and not advised:
            raise ValidationError("A hold cannot be released before it was advised.")
        if advised and released and released < advised:
            raise ValidationError("The hold's release date is before it was advised.")
        if advised and not data.get("hold_agency"):
            raise ValidationError("Name the agency that advised the hold.")
        return data


class ExposedElementForm(forms.ModelForm):  # type: ignore[type-arg]
    """One kind of data the incident exposed."""

    class Meta:
        model = ExposedElement
        fields = (
            "kind",
            "linked_to_name",
            "protection",
            "key_compromised",
            "acquired_unencrypted",
            "visible_digits",
            "code_required",
        )
