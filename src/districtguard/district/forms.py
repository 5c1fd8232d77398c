"""Forms of the district app: settings, sites, and the staff directory upload."""

from __future__ import annotations

import zoneinfo
from functools import cache
from typing import Any

from django import forms

from districtguard.district.models import District, Site
from districtguard.district.patterns import (
    PatternError,
    check_id_pattern,
    preview_matches,
)
from districtguard.district.staff_import import MAX_BYTES

_PATTERN_FIELDS = ("student_id_pattern", "staff_id_pattern")


@cache
def _time_zones() -> list[tuple[str, str]]:
    names = sorted(zoneinfo.available_timezones() - {"localtime", "Factory"})
    return [(name, name.replace("_", " ")) for name in names]


class DistrictForm(forms.ModelForm):  # type: ignore[type-arg]
    """The district's name, place and the policy's parameters."""

    state = forms.CharField(label="State (two letters)", max_length=40)
    time_zone = forms.ChoiceField(choices=_time_zones)
    pattern_sample = forms.CharField(
        label="Try the ID patterns on a sample",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Type or paste a few made-up IDs and other text; the preview "
        "shows which ones each pattern matches. The sample is not saved.",
    )

    class Meta:
        model = District
        fields = (
            "name",
            "state",
            "time_zone",
            "contingency_test_frequency",
            "training_cycle_months",
            "rule_set",
            "student_id_pattern",
            "staff_id_pattern",
            "superintendent_notice_hours",
        )
        labels = {
            "state": "State (two letters)",
            "training_cycle_months": "Training cycle (months)",
            "student_id_pattern": "Student ID format (regular expression)",
            "staff_id_pattern": "Staff ID format (regular expression)",
            "superintendent_notice_hours": "Hours to notify the Superintendent",
        }
        help_texts = {
            "staff_id_pattern": "For example E\\d{5}. Blank: staff IDs are not "
            "treated as government IDs.",
        }

    def clean_state(self) -> str:
        """Accept a two-letter state code in either case."""
        state = str(self.cleaned_data["state"]).strip().upper()
        if len(state) != 2 or not state.isalpha():
            raise forms.ValidationError("Give the two-letter state code, e.g. OK.")
        return state

    def clean_training_cycle_months(self) -> int:
        """Keep the training cycle between one month and three years."""
        months = int(self.cleaned_data["training_cycle_months"])
        if not 1 <= months <= 36:
            raise forms.ValidationError("Choose between 1 and 36 months.")
        return months

    def clean_superintendent_notice_hours(self) -> int:
        """Keep the notice window between one hour and a week."""
        hours = int(self.cleaned_data["superintendent_notice_hours"])
        if not 1 <= hours <= 168:
            raise forms.ValidationError("Choose between 1 and 168 hours.")
        return hours

    def clean(self) -> dict[str, Any]:
        """Refuse unsafe ID patterns."""
        cleaned = super().clean() or {}
        for name in _PATTERN_FIELDS:
            pattern = str(cleaned.get(name) or "").strip()
            cleaned[name] = pattern
            if not pattern:
                continue
            try:
                check_id_pattern(pattern)
            except PatternError as exc:
                self.add_error(name, str(exc))
        return cleaned

    def pattern_preview(self) -> list[tuple[str, list[str]]]:
        """Return, for each valid pattern, what it matches in the sample."""
        if not self.is_valid():
            return []
        sample = self.cleaned_data.get("pattern_sample") or ""
        return [
            (str(self.fields[name].label), preview_matches(pattern, sample))
            for name in _PATTERN_FIELDS
            if (pattern := self.cleaned_data.get(name))
        ]


class SiteForm(forms.ModelForm):  # type: ignore[type-arg]
    """A school or other site."""

    class Meta:
        model = Site
        fields = ("name", "code", "address")

    def clean_name(self) -> str:
        """Refuse a second site whose name differs only in case."""
        name = " ".join(str(self.cleaned_data["name"]).split())
        clash = Site.objects.filter(name__iexact=name).exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError("There is already a site with this name.")
        return name


class StaffUploadForm(forms.Form):
    """The staff directory file."""

    file = forms.FileField(
        label="Staff directory (CSV file)",
        help_text=f"Exported from the SIS or HR system; at most {MAX_BYTES >> 20} MB.",
    )

    def clean_file(self) -> Any:
        """Refuse oversize files before reading them."""
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                f"The file is larger than {MAX_BYTES >> 20} MB. Split it into "
                "smaller files."
            )
        return upload


class ApplyImportForm(forms.Form):
    """Confirm an import; optionally deactivate people missing from the file."""

    deactivate_missing = forms.BooleanField(
        required=False,
        label="Also deactivate the people listed as missing from the file",
        help_text="They can no longer sign in; their records and history stay.",
    )
