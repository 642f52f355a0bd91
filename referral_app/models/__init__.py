"""SQLModel tables. Importing this package registers every table on `SQLModel.metadata`."""

from referral_app.models.directory_records import ChangeLog, ListingReport, ReportReason, SearchLog, ServiceSearch
from referral_app.models.location import Accessibility, Address, Location, ServiceAtLocation
from referral_app.models.organization import Organization, OrganizationStatus, OrganizationTranslation
from referral_app.models.service import (
    Contact,
    ContactKind,
    CostOption,
    Language,
    Phone,
    Schedule,
    Service,
    ServiceArea,
    ServiceStatus,
    ServiceTranslation,
)
from referral_app.models.taxonomy import Attribute, Taxonomy, TaxonomyTerm
from referral_app.models.user import Role, User

__all__ = [
    "Accessibility",
    "Address",
    "Attribute",
    "ChangeLog",
    "Contact",
    "ContactKind",
    "CostOption",
    "Language",
    "ListingReport",
    "Location",
    "Organization",
    "OrganizationStatus",
    "OrganizationTranslation",
    "Phone",
    "ReportReason",
    "Role",
    "Schedule",
    "SearchLog",
    "Service",
    "ServiceArea",
    "ServiceAtLocation",
    "ServiceSearch",
    "ServiceStatus",
    "ServiceTranslation",
    "Taxonomy",
    "TaxonomyTerm",
    "User",
]
