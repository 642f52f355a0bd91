"""SQLModel tables. Importing this package registers every table on `SQLModel.metadata`."""

from referral_app.models.organization import Organization, Service, ServiceStatus
from referral_app.models.user import Role, User

__all__ = ["Organization", "Role", "Service", "ServiceStatus", "User"]
