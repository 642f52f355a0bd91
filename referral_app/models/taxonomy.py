"""Taxonomies of needs and categories, and the links from services to their terms (`attribute`)."""

from __future__ import annotations

import uuid

import sqlalchemy as sa
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

    # "Does this service have this term?" is asked for every candidate row of a search.
    __table_args__ = (sa.Index("ix_attribute_link_id_taxonomy_term_id", "link_id", "taxonomy_term_id"),)

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    link_id: uuid.UUID = Field(index=True)
    link_type: str | None = Field(default=None, max_length=50)
    link_entity: str = Field(default="service", max_length=50)
    taxonomy_term_id: uuid.UUID = Field(foreign_key="taxonomy_term.id", index=True, ondelete="CASCADE")
    value: str | None = None
