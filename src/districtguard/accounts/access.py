"""Access checks every view goes through.

A view declares the permission it needs with :func:`requires`; the decorator
also registers the view so the test suite can check every URL against the
permission table (a view without a declaration fails that test). Objects are
fetched through ``get_<thing>_for_user`` helpers that answer 404 for what the
person may not see, so the existence of other people's objects does not leak.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any, TypeVar

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404

from districtguard.accounts.roles import allowed_roles

if TYPE_CHECKING:
    from districtguard.accounts.models import User

View = TypeVar("View", bound=Callable[..., HttpResponseBase])

# view function -> permission it requires; filled by @requires.
VIEW_PERMISSIONS: dict[Callable[..., HttpResponseBase], str] = {}


def requires(permission: str) -> Callable[[View], View]:
    """Refuse the view to anyone whose role lacks ``permission`` (403)."""
    allowed_roles(permission)  # fail at import time on a typo

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapper(
            request: HttpRequest, *args: Any, **kwargs: Any
        ) -> HttpResponseBase:
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not user.can(permission):
                raise PermissionDenied(f"requires {permission}")
            return view(request, *args, **kwargs)

        VIEW_PERMISSIONS[wrapper] = permission
        wrapper.permission = permission  # type: ignore[attr-defined]
        return wrapper  # type: ignore[return-value]

    return decorate


def current_user(request: HttpRequest) -> User:
    """Return the signed-in person (views are behind ``@requires``)."""
    from districtguard.accounts.models import User

    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied("sign in first")
    return user


def get_person_for_user(request: HttpRequest, pk: int, *, write: bool = False) -> Any:
    """Return the person ``pk`` if the signed-in user may see (or change) them.

    Everyone may see themselves; seeing others needs ``people.view`` and
    changing them ``people.change_role``. Anyone else gets 404.
    """
    from districtguard.accounts.models import User

    user = request.user
    person = get_object_or_404(User, pk=pk)
    if write:
        if not user.can("people.change_role"):  # type: ignore[union-attr]
            raise Http404
    elif person.pk != user.pk and not user.can("people.view"):  # type: ignore[union-attr]
        raise Http404
    return person


def get_access_review_for_user(request: HttpRequest, pk: int) -> Any:
    """Return the access review ``pk`` if the signed-in user may see reviews."""
    from districtguard.accounts.models import AccessReview

    if not request.user.can("access_review.view"):  # type: ignore[union-attr]
        raise Http404
    return get_object_or_404(AccessReview, pk=pk)
