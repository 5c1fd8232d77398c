"""People and access reviews: thin views over :mod:`.services`."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from districtguard.accounts import services
from districtguard.accounts.access import (
    get_access_review_for_user,
    get_person_for_user,
    requires,
)
from districtguard.accounts.forms import (
    AccessReviewForm,
    PeopleFilterForm,
    RoleChangeForm,
)
from districtguard.accounts.models import AccessReview, User
from districtguard.accounts.roles import Role

PAGE_SIZE = 50


@requires("people.view")
def people(request: HttpRequest) -> HttpResponse:
    """List the staff directory, filtered by search text, role, site and status."""
    form = PeopleFilterForm(request.GET or None)
    listed = form.filter(User.objects.select_related("site"))
    page = Paginator(listed, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "accounts/people.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )


@requires("people.view")
def person(request: HttpRequest, pk: int) -> HttpResponse:
    """Show one person: role, site, sign-in and MFA status."""
    shown = get_person_for_user(request, pk)
    with_mfa = services.people_with_mfa(User.objects.filter(pk=shown.pk))
    return render(
        request,
        "accounts/person.html",
        {
            "person": shown,
            "mfa": shown.pk in with_mfa,
            "can_change": request.user.can("people.change_role"),  # type: ignore[union-attr]
        },
    )


@requires("people.change_role")
def person_role(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a person's role; the last active Director keeps theirs."""
    changed = get_person_for_user(request, pk, write=True)
    form = RoleChangeForm(request.POST or None, initial={"role": changed.role})
    if request.method == "POST" and form.is_valid():
        new_role = form.cleaned_data["role"]
        try:
            done = services.change_role(changed, new_role, request)
        except services.AccessChangeRefused as exc:
            form.add_error("role", str(exc))
        else:
            if done:
                messages.success(request, f"{changed} is now {Role(new_role).label}.")
            else:
                messages.info(request, "The role was not changed.")
            return redirect("accounts:person", pk=changed.pk)
    return render(
        request, "accounts/person_role.html", {"person": changed, "form": form}
    )


@requires("people.change_role")
@require_POST
def person_active(request: HttpRequest, pk: int) -> HttpResponse:
    """Deactivate (``active=0``) or reactivate (``active=1``) a person."""
    changed = get_person_for_user(request, pk, write=True)
    active = request.POST.get("active") == "1"
    try:
        done = services.set_active(changed, active, request)
    except services.AccessChangeRefused as exc:
        messages.error(request, str(exc))
    else:
        if done:
            state = "reactivated" if active else "deactivated"
            messages.success(request, f"{changed} was {state}.")
    return redirect("accounts:person", pk=changed.pk)


@requires("access_review.view")
def access_review(request: HttpRequest) -> HttpResponse:
    """List who holds a role other than staff, and the past reviews."""
    reviews = AccessReview.objects.select_related("reviewer")
    last = reviews.first()
    return render(
        request,
        "accounts/access_review.html",
        {
            "rows": services.review_rows(),
            "reviews": reviews[:50],
            "last": last,
            "due": services.next_review_due(last),
            "can_record": request.user.can("access_review.record"),  # type: ignore[union-attr]
        },
    )


@requires("access_review.record")
def access_review_record(request: HttpRequest) -> HttpResponse:
    """Record an access review with a snapshot of who holds which role now."""
    form = AccessReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        review = services.record_access_review(
            form.cleaned_data["notes"], form.cleaned_data["changes_made"], request
        )
        messages.success(request, "The access review was recorded.")
        return redirect("accounts:access_review_detail", pk=review.pk)
    return render(
        request,
        "accounts/access_review_form.html",
        {"form": form, "rows": services.review_rows()},
    )


@requires("access_review.view")
def access_review_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Show a recorded review and the snapshot taken with it."""
    review = get_access_review_for_user(request, pk)
    return render(request, "accounts/access_review_detail.html", {"review": review})
