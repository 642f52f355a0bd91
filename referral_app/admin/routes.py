"""Administration: accounts, every organisation (creating, editing, approving) and taxonomy terms."""

from __future__ import annotations

import uuid

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from referral_app.access import roles_required
from referral_app.admin.forms import TERM_ERRORS, BuiltInTermForm, OrganizationForm, TermForm
from referral_app.db import get_session
from referral_app.models import Organization, Role, TaxonomyTerm
from referral_app.services import change_log, organizations, taxonomy_admin, users
from referral_app.services.taxonomy_admin import TermDetails, TermError

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.get("/users")
@roles_required(Role.ADMIN)
def list_users():
    return render_template("admin/list_users.html", rows=users.list_users(session=get_session()))


def _organization_or_404(organization_id: uuid.UUID) -> Organization:
    organization = organizations.get_organization(session=get_session(), organization_id=organization_id)
    if organization is None:
        abort(404)
    return organization


@bp.get("/organisations")
@roles_required(Role.ADMIN)
def list_organizations():
    rows = organizations.list_organizations(session=get_session())
    return render_template("admin/list_organizations.html", rows=rows)


@bp.route("/organisations/new", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def create_organization():
    form = OrganizationForm()
    if form.validate_on_submit():
        session = get_session()
        organizations.create_organization(session=session, user_id=current_user.id, details=form.details())
        session.commit()
        flash(_("The organisation has been added. It is approved, so its services will be listed."), "success")
        return redirect(url_for("admin.list_organizations"), code=303)
    return render_template("admin/create_organization.html", form=form)


@bp.route("/organisations/<uuid:organization_id>/edit", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def edit_organization(organization_id: uuid.UUID):
    session = get_session()
    organization = _organization_or_404(organization_id)
    form = OrganizationForm(obj=organization)
    if form.validate_on_submit():
        organizations.update_organization(
            session=session, user_id=current_user.id, organization=organization, details=form.details()
        )
        session.commit()
        flash(_("Your changes have been saved."), "success")
        return redirect(url_for("admin.list_organizations"), code=303)
    changes = change_log.history(session=session, entity=organizations.ENTITY, entity_id=organization.id)
    return render_template("admin/edit_organization.html", form=form, organization=organization, changes=changes)


@bp.post("/organisations/<uuid:organization_id>/approve")
@roles_required(Role.ADMIN)
def approve_organization(organization_id: uuid.UUID):
    session = get_session()
    organization = _organization_or_404(organization_id)
    if organizations.approve_organization(session=session, user_id=current_user.id, organization=organization):
        session.commit()
        flash(_("The organisation has been approved. Its services are now listed."), "success")
    else:
        flash(_("The organisation was already approved."), "info")
    return redirect(url_for("admin.list_organizations"), code=303)


@bp.get("/taxonomies")
@roles_required(Role.ADMIN)
def list_taxonomies():
    return render_template(
        "admin/list_taxonomies.html", trees=taxonomy_admin.taxonomies_with_terms(session=get_session())
    )


def _taxonomies_at(taxonomy_id: uuid.UUID | None) -> str:
    return url_for("admin.list_taxonomies", _anchor=f"taxonomy-{taxonomy_id or 'none'}")


def _show_term_error(form, error: TermError) -> None:
    field = form._fields.get(error.field, form.description)
    field.errors = [TERM_ERRORS[error.reason]]


@bp.route("/taxonomies/<uuid:taxonomy_id>/terms/new", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def create_term(taxonomy_id: uuid.UUID):
    session = get_session()
    taxonomy = taxonomy_admin.get_taxonomy(session=session, taxonomy_id=taxonomy_id)
    if taxonomy is None:
        abort(404)
    form = TermForm(parents=taxonomy_admin.parent_options(session=session, taxonomy_id=taxonomy.id))
    if form.validate_on_submit():
        try:
            taxonomy_admin.create_term(
                session=session, user_id=current_user.id, taxonomy_id=taxonomy.id, details=form.details()
            )
        except TermError as error:
            _show_term_error(form, error)
        else:
            session.commit()
            flash(_("The term has been added."), "success")
            return redirect(_taxonomies_at(taxonomy.id), code=303)
    return render_template("admin/create_term.html", form=form, taxonomy=taxonomy)


def _term_or_404(term_id: uuid.UUID) -> TaxonomyTerm:
    term = taxonomy_admin.get_term(session=get_session(), term_id=term_id)
    if term is None:
        abort(404)
    return term


@bp.route("/taxonomies/terms/<uuid:term_id>/edit", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def edit_term(term_id: uuid.UUID):
    session = get_session()
    term = _term_or_404(term_id)
    built_in = taxonomy_admin.is_built_in(term)
    if built_in:
        form = BuiltInTermForm(obj=term)
    else:
        parents = taxonomy_admin.parent_options(session=session, taxonomy_id=term.taxonomy_id, term_id=term.id)
        form = TermForm(obj=term, parents=parents)
    if form.validate_on_submit():
        details = (
            TermDetails(name=term.name, code=term.code, parent_id=term.parent_id, description=form.description.data)
            if built_in
            else form.details()
        )
        try:
            taxonomy_admin.update_term(session=session, user_id=current_user.id, term=term, details=details)
        except TermError as error:
            _show_term_error(form, error)
        else:
            session.commit()
            flash(_("Your changes have been saved."), "success")
            return redirect(_taxonomies_at(term.taxonomy_id), code=303)
    taxonomy = taxonomy_admin.get_taxonomy(session=session, taxonomy_id=term.taxonomy_id) if term.taxonomy_id else None
    changes = change_log.history(session=session, entity=taxonomy_admin.ENTITY, entity_id=term.id)
    return render_template(
        "admin/edit_term.html", form=form, term=term, taxonomy=taxonomy, built_in=built_in, changes=changes
    )


from referral_app.admin import (  # noqa: E402, F401  (register views)
    audit_routes,
    resident_routes,
    translation_routes,
    user_routes,
    video_routes,
)
