"""ORM models, one module per aggregate. Importing this package registers every table."""

from automat.models.admin_job import AdminJob, AdminJobState
from automat.models.analytics import CadStat, RenderStat
from automat.models.audit import AuditLog, NotificationRead
from automat.models.billing import (
    Invoice,
    InvoiceCounter,
    InvoiceKind,
    InvoiceLine,
    InvoiceStatus,
    PriceListEntry,
)
from automat.models.cad import CadFile, CadPart, CadStatus
from automat.models.material import AliasKind, Material, MaterialAlias
from automat.models.media import MediaAsset, MediaDownload
from automat.models.notification import EmailOutbox, NotificationDigest, NotificationPreference
from automat.models.order import LineStatus, Order, OrderLine, OrderNumberCounter, OrderStatus
from automat.models.output import OutputKind, OutputType, Position, RenderTemplate, TemplateStatus
from automat.models.pipeline import PipelineEvent
from automat.models.product import ImportRowStatus, ImportStatus, Product, ProductImport, ProductImportRow
from automat.models.settings import SystemSetting, TenantSetting
from automat.models.tenant import Tenant
from automat.models.user import Role, User
from automat.models.worker import WorkerBlock, WorkerConfig
from automat.models.workflow import Workflow, WorkflowRun, WorkflowRunNode, WorkflowVersion

__all__ = [
    "AdminJob",
    "AdminJobState",
    "AliasKind",
    "AuditLog",
    "CadFile",
    "CadPart",
    "CadStat",
    "CadStatus",
    "EmailOutbox",
    "ImportRowStatus",
    "ImportStatus",
    "Invoice",
    "InvoiceCounter",
    "InvoiceKind",
    "InvoiceLine",
    "InvoiceStatus",
    "LineStatus",
    "Material",
    "MaterialAlias",
    "MediaAsset",
    "MediaDownload",
    "NotificationDigest",
    "NotificationPreference",
    "NotificationRead",
    "Order",
    "OrderLine",
    "OrderNumberCounter",
    "OrderStatus",
    "OutputKind",
    "OutputType",
    "PipelineEvent",
    "Position",
    "PriceListEntry",
    "Product",
    "ProductImport",
    "ProductImportRow",
    "RenderStat",
    "RenderTemplate",
    "Role",
    "SystemSetting",
    "TemplateStatus",
    "Tenant",
    "TenantSetting",
    "User",
    "WorkerBlock",
    "WorkerConfig",
    "Workflow",
    "WorkflowRun",
    "WorkflowRunNode",
    "WorkflowVersion",
]
