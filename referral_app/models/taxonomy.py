"""Taxonomies of needs and categories, and the links from services to their terms (`attribute`)."""

from __future__ import annotations

import uuid

from sqlmodel import Field, SQLModel


class Taxonomy(SQLModel, table=True):
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    name: str = Field(max_length=255)
    description: str = ""
    uri: str | None = Field(default=None, max_length=500)
    version: str | None = Field(default=None, max_length=50)


class TaxonomyTerm(SQLModel, table=True):
    __tablename__ = "taxonomy_term"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    taxonomy_id: uuid.UUID | None = Field(default=None, foreign_key="taxonomy.id", index=True, ondelete="CASCADE")
    parent_id: uuid.UUID | None = Field(default=None, foreign_key="taxonomy_term.id", ondelete="SET NULL")
    code: str | None = Field(default=None, max_length=100, index=True)  # ORUK `term`, e.g. "food"
    name: str = Field(max_length=255)
    description: str = ""
    term_uri: str | None = Field(default=None, max_length=500)


class Attribute(SQLModel, table=True):
    """Links a record (a service, usually) to a taxonomy term, as Open Referral UK does."""

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    link_id: uuid.UUID = Field(index=True)
    link_type: str | None = Field(default=None, max_length=50)
    link_entity: str = Field(default="service", max_length=50)
    taxonomy_term_id: uuid.UUID = Field(foreign_key="taxonomy_term.id", index=True, ondelete="CASCADE")
    value: str | None = None
