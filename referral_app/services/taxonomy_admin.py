"""Admins looking after taxonomies: adding and editing terms, kept as a tree by `parent_id`.

The built-in needs terms keep their code and name (the app finds them by code and translates their
names), so only their description may change. Changing a term rebuilds the search text of every
service that uses it. Services `flush`; the view commits.
"""

from __future__ import annotations

import re
import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlmodel import Session, func, select

from referral_app.models import Attribute, Service, Taxonomy, TaxonomyTerm
from referral_app.services.change_log import record_change
from referral_app.services.search_index import refresh_search_documents
from referral_app.services.taxonomy import NEED_CODES, need_term_id

ENTITY = "taxonomy_term"
CODE_PATTERN = re.compile(r"^[a-z0-9_]+$")
BUILT_IN_TERM_IDS = frozenset(need_term_id(code) for code in NEED_CODES)
EDITABLE_FIELDS = ("name", "description", "code", "parent_id")
LOCKED_FIELDS_OF_BUILT_IN = ("code", "name", "parent_id")


class TermError(ValueError):
    """A term could not be saved as asked: `field` is the form field at fault, `reason` a code for the message."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


@dataclass(frozen=True)
class TermDetails:
    name: str
    description: str = ""
    code: str | None = None
    parent_id: uuid.UUID | None = None

    def cleaned(self) -> TermDetails:
        return TermDetails(
            name=self.name.strip(),
            description=self.description.strip(),
            code=(self.code or "").strip() or None,
            parent_id=self.parent_id,
        )


@dataclass
class TermNode:
    term: TaxonomyTerm
    built_in: bool
    depth: int = 0
    children: list[TermNode] = field(default_factory=list)


@dataclass(frozen=True)
class TaxonomyTree:
    taxonomy: Taxonomy | None  # None holds terms that belong to no taxonomy (possible in imported data)
    terms: list[TermNode]


def is_built_in(term: TaxonomyTerm) -> bool:
    return term.id in BUILT_IN_TERM_IDS


def _in_taxonomy(taxonomy_id: uuid.UUID | None):
    return TaxonomyTerm.taxonomy_id.is_(None) if taxonomy_id is None else TaxonomyTerm.taxonomy_id == taxonomy_id


def _build_tree(terms: list[TaxonomyTerm]) -> list[TermNode]:
    """Terms as a tree; a parent outside the list, or a loop in the data, makes a term a root instead."""
    ordered = sorted(terms, key=lambda term: (term.name.lower(), str(term.id)))
    ids = {term.id for term in ordered}
    children: dict[uuid.UUID, list[TaxonomyTerm]] = defaultdict(list)
    roots = []
    for term in ordered:
        if term.parent_id in ids and term.parent_id != term.id:
            children[term.parent_id].append(term)
        else:
            roots.append(term)
    placed: set[uuid.UUID] = set()

    def node(term: TaxonomyTerm, depth: int) -> TermNode:
        placed.add(term.id)
        below = [node(child, depth + 1) for child in children[term.id] if child.id not in placed]
        return TermNode(term=term, built_in=is_built_in(term), depth=depth, children=below)

    tree = [node(term, 0) for term in roots]
    tree += [node(term, 0) for term in ordered if term.id not in placed]  # terms caught in a loop
    return tree


def flatten(nodes: list[TermNode]) -> list[TermNode]:
    """Every node of a tree, each parent followed by its children."""
    flat: list[TermNode] = []
    for one in nodes:
        flat.append(one)
        flat += flatten(one.children)
    return flat


def taxonomies_with_terms(*, session: Session) -> list[TaxonomyTree]:
    """Every taxonomy by name with its terms as a tree, in two queries."""
    taxonomies = session.exec(select(Taxonomy).order_by(func.lower(Taxonomy.name), Taxonomy.id)).all()
    terms_by_taxonomy: dict[uuid.UUID | None, list[TaxonomyTerm]] = defaultdict(list)
    for term in session.exec(select(TaxonomyTerm)).all():
        terms_by_taxonomy[term.taxonomy_id].append(term)
    trees = [TaxonomyTree(taxonomy=t, terms=_build_tree(terms_by_taxonomy[t.id])) for t in taxonomies]
    if terms_by_taxonomy.get(None):
        trees.append(TaxonomyTree(taxonomy=None, terms=_build_tree(terms_by_taxonomy[None])))
    return trees


def get_taxonomy(*, session: Session, taxonomy_id: uuid.UUID) -> Taxonomy | None:
    return session.get(Taxonomy, taxonomy_id)


def get_term(*, session: Session, term_id: uuid.UUID) -> TaxonomyTerm | None:
    return session.get(TaxonomyTerm, term_id)


def parent_options(
    *, session: Session, taxonomy_id: uuid.UUID | None, term_id: uuid.UUID | None = None
) -> list[TermNode]:
    """Terms that may be the parent of this term: its taxonomy's, except itself and those below it."""
    terms = list(session.exec(select(TaxonomyTerm).where(_in_taxonomy(taxonomy_id))).all())
    options = []
    skipping_below: int | None = None
    for one in flatten(_build_tree(terms)):
        if skipping_below is not None and one.depth > skipping_below:
            continue
        skipping_below = None
        if one.term.id == term_id:
            skipping_below = one.depth
            continue
        options.append(one)
    return options


def _check(
    session: Session,
    *,
    taxonomy_id: uuid.UUID | None,
    details: TermDetails,
    term_id: uuid.UUID | None,
    fields: Iterable[str] = ("code", "parent_id"),
) -> None:
    """Check the code and parent being set (only those, so data imported with duplicate codes stays editable)."""
    fields = set(fields)
    if "code" in fields and details.code is not None:
        if not CODE_PATTERN.fullmatch(details.code):
            raise TermError("code", "code_format")
        same_code = select(TaxonomyTerm.id).where(_in_taxonomy(taxonomy_id), TaxonomyTerm.code == details.code)
        if term_id is not None:
            same_code = same_code.where(TaxonomyTerm.id != term_id)
        if session.exec(same_code).first() is not None:
            raise TermError("code", "code_taken")
    if "parent_id" in fields and details.parent_id is not None:
        options = parent_options(session=session, taxonomy_id=taxonomy_id, term_id=term_id)
        allowed = {option.term.id for option in options}
        if details.parent_id not in allowed:
            raise TermError("parent_id", "parent")


def _summary(verb: str, term: TaxonomyTerm) -> str:
    return f"{verb} {term.name}" + (f" ({term.code})" if term.code else "")


def create_term(*, session: Session, user_id: int | None, taxonomy_id: uuid.UUID, details: TermDetails) -> TaxonomyTerm:
    """Add a term to a taxonomy; raises TermError when the code is taken or the parent is not allowed."""
    details = details.cleaned()
    if not details.name:
        raise TermError("name", "name_missing")
    _check(session, taxonomy_id=taxonomy_id, details=details, term_id=None)
    term = TaxonomyTerm(
        taxonomy_id=taxonomy_id,
        name=details.name,
        description=details.description,
        code=details.code,
        parent_id=details.parent_id,
    )
    session.add(term)
    session.flush()
    record_change(
        session=session,
        user_id=user_id,
        entity=ENTITY,
        entity_id=term.id,
        action="created",
        summary=_summary("Created", term),
    )
    return term


def services_using(*, session: Session, term_id: uuid.UUID) -> list[uuid.UUID]:
    return list(
        session.exec(
            select(Attribute.link_id)
            .join(Service, Service.id == Attribute.link_id)
            .where(Attribute.taxonomy_term_id == term_id)
        ).all()
    )


def update_term(*, session: Session, user_id: int | None, term: TaxonomyTerm, details: TermDetails) -> list[str]:
    """Save a term; returns the fields that changed. Raises TermError when a change is not allowed."""
    details = details.cleaned()
    changed = [name for name in EDITABLE_FIELDS if getattr(term, name) != getattr(details, name)]
    if not changed:
        return []
    if is_built_in(term):
        for locked in LOCKED_FIELDS_OF_BUILT_IN:
            if locked in changed:
                raise TermError(locked, "built_in")
    if not details.name:
        raise TermError("name", "name_missing")
    _check(session, taxonomy_id=term.taxonomy_id, details=details, term_id=term.id, fields=changed)
    for name in changed:
        setattr(term, name, getattr(details, name))
    session.add(term)
    session.flush()
    record_change(
        session=session,
        user_id=user_id,
        entity=ENTITY,
        entity_id=term.id,
        action="updated",
        summary=_summary("Changed " + ", ".join(changed) + " of", term),
    )
    refresh_search_documents(session=session, service_ids=services_using(session=session, term_id=term.id))
    return changed
