"""Every router of the application, registered in one place."""

from __future__ import annotations

from fastapi import FastAPI

from automat.admin_actions.endpoints import actions_router as admin_actions_router
from automat.admin_actions.endpoints import jobs_router as admin_jobs_router
from automat.analytics.endpoints import router as analytics_router
from automat.audit.endpoints import router as audit_router
from automat.auth.endpoints import router as auth_router
from automat.billing.endpoints import invoices_router, prices_router
from automat.cad.endpoints import router as cad_router
from automat.events.endpoints import router as events_router
from automat.health.endpoints import router as health_router
from automat.help.endpoints import router as help_router
from automat.materials.endpoints import aliases_router as material_aliases_router
from automat.materials.endpoints import materials_router
from automat.media.endpoints import router as media_router
from automat.notifications.endpoints import (
    activity_router,
    alerts_router,
    mailbox_router,
    notifications_router,
    preferences_router,
)
from automat.orders.endpoints import router as orders_router
from automat.output_types.endpoints import output_types_router, positions_router, templates_router
from automat.products.endpoints import imports_router, products_router
from automat.settings.endpoints import router as settings_router
from automat.tenants.endpoints import config_router as tenant_config_router
from automat.tenants.endpoints import router as tenants_router
from automat.users.endpoints import router as users_router
from automat.workers.endpoints import metrics_router
from automat.workers.endpoints import router as workers_router
from automat.workflows import catalogue
from automat.workflows.endpoints import router as workflows_router
from automat.workflows.endpoints import runs_router as workflow_runs_router

ROUTERS = (
    health_router,
    metrics_router,
    workers_router,
    auth_router,
    tenants_router,
    tenant_config_router,
    users_router,
    settings_router,
    materials_router,
    material_aliases_router,
    cad_router,
    products_router,
    imports_router,
    output_types_router,
    positions_router,
    templates_router,
    orders_router,
    media_router,
    notifications_router,
    activity_router,
    alerts_router,
    preferences_router,
    mailbox_router,
    audit_router,
    events_router,
    help_router,
    workflows_router,
    workflow_runs_router,
    prices_router,
    admin_actions_router,
    admin_jobs_router,
    invoices_router,
    analytics_router,
)


def register(app: FastAPI) -> None:
    catalogue.steps()  # every domain's step declarations, before the first request
    for router in ROUTERS:
        app.include_router(router)
