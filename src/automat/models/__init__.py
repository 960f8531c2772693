"""ORM models, one module per aggregate. Importing this package registers every table."""

from automat.models.audit import AuditLog
from automat.models.pipeline import PipelineEvent
from automat.models.settings import SystemSetting, TenantSetting
from automat.models.tenant import Tenant
from automat.models.user import Role, User

__all__ = ["AuditLog", "PipelineEvent", "Role", "SystemSetting", "Tenant", "TenantSetting", "User"]
