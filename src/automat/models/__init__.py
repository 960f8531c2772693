"""ORM models, one module per aggregate. Importing this package registers every table."""

from automat.models.audit import AuditLog
from automat.models.cad import CadFile, CadPart, CadStatus
from automat.models.material import AliasKind, Material, MaterialAlias
from automat.models.pipeline import PipelineEvent
from automat.models.product import ImportStatus, Product, ProductImport
from automat.models.settings import SystemSetting, TenantSetting
from automat.models.tenant import Tenant
from automat.models.user import Role, User

__all__ = [
    "AliasKind",
    "AuditLog",
    "CadFile",
    "CadPart",
    "CadStatus",
    "ImportStatus",
    "Material",
    "MaterialAlias",
    "PipelineEvent",
    "Product",
    "ProductImport",
    "Role",
    "SystemSetting",
    "Tenant",
    "TenantSetting",
    "User",
]
