"""Default-deny access control.

Every view declares who may use it: `@public`, or `@roles_required(Role.ADMIN, ...)`.
One `before_request` hook enforces the declaration; a view with none is refused (403) and a
test fails, so a new endpoint cannot be forgotten.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import Flask, abort, current_app, request
from flask_login import current_user

from referral_app.extensions import login_manager
from referral_app.models import Role

View = TypeVar("View", bound=Callable[..., Any])
PUBLIC = "public"
ACCESS_ATTRIBUTE = "access"
# Endpoints made by Flask itself, which cannot carry a declaration.
BUILT_IN_PUBLIC_ENDPOINTS = frozenset({"static"})


def public(view: View) -> View:
    """Anyone may use this view, signed in or not."""
    setattr(view, ACCESS_ATTRIBUTE, PUBLIC)
    return view


def roles_required(*roles: Role) -> Callable[[View], View]:
    """Only signed-in users with one of these roles may use this view."""
    if not roles:
        raise ValueError("Name at least one role, or use @public.")

    def declare(view: View) -> View:
        setattr(view, ACCESS_ATTRIBUTE, frozenset(roles))
        return view

    return declare


ANY_SIGNED_IN = tuple(Role)


def access_of(endpoint: str) -> str | frozenset[Role] | None:
    if endpoint in BUILT_IN_PUBLIC_ENDPOINTS:
        return PUBLIC
    return getattr(current_app.view_functions.get(endpoint), ACCESS_ATTRIBUTE, None)


def enforce_access() -> Any:
    if request.endpoint is None:  # no route matched: let Flask answer 404 or 405
        return None
    access = access_of(request.endpoint)
    if access == PUBLIC:
        return None
    if access is None:
        current_app.logger.error("Endpoint %s declares no access rule; refused.", request.endpoint)
        abort(403)
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if current_user.role not in access:
        abort(403)
    return None


def init_app(app: Flask) -> None:
    app.before_request(enforce_access)
