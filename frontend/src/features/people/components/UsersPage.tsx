import { useDeferredValue, useState } from "react";
import type { FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { HelpTooltip } from "@/components/help/HelpTooltip";
import { Alert, Badge, Button, DataTable, Dialog, Field, Input, LoadMore, PageHeader, Select, Spinner, toast } from "@/components/ui";
import type { Column } from "@/components/ui";
import { useFormat } from "@/i18n/format";
import { allItems, totalOf } from "@/lib/paging";
import { useMe, useTenantView } from "@/lib/session";
import { ROLES, useCreateUser, useResetPassword, useUpdateUser, useUsers } from "../api/users";
import type { Role, User } from "../api/users";
import { ConfirmDialog } from "./ConfirmDialog";
import { useErrorText } from "./errors";
import { TemporaryPasswordDialog } from "./TemporaryPasswordDialog";
import "./people.css";

type Pending = { kind: "deactivate" | "reset"; user: User } | null;

/**
 * The Users screen: tenant admins manage their tenant's users; a global admin every tenant's
 * (All tenants: with a tenant column; a picked tenant: only its users). Search, role, active
 * state, last login; add a user, change a role, deactivate or reactivate, reset a password.
 */
export function UsersPage() {
  const { t } = useTranslation("people");
  const format = useFormat();
  const errorText = useErrorText();
  const me = useMe().data;
  const view = useTenantView();
  const [search, setSearch] = useState("");
  const deferred = useDeferredValue(search.trim());
  const users = useUsers(deferred);
  const update = useUpdateUser();
  const reset = useResetPassword();
  const [adding, setAdding] = useState(false);
  const [pending, setPending] = useState<Pending>(null);
  const [temporary, setTemporary] = useState<{ message: string; password: string } | null>(null);
  const isGlobal = me?.role === "global_admin";
  const grantable = ROLES.filter((role) => isGlobal || role !== "global_admin");
  const rows = allItems(users.data);
  const { total, estimate } = totalOf(users.data);
  const roleName = (role: Role) => t(`roles.${role}`);

  const changeRole = (user: User, role: Role) =>
    update.mutate(
      { id: user.id, role },
      {
        onSuccess: () => toast({ title: t("users.roleChanged", { email: user.email, role: roleName(role) }), tone: "success" }),
        onError: (error) => toast({ title: errorText(error), tone: "danger" }),
      },
    );
  const reactivate = (user: User) =>
    update.mutate(
      { id: user.id, is_active: true },
      {
        onSuccess: () => toast({ title: t("users.reactivated", { email: user.email }), tone: "success" }),
        onError: (error) => toast({ title: errorText(error), tone: "danger" }),
      },
    );
  const confirmPending = () => {
    if (!pending) return;
    const { user } = pending;
    if (pending.kind === "deactivate") {
      update.mutate(
        { id: user.id, is_active: false },
        {
          onSuccess: () => {
            setPending(null);
            toast({ title: t("users.deactivated", { email: user.email }), tone: "success" });
          },
        },
      );
    } else {
      reset.mutate(user.id, {
        onSuccess: (answer) => {
          setPending(null);
          setTemporary({ message: t("users.resetDone", { email: user.email }), password: answer.temporary_password });
        },
      });
    }
  };

  const columns: Array<Column<User>> = [
    {
      key: "user",
      header: t("users.columns.user"),
      fullText: (user) => `${user.full_name} ${user.email}`,
      render: (user) => (
        <span className="people-user">
          <strong>{user.full_name || user.email}</strong>
          {user.full_name && <span className="muted">{user.email}</span>}
          {user.id === me?.id && <Badge tone="info">{t("users.you")}</Badge>}
        </span>
      ),
    },
  ];
  if (view.overview) {
    columns.push({
      key: "tenant",
      header: t("users.columns.tenant"),
      render: (user) => (user.tenant_id ? view.tenantName(user.tenant_id) : t("users.noTenant")),
    });
  }
  columns.push(
    {
      key: "role",
      header: (
        <>
          {t("users.columns.role")} <HelpTooltip entry="user.role" />
        </>
      ),
      label: t("users.columns.role"),
      render: (user) =>
        user.id === me?.id || (user.role === "global_admin" && !isGlobal) ? (
          roleName(user.role)
        ) : (
          <Select
            aria-label={t("users.roleOf", { email: user.email })}
            value={user.role}
            disabled={update.isPending}
            onChange={(event) => changeRole(user, event.target.value as Role)}
          >
            {ROLES.filter((role) => (user.role === "global_admin" ? role === "global_admin" : role !== "global_admin")).map(
              (role) => (
                <option key={role} value={role}>
                  {roleName(role)}
                </option>
              ),
            )}
          </Select>
        ),
    },
    {
      key: "status",
      header: t("users.columns.status"),
      render: (user) => (
        <span className="people-badges">
          <Badge tone={user.is_active ? "success" : "muted"} data-testid="user-status">
            {user.is_active ? t("users.active") : t("users.inactive")}
          </Badge>
          {user.must_change_password && <Badge tone="info">{t("users.mustChange")}</Badge>}
        </span>
      ),
    },
    {
      key: "last-login",
      header: t("users.columns.lastLogin"),
      render: (user) => (user.last_login_at ? format.dateTime(user.last_login_at) : t("users.never")),
    },
    {
      key: "actions",
      header: t("users.columns.actions"),
      align: "right",
      render: (user) =>
        user.id === me?.id ? null : (
          <span className="people-actions">
            {user.is_active ? (
              <Button size="sm" onClick={() => setPending({ kind: "deactivate", user })}>
                {t("users.deactivate")}
              </Button>
            ) : (
              <Button size="sm" loading={update.isPending} onClick={() => reactivate(user)}>
                {t("users.reactivate")}
              </Button>
            )}
            <Button size="sm" onClick={() => setPending({ kind: "reset", user })}>
              {t("users.resetPassword")}
            </Button>
          </span>
        ),
    },
  );

  return (
    <div className="people" data-testid="users-page">
      <PageHeader
        title={t("users.title")}
        description={view.overview ? t("users.descriptionAll") : t("users.description")}
        actions={
          <span className="people-actions">
            <Button variant="primary" onClick={() => setAdding(true)}>
              {t("users.add")}
            </Button>
            <HelpTooltip entry="user.invite" />
          </span>
        }
      />
      <div className="people-toolbar">
        <Input
          type="search"
          aria-label={t("users.search")}
          placeholder={t("users.search")}
          value={search}
          onChange={(event) => setSearch(event.target.value)}
        />
        <HelpTooltip entry="user.search" />
        <span className="people-toolbar__note">
          <HelpTooltip entry="user.deactivate" /> <HelpTooltip entry="user.reset_password" />
        </span>
      </div>
      {users.isPending ? (
        <Spinner />
      ) : users.isError ? (
        <Alert>{errorText(users.error)}</Alert>
      ) : (
        <>
          <DataTable
            caption={t("users.caption")}
            columns={columns}
            rows={rows}
            rowKey={(user) => user.id}
            rowAttributes={(user) => ({ "data-email": user.email })}
            empty={t("users.empty")}
          />
          <LoadMore
            shown={rows.length}
            total={total}
            estimate={estimate}
            hasNext={users.hasNextPage}
            loading={users.isFetchingNextPage}
            onMore={() => void users.fetchNextPage()}
            label={t("users.loadMore")}
          />
        </>
      )}
      {adding && (
        <AddUserDialog
          roles={grantable}
          onClose={() => setAdding(false)}
          onCreated={(email, password) => {
            setAdding(false);
            setTemporary({ message: t("users.created", { email }), password });
          }}
        />
      )}
      {pending && (
        <ConfirmDialog
          title={
            pending.kind === "deactivate"
              ? t("users.confirmDeactivate.title", { email: pending.user.email })
              : t("users.confirmReset.title", { email: pending.user.email })
          }
          body={pending.kind === "deactivate" ? t("users.confirmDeactivate.body") : t("users.confirmReset.body")}
          confirm={pending.kind === "deactivate" ? t("users.deactivate") : t("users.resetPassword")}
          busy={update.isPending || reset.isPending}
          error={
            pending.kind === "deactivate"
              ? update.error && errorText(update.error)
              : reset.error && errorText(reset.error)
          }
          onConfirm={confirmPending}
          onClose={() => {
            setPending(null);
            update.reset();
            reset.reset();
          }}
        />
      )}
      {temporary && (
        <TemporaryPasswordDialog message={temporary.message} password={temporary.password} onClose={() => setTemporary(null)} />
      )}
    </div>
  );
}

function AddUserDialog({
  roles,
  onClose,
  onCreated,
}: {
  roles: Role[];
  onClose: () => void;
  onCreated: (email: string, password: string) => void;
}) {
  const { t } = useTranslation("people");
  const errorText = useErrorText();
  const view = useTenantView();
  const create = useCreateUser();
  const [email, setEmail] = useState("");
  const [fullName, setFullName] = useState("");
  const [role, setRole] = useState<Role>("client");
  const [tenantId, setTenantId] = useState("");
  // A global admin looking at All tenants names the tenant; otherwise it is the one worked in.
  const needsTenant = view.overview && role !== "global_admin";
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate(
      {
        email: email.trim(),
        full_name: fullName.trim(),
        role,
        tenant_id: needsTenant ? tenantId : undefined,
      },
      { onSuccess: (user) => onCreated(user.email, user.temporary_password) },
    );
  };
  return (
    <Dialog
      open
      onClose={onClose}
      title={t("users.create.title")}
      footer={
        <>
          <Button onClick={onClose}>{t("common:cancel")}</Button>
          <Button
            variant="primary"
            type="submit"
            form="people-add-user"
            loading={create.isPending}
            disabled={!email.trim() || (needsTenant && !tenantId)}
          >
            {t("users.create.submit")}
          </Button>
        </>
      }
    >
      <form id="people-add-user" className="people-form" onSubmit={submit}>
        <Field label={<>{t("users.create.email")} <HelpTooltip entry="user.email" /></>}>
          <Input type="email" required value={email} onChange={(event) => setEmail(event.target.value)} autoComplete="off" />
        </Field>
        <Field label={<>{t("users.create.fullName")} <HelpTooltip entry="user.full_name" /></>}>
          <Input value={fullName} onChange={(event) => setFullName(event.target.value)} autoComplete="off" />
        </Field>
        <Field label={<>{t("users.create.role")} <HelpTooltip entry="user.role" /></>}>
          <Select value={role} onChange={(event) => setRole(event.target.value as Role)}>
            {roles.map((option) => (
              <option key={option} value={option}>
                {t(`roles.${option}`)}
              </option>
            ))}
          </Select>
        </Field>
        {needsTenant && (
          <Field label={<>{t("users.create.tenant")} <HelpTooltip entry="user.tenant" /></>}>
            <Select value={tenantId} onChange={(event) => setTenantId(event.target.value)} required>
              <option value="">{t("users.create.pickTenant")}</option>
              {view.tenants.map((tenant) => (
                <option key={tenant.id} value={tenant.id}>
                  {tenant.name} ({tenant.slug})
                </option>
              ))}
            </Select>
          </Field>
        )}
        {create.isError && <Alert>{errorText(create.error)}</Alert>}
      </form>
    </Dialog>
  );
}
