import { useState } from "react";
import type { FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { HelpTooltip } from "@/components/help/HelpTooltip";
import { Alert, Badge, Button, DataTable, Dialog, Field, Input, PageHeader, Spinner, toast } from "@/components/ui";
import type { Column } from "@/components/ui";
import { useFormat } from "@/i18n/format";
import type { Tenant } from "@/lib/session";
import { slugOf, useCreateTenant, useTenants, useUpdateTenant } from "../api/tenants";
import { ConfirmDialog } from "./ConfirmDialog";
import { useErrorText } from "./errors";
import { TemporaryPasswordDialog } from "./TemporaryPasswordDialog";
import "./people.css";

/**
 * The Tenants screen (global admins): every tenant; create one with its first tenant admin (a
 * temporary password, shown once) and the default data set; rename; deactivate or reactivate.
 * A new tenant is in the header's tenant picker at once: switch into it there.
 */
export function TenantsPage() {
  const { t } = useTranslation("people");
  const format = useFormat();
  const errorText = useErrorText();
  const tenants = useTenants();
  const update = useUpdateTenant();
  const [creating, setCreating] = useState(false);
  const [renaming, setRenaming] = useState<Tenant | null>(null);
  const [deactivating, setDeactivating] = useState<Tenant | null>(null);
  const [created, setCreated] = useState<{ message: string; password: string } | null>(null);
  const rows = [...(tenants.data ?? [])].sort((a, b) => a.name.localeCompare(b.name) || a.slug.localeCompare(b.slug));

  const setActive = (tenant: Tenant, active: boolean) =>
    update.mutate(
      { id: tenant.id, is_active: active },
      {
        onSuccess: () => {
          setDeactivating(null);
          toast({
            title: active ? t("tenants.reactivated", { name: tenant.name }) : t("tenants.deactivated", { name: tenant.name }),
            tone: "success",
          });
        },
      },
    );

  const columns: Array<Column<Tenant>> = [
    { key: "name", header: t("tenants.columns.name"), fullText: (tenant) => tenant.name, render: (tenant) => <strong>{tenant.name}</strong> },
    { key: "slug", header: t("tenants.columns.slug"), render: (tenant) => <code>{tenant.slug}</code> },
    {
      key: "status",
      header: t("tenants.columns.status"),
      render: (tenant) => (
        <Badge tone={tenant.is_active ? "success" : "muted"} data-testid="tenant-status">
          {tenant.is_active ? t("tenants.active") : t("tenants.inactive")}
        </Badge>
      ),
    },
    { key: "created", header: t("tenants.columns.created"), render: (tenant) => format.date(tenant.created_at) },
    {
      key: "actions",
      header: (
        <>
          {t("tenants.columns.actions")} <HelpTooltip entry="tenant.deactivate" />
        </>
      ),
      label: t("tenants.columns.actions"),
      align: "right",
      render: (tenant) => (
        <span className="people-actions">
          <Button size="sm" onClick={() => setRenaming(tenant)}>
            {t("tenants.rename")}
          </Button>
          {tenant.is_active ? (
            <Button size="sm" onClick={() => setDeactivating(tenant)}>
              {t("tenants.deactivate")}
            </Button>
          ) : (
            <Button size="sm" loading={update.isPending} onClick={() => setActive(tenant, true)}>
              {t("tenants.reactivate")}
            </Button>
          )}
        </span>
      ),
    },
  ];

  return (
    <div className="people" data-testid="tenants-page">
      <PageHeader
        title={t("tenants.title")}
        description={t("tenants.description")}
        actions={
          <span className="people-actions">
            <Button variant="primary" onClick={() => setCreating(true)}>
              {t("tenants.add")}
            </Button>
            <HelpTooltip entry="tenant.create" />
          </span>
        }
      />
      {tenants.isPending ? (
        <Spinner />
      ) : tenants.isError ? (
        <Alert>{errorText(tenants.error)}</Alert>
      ) : (
        <DataTable
          caption={t("tenants.caption")}
          columns={columns}
          rows={rows}
          rowKey={(tenant) => tenant.id}
          rowAttributes={(tenant) => ({ "data-slug": tenant.slug })}
          empty={t("tenants.empty")}
        />
      )}
      {creating && (
        <CreateTenantDialog
          onClose={() => setCreating(false)}
          onCreated={(message, password) => {
            setCreating(false);
            setCreated({ message, password });
          }}
        />
      )}
      {renaming && <RenameDialog tenant={renaming} onClose={() => setRenaming(null)} />}
      {deactivating && (
        <ConfirmDialog
          title={t("tenants.confirmDeactivate.title", { name: deactivating.name })}
          body={t("tenants.confirmDeactivate.body")}
          confirm={t("tenants.deactivate")}
          busy={update.isPending}
          error={update.error && errorText(update.error)}
          onConfirm={() => setActive(deactivating, false)}
          onClose={() => {
            setDeactivating(null);
            update.reset();
          }}
        />
      )}
      {created && (
        <TemporaryPasswordDialog message={created.message} password={created.password} onClose={() => setCreated(null)}>
          <p>{t("tenants.switchHint")}</p>
        </TemporaryPasswordDialog>
      )}
    </div>
  );
}

function CreateTenantDialog({ onClose, onCreated }: { onClose: () => void; onCreated: (message: string, password: string) => void }) {
  const { t } = useTranslation("people");
  const errorText = useErrorText();
  const create = useCreateTenant();
  const [name, setName] = useState("");
  const [slug, setSlug] = useState("");
  const [slugEdited, setSlugEdited] = useState(false);
  const [email, setEmail] = useState("");
  const [adminName, setAdminName] = useState("");
  const shownSlug = slugEdited ? slug : slugOf(name);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate(
      { name: name.trim(), slug: shownSlug, first_admin: { email: email.trim(), full_name: adminName.trim() } },
      {
        onSuccess: (tenant) =>
          onCreated(
            t("tenants.created", { name: tenant.name, email: tenant.first_admin?.email ?? "" }),
            tenant.temporary_password ?? "",
          ),
      },
    );
  };
  return (
    <Dialog
      open
      onClose={onClose}
      title={
        <>
          {t("tenants.create.title")} <HelpTooltip entry="tenant.create" />
        </>
      }
      footer={
        <>
          <Button onClick={onClose}>{t("common:cancel")}</Button>
          <Button
            variant="primary"
            type="submit"
            form="people-create-tenant"
            loading={create.isPending}
            disabled={!name.trim() || !shownSlug || !email.trim()}
          >
            {t("tenants.create.submit")}
          </Button>
        </>
      }
    >
      <form id="people-create-tenant" className="people-form" onSubmit={submit}>
        <Field label={<>{t("tenants.create.name")} <HelpTooltip entry="tenant.name" /></>}>
          <Input required value={name} onChange={(event) => setName(event.target.value)} autoComplete="off" />
        </Field>
        <Field label={<>{t("tenants.create.slug")} <HelpTooltip entry="tenant.slug" /></>} hint={t("tenants.create.slugHint")}>
          <Input
            required
            value={shownSlug}
            pattern="[a-z0-9]([a-z0-9-]*[a-z0-9])?"
            maxLength={63}
            onChange={(event) => {
              setSlugEdited(true);
              setSlug(event.target.value);
            }}
            autoComplete="off"
          />
        </Field>
        <fieldset className="people-fieldset">
          <legend>
            {t("tenants.create.firstAdmin")} <HelpTooltip entry="tenant.first_admin" />
          </legend>
          <Field label={t("tenants.create.adminEmail")}>
            <Input type="email" required value={email} onChange={(event) => setEmail(event.target.value)} autoComplete="off" />
          </Field>
          <Field label={t("tenants.create.adminName")}>
            <Input value={adminName} onChange={(event) => setAdminName(event.target.value)} autoComplete="off" />
          </Field>
        </fieldset>
        <p className="muted">{t("tenants.create.defaults")}</p>
        {create.isError && <Alert>{errorText(create.error)}</Alert>}
      </form>
    </Dialog>
  );
}

function RenameDialog({ tenant, onClose }: { tenant: Tenant; onClose: () => void }) {
  const { t } = useTranslation("people");
  const errorText = useErrorText();
  const update = useUpdateTenant();
  const [name, setName] = useState(tenant.name);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    update.mutate(
      { id: tenant.id, name: name.trim() },
      {
        onSuccess: (saved) => {
          toast({ title: t("tenants.renamed", { name: saved.name }), tone: "success" });
          onClose();
        },
      },
    );
  };
  return (
    <Dialog
      open
      onClose={onClose}
      title={t("tenants.renameTitle", { name: tenant.name })}
      footer={
        <>
          <Button onClick={onClose}>{t("common:cancel")}</Button>
          <Button variant="primary" type="submit" form="people-rename-tenant" loading={update.isPending} disabled={!name.trim()}>
            {t("common:save")}
          </Button>
        </>
      }
    >
      <form id="people-rename-tenant" className="people-form" onSubmit={submit}>
        <Field label={<>{t("tenants.create.name")} <HelpTooltip entry="tenant.name" /></>}>
          <Input required value={name} onChange={(event) => setName(event.target.value)} autoComplete="off" />
        </Field>
        {update.isError && <Alert>{errorText(update.error)}</Alert>}
      </form>
    </Dialog>
  );
}
