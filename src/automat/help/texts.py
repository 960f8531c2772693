"""Help text that no model says already: what a value affects, advice, warnings, and the bodies of
fields without a description. Keys are those of ``registry.derived_keys()``; an entry here for a
key that no longer exists fails ``tests/help/test_completeness.py``.

Entries under ``action.`` and ``wizard.`` stand alone (nothing to derive them from): an action names
the route it runs (which must exist), a wizard entry is used by a ``HelpTooltip`` of the web UI.
"""

from __future__ import annotations

from typing import Any

RENDER_TIME = "render time"
OVERLAY: dict[str, dict[str, Any]] = {
    # --- system settings --------------------------------------------------------------------------
    "setting.max_upload_mb": {"affects": ["STEP and Excel uploads"]},
    "setting.gltf_preview_linear_deflection": {
        "affects": ["3D viewer file size", "3D viewer smoothness", "conversion time"],
        "recommendation": "0.05 to 0.2 mm: smooth in the viewer, a few MB per assembly.",
        "warning": "Below 0.01 mm viewer files grow large and load slowly in the browser.",
    },
    "setting.gltf_production_linear_deflection": {
        "affects": ["production GLB file size", "render quality of curved surfaces", "conversion time"],
    },
    "setting.conversion_timeout_s": {"affects": ["CAD files that fail as too slow"]},
    "setting.conversion_memory_mb": {"affects": ["CAD files that fail as too large"]},
    "setting.cycles_device": {
        "affects": [RENDER_TIME],
        "recommendation": "gpu: the render host falls back to the CPU (and says so) where there is none.",
    },
    "setting.render_default_samples": {
        "affects": [RENDER_TIME, "image noise"],
        "recommendation": "64 to 128 for thumbnails and catalogue stills with denoising; 256+ without.",
        "warning": "Render time grows about linearly with samples.",
    },
    "setting.render_min_coverage_percent": {"affects": ["renders that fail as framed badly"]},
    "setting.render_stall_timeout_minutes": {"affects": ["when a hung render is recovered"]},
    "setting.notification_batch_minutes": {"affects": ["how often order e-mails and notifications go out"]},
    "setting.task_retry_attempts": {
        "affects": ["how often a step is tried again after a lost connection or a crashed render host"],
        "recommendation": "3: a crash is retried twice; a second crash of the same job usually means the job "
        "itself crashes Blender, and the line fails with the reason.",
    },
    "setting.task_retry_backoff_s": {"affects": ["the wait before a failed step runs again"]},
    "setting.task_retry_backoff_cap_s": {"affects": ["the longest wait between two retries"]},
    "setting.worker_blocklist_threshold": {
        "affects": ["when a worker stops taking a step's jobs", "alerts about failing workers"],
        "recommendation": "3, as Flamenco: one bad file fails one job; three in a row on one worker "
        "while others succeed usually means that host is broken (a missing GPU driver, a full disk).",
        "warning": "An input that fails on every worker (e.g. a batch of invalid CAD files) counts too: "
        "check the last error before clearing, and clear once the cause is fixed.",
    },
    "setting.admin_job_stall_timeout_minutes": {
        "affects": ["when a maintenance action whose worker was lost may be started again"],
        "recommendation": "10: a running job's worker gives a sign of life every 15 s, whatever it works on.",
    },
    # --- worker pools (issue 17) -------------------------------------------------------------------
    "worker_config.min_concurrency": {
        "title": "Least processes per worker",
        "body": "The pool each worker of this queue keeps even when the queue is empty. Beat checks "
        "every minute and grows or shrinks the pools between the least and the most, by the "
        "number of tasks waiting and running per worker.",
        "affects": ["how fast the first task after a quiet time starts", "memory kept in use"],
        "recommendation": "1: a render worker's Blender process takes a few hundred MB.",
    },
    "worker_config.max_concurrency": {
        "title": "Most processes per worker",
        "body": "The largest pool a worker of this queue grows to when tasks wait. Each process of "
        "the render queue runs its own Blender.",
        "affects": ["throughput", "memory and GPU use per host"],
        "recommendation": "Render queue: one per GPU of the host. Step processing: the host's cores.",
        "warning": "Two Blender processes on one GPU render slower together than one after the other.",
    },
    # --- tenant settings ----------------------------------------------------------------------------
    "tenant.max_concurrent_renders": {
        "title": "Concurrent renders",
        "body": "How many of this tenant's order lines may render at the same time; the rest wait in "
        "the queue. Other tenants' renders are not held up by this tenant's large orders.",
        "affects": ["order throughput", "how fast other tenants' renders start"],
        "recommendation": "The number of render hosts (GPUs) you want this tenant to use at most.",
    },
    "tenant.render_engines_allowed": {
        "title": "Render engines allowed",
        "body": "The engines output types of this tenant may use: Cycles (path tracing, the quality "
        "reference) and EEVEE (real-time, faster, less accurate light).",
        "affects": [RENDER_TIME, "image quality"],
    },
    "tenant.max_order_size": {
        "title": "Largest order",
        "body": "The most lines (products x output types) one order may have.",
        "affects": ["order wizard", "queue length"],
    },
    "tenant.fallback_material": {
        "title": "Fallback material",
        "body": "The material of parts no alias matches. Magenta by default, on purpose: an unmatched "
        "part is visible in every render instead of passing as plain grey.",
        "affects": ["thumbnails", "order renders", "GLB/.blend exports"],
        "recommendation": "Keep the magenta fallback and give unmatched parts a material "
        "(CAD file page: Assign material).",
    },
    "tenant.notifications_enabled": {
        "title": "Notifications",
        "body": "Whether this tenant's users get notifications (order finished, failed, rejected).",
        "affects": ["notifications", "e-mails"],
    },
    "tenant.invoice_prefix": {
        "title": "Invoice prefix",
        "body": "Put before the invoice numbers of this tenant's orders (capital letters, digits, '-').",
        "affects": ["invoices"],
    },
    "tenant.currency": {"affects": ["prices in the order wizard", "invoices"]},
    "tenant.unmatched_part_material": {"affects": ["thumbnails", "order renders", "GLB/.blend exports"]},
    "tenant.billing_mode": {"affects": ["invoices"]},
    "tenant.tax_rate_percent": {"affects": ["invoices"], "unit": "%", "recommendation": "19 in Germany"},
    "tenant.billing_address": {"affects": ["invoice PDFs"]},
    "tenant.dedicated_render_queue": {
        "title": "Own render queue",
        "affects": ["which workers render this tenant's lines"],
        "warning": "Start a worker for the queue first: until one runs, every render of the tenant waits.",
    },
    "tenant.dedicated_processing_queue": {
        "title": "Own processing queue",
        "affects": ["which workers convert, check and deliver for this tenant"],
        "warning": "Start a worker for the queue first: until one runs, the tenant's uploads and "
        "orders wait.",
    },
    # --- output type render settings -------------------------------------------------------------
    "output_type.render_settings.width": {"affects": [RENDER_TIME, "file size"], "unit": "px"},
    "output_type.render_settings.height": {"affects": [RENDER_TIME, "file size"], "unit": "px"},
    "output_type.render_settings.samples": {
        "affects": [RENDER_TIME, "image noise"],
        "warning": "Render time grows about linearly with samples.",
    },
    "output_type.render_settings.engine": {"affects": [RENDER_TIME, "image quality"]},
    "output_type.render_settings.transparent_bg": {"affects": ["still and thumbnail backgrounds"]},
    "output_type.render_settings.frames": {"affects": [RENDER_TIME, "video length"]},
    "output_type.render_settings.fps": {"affects": ["video length", "smoothness"]},
    "output_type.render_settings.denoise": {
        "affects": ["image noise", RENDER_TIME],
        "recommendation": "On for stills with few samples: a clean image at a fraction of the samples.",
    },
    # --- output types, render templates, camera positions (the catalogue screens) ----------------
    "output_type.template_id": {"title": "Render template"},
    "output_type.workflow_id": {"title": "Workflow"},
    "output_type.is_active": {"title": "Active", "affects": ["order wizard"]},
    "output_type.price": {"affects": ["order totals", "invoices"]},
    "template.is_active": {"title": "Active"},
    "template.has_anchor": {"title": "AUTOMAT_MODEL anchor"},
    "template.missing_libraries": {
        "warning": "Renders with missing libraries lack whatever the libraries hold "
        "(lights, props, materials).",
    },
    "template.size_bytes": {"title": "File size"},
    "position.azimuth_deg": {"title": "Azimuth", "unit": "°"},
    "position.elevation_deg": {"title": "Elevation", "unit": "°"},
}

# Stand-alone entries: admin actions (with the route they run) and order wizard fields.
ACTIONS: dict[str, dict[str, Any]] = {
    "action.reprocess_cad_file": {
        "route": "POST /api/cad-files/{cad_file_id}/reprocess",
        "title": "Reprocess",
        "body": "Converts the STEP file again, measures it, assigns materials with the current aliases "
        "and renders a new thumbnail.",
        "affects": ["the file's parts and materials", "its GLBs", "its thumbnail"],
    },
    "action.clear_worker_block": {
        "route": "POST /api/workers/blocklist/{entry_id}/clear",
        "title": "Clear blocklist entry",
        "body": "A worker that failed a step's jobs several times in a row (the worker_blocklist_threshold "
        "setting) no longer takes that step's jobs: it hands them back to the queue for other workers, "
        "and an alert was raised. Clearing lets it take them again and starts its count afresh.",
        "affects": ["which workers run this step", "jobs of this step waiting for a worker"],
        "recommendation": "Read the last error and fix the host first (driver, disk, missing software); "
        "if the error is the input's (an invalid file), the worker was not at fault: clear it.",
        "warning": "A worker still broken fails the next jobs again and is blocklisted again after "
        "as many failures.",
    },
    "action.assign_material": {
        "route": "POST /api/cad-files/{cad_file_id}/assign-material",
        "title": "Assign material",
        "body": "Saves a material alias for a part that matched none (it renders magenta) and processes "
        "the file again, so the thumbnail is rendered with the material. The alias applies to every "
        "CAD file of the tenant processed from now on.",
        "affects": ["material aliases", "this file's thumbnail", "renders of other files with such parts"],
    },
    "action.assign_material.material": {
        "route": "POST /api/cad-files/{cad_file_id}/assign-material",
        "title": "Material",
        "body": "The material the matching parts get in thumbnails, renders and exports: one of the "
        "built-in library (SCHAEFFLER_<code>_<name>) or this tenant's own.",
        "affects": ["thumbnails", "order renders", "GLB/.blend exports"],
    },
    "action.assign_material.pattern": {
        "route": "POST /api/cad-files/{cad_file_id}/assign-material",
        "title": "Parts it applies to",
        "body": "The exact part name, or a pattern made from it: 'Ball*' matches every name that starts "
        "with Ball, '*_Ring' every name that ends in _Ring (letter case is ignored). Instance numbers "
        "like Ball_13 or Ball.001 count as Ball.",
        "recommendation": "Prefer a pattern when your CAD names follow a scheme: one alias then covers "
        "every file. The preview shows what else it would match before you save.",
        "warning": "A broad pattern may catch parts you did not mean; an exact alias always wins over "
        "a pattern for the part it names.",
    },
    "action.reset_default_aliases": {
        "route": "POST /api/material-aliases/reset-defaults",
        "title": "Reset aliases to defaults",
        "body": "Puts the shipped default aliases back as they were; the tenant's own aliases stay unless "
        "'remove custom' is chosen.",
        "affects": ["material aliases"],
        "warning": "Files already processed keep their materials until they are processed again.",
    },
    # -- the Users and Tenants screens (issue 15) --------------------------------------------------
    "user.search": {
        "route": "GET /api/users",
        "title": "Search users",
        "body": "Finds users whose e-mail or name contains the text, in any letter case.",
    },
    "user.invite": {
        "route": "POST /api/users",
        "title": "Add a user",
        "body": "Creates a login for a person with a role. Automat makes a temporary password and shows "
        "it once: hand it over, and the person sets their own password at the first login.",
        "affects": ["who can log in", "what they may do (the role)"],
        "warning": "The temporary password is shown only once. Lost it? Reset the password.",
    },
    "user.email": {
        "route": "POST /api/users",
        "title": "E-mail",
        "body": "The login name and where Automat writes to the person. Unique in the whole installation.",
    },
    "user.full_name": {
        "route": "POST /api/users",
        "title": "Name",
        "body": "How the person appears in lists, orders and the audit log.",
    },
    "user.tenant": {
        "route": "POST /api/users",
        "title": "Tenant",
        "body": "The tenant the user belongs to and works in (global admins belong to none). It cannot "
        "be changed later.",
    },
    "user.role": {
        "route": "PATCH /api/users/{user_id}",
        "title": "Role",
        "body": "What the user may do. Client: order and see their own orders. Project manager: products, "
        "CAD files, all orders of the tenant. Tenant admin: also users, settings, materials, output "
        "types, workflows and invoices. Global admin: every tenant.",
        "affects": ["menus and actions the user sees", "the data they can reach"],
        "warning": "Changing a role logs the user out everywhere. A tenant keeps at least one active "
        "tenant admin; tenant admins cannot grant the global admin role.",
    },
    "user.deactivate": {
        "route": "PATCH /api/users/{user_id}",
        "title": "Deactivate / reactivate",
        "body": "A deactivated user cannot log in; their open sessions end at their next request. "
        "Their orders and history stay. Reactivate to let them in again.",
        "warning": "The last active tenant admin of a tenant cannot be deactivated; you cannot deactivate "
        "yourself.",
    },
    "user.reset_password": {
        "route": "POST /api/users/{user_id}/password-reset",
        "title": "Reset password",
        "body": "Gives the user a new temporary password (shown once) and logs them out everywhere; they "
        "choose a new password at the next login. Your own password you change with your current one.",
        "affects": ["the user's sessions"],
    },
    "user.temporary_password": {
        "route": "POST /api/users",
        "title": "Temporary password",
        "body": "Works for one login: the person must then choose their own. Copy it now and hand it "
        "over on a safe way; it is not shown again.",
    },
    "user.new_password": {
        "route": "POST /api/auth/password",
        "title": "New password",
        "body": "At least 10 characters and not the temporary password. Your other sessions end.",
    },
    "tenant.create": {
        "route": "POST /api/tenants",
        "title": "Create tenant",
        "body": "A new, separate tenant: its own users, products, CAD files, orders and media that no other "
        "tenant sees. It starts with the default output types, camera positions and material aliases "
        "(the demo tenants' set) and the built-in workflows, and with its first tenant admin.",
        "affects": ["tenant picker", "who can log in"],
    },
    "tenant.name": {
        "route": "PATCH /api/tenants/{tenant_id}",
        "title": "Name",
        "body": "The tenant's display name, in the header, the tenant picker and on invoices. Can be "
        "changed at any time.",
    },
    "tenant.slug": {
        "route": "POST /api/tenants",
        "title": "Short name (slug)",
        "body": "A unique short name of lower-case letters, digits and dashes, e.g. 'acme-gmbh'. It "
        "identifies the tenant in the picker and is needed to confirm deleting it.",
        "warning": "It cannot be changed later.",
    },
    "tenant.first_admin": {
        "route": "POST /api/tenants",
        "title": "First tenant admin",
        "body": "The e-mail (and name) of the person who runs the new tenant: they add its users and set "
        "it up. They get a temporary password, shown once, to change at the first login.",
    },
    "tenant.deactivate": {
        "route": "PATCH /api/tenants/{tenant_id}",
        "title": "Deactivate / reactivate tenant",
        "body": "A deactivated tenant's users are logged out at once (live pages too) and cannot log in; "
        "its data stays. Reactivate to let them in again.",
        "warning": "Running orders of the tenant are not stopped.",
    },
    "action.regenerate_thumbnails": {
        "route": "POST /api/admin/actions/regenerate-thumbnails",
        "title": "Regenerate thumbnails",
        "body": "Renders the thumbnails of the tenant's ready CAD files again from the GLBs they have "
        "(the STEP files are not converted again), with the materials the current aliases give. All "
        "files, or only chosen ones, only those with a part in the magenta fallback material, or only "
        "those uploaded since a day. The expected duration is the median of the last measured thumbnail "
        "renders times the number of files.",
        "affects": ["thumbnails", "part materials"],
        "recommendation": "After saving aliases, regenerate only the files with fallback-material parts.",
    },
    "action.process_unprocessed_cad_files": {
        "route": "POST /api/admin/actions/process-unprocessed-cad-files",
        "title": "Process unprocessed CAD files",
        "body": "Queues the processing (conversion, measuring, materials, thumbnail) of CAD files that "
        "never got processed: still 'uploaded', or queued more than 30 minutes ago without a step "
        "starting (their message was lost with a worker). The expected duration is the sum of the "
        "median durations of those steps times the number of files.",
        "affects": ["CAD files", "the processing queue"],
    },
    "action.requeue_failed_lines": {
        "route": "POST /api/admin/actions/requeue-failed-lines",
        "title": "Requeue failed order lines",
        "body": "Runs the failed step of every failed order line again (its order reopens and settles "
        "again when the line ends). Lines of rejected or cancelled orders are left as they are and "
        "counted as failed. The expected duration is the median of the last renders times the lines.",
        "affects": ["order lines", "orders", "the render queue"],
        "warning": "A line that failed for a reason that is still there (a missing CAD file) fails again.",
    },
    "action.recompute_media_search_columns": {
        "route": "POST /api/admin/actions/recompute-media-search-columns",
        "title": "Recompute media search columns",
        "body": "Writes the media library's copies of product name, PIM id, category, order and status "
        "again for every asset of the tenant, in batches. Needed only if the library's search or "
        "filters disagree with the products and orders.",
        "affects": ["media library search and filters"],
    },
    "action.reset_setting": {
        "route": "DELETE /api/settings/{key}",
        "title": "Use installation value",
        "body": "Removes this tenant's own value of the setting: the tenant's work runs with the "
        "installation value again (or, where a global admin set none, the default).",
        "affects": ["this tenant's work that uses the setting"],
    },
    "action.reset_installation_setting": {
        "route": "DELETE /api/settings/{key}/installation",
        "title": "Reset to default",
        "body": "Removes the installation value of the setting: the registry's default applies again "
        "to every tenant without a value of its own.",
        "affects": ["every tenant without its own value"],
        "warning": "Tenants that override the setting keep their own value.",
    },
    "action.draft_invoice": {
        "route": "POST /api/invoices",
        "title": "Draft invoice",
        "body": "Collects every delivered order line not invoiced yet, at the price of its delivery day: of "
        "a month when the tenant is billed monthly, of one completed order when it is billed per order. "
        "A draft can still be deleted; nothing is numbered yet.",
        "affects": ["invoices"],
    },
    "action.issue_invoice": {
        "route": "POST /api/invoices/{invoice_id}/issue",
        "title": "Issue invoice",
        "body": "Gives the draft its number (<invoice prefix>-<year>-<sequence>, without gaps per tenant) "
        "and freezes it: lines, prices and totals never change afterwards.",
        "affects": ["invoice numbers", "the invoice PDF and CSV"],
        "warning": "An issued invoice cannot be deleted; cancel it by a credit note or void it.",
    },
    "action.pay_invoice": {
        "route": "POST /api/invoices/{invoice_id}/pay",
        "title": "Mark paid",
        "body": "Records that the customer has paid an issued invoice.",
        "affects": ["the invoice's status"],
    },
    "action.void_invoice": {
        "route": "POST /api/invoices/{invoice_id}/void",
        "title": "Void invoice",
        "body": "Marks an issued, unpaid invoice void. It keeps its number; its lines can be invoiced again.",
        "affects": ["the invoice's status", "which lines can be invoiced"],
        "recommendation": "Use a credit note when the customer has received the invoice already.",
    },
    "action.credit_invoice": {
        "route": "POST /api/invoices/{invoice_id}/credit",
        "title": "Create credit note",
        "body": "Cancels an issued or paid invoice with a credit note: issued at once with its own number, "
        "the negative of every line, referencing the invoice.",
        "affects": ["credit notes", "invoice numbers"],
    },
    "action.delete_invoice": {
        "route": "DELETE /api/invoices/{invoice_id}",
        "title": "Delete draft",
        "body": "Deletes a draft invoice; its lines can be drafted again. Issued invoices cannot be deleted.",
        "affects": ["invoices"],
    },
    "action.add_price": {
        "route": "POST /api/price-list",
        "title": "Add price",
        "body": "A price of an output type in the tenant's currency from a day on: deliveries from that day "
        "are charged at it; before an output type's first entry its own price applies.",
        "affects": ["the prices of new invoices"],
        "warning": "A price change never alters issued invoices; only drafts made afterwards use it.",
    },
}

WIZARD: dict[str, dict[str, Any]] = {
    "wizard.products": {
        "title": "Products",
        "body": "The products to render. Search by name or PIM id; each picked product is rendered in "
        "every output type you pick next.",
        "affects": ["order size", "price"],
        "warning": "A product without a CAD file cannot be rendered: its lines are marked and not charged.",
    },
    "wizard.output_types": {
        "title": "Output types",
        "body": "What is made of each product: stills, turntable videos, GLB or .blend exports, each "
        "with its own size, camera position and price. An order has one line per product and output type.",
        "affects": ["order size", "price", "render time"],
    },
    "wizard.review": {
        "title": "Lines",
        "body": "One line per product and output type, with its price. Lines done in an earlier round "
        "are kept as they are; lines of products without a CAD file cannot render and cost nothing.",
        "affects": ["price"],
    },
}
