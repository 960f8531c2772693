import { Link, useNavigate } from "@tanstack/react-router";
import { useState } from "react";
import type { ReactNode } from "react";
import { Alert, Button, Dialog, Field, Textarea, toast } from "@/components/ui";
import { errorMessage } from "@/lib/api";
import { useCan, useMe } from "@/lib/session";
import { useCancelRenders } from "../api/cancel-renders";
import { useDeleteOrder } from "../api/delete-order";
import type { OrderDetail, OrderLine } from "../api/get-order";
import { useRejectOrder } from "../api/reject-order";
import { useRenderAgain } from "../api/render-again";
import { useResubmitOrder } from "../api/resubmit-order";
import { useSubmitOrder } from "../api/submit-order";
import { submitPlan, submitPlanText } from "./kanban";
import { useTranslation } from "react-i18next";

export const MIN_REASON = 3;

/** What the user may do with the order now: by role and by the order's `allowed_transitions`. */
export function availableActions(
  order: Pick<OrderDetail, "status" | "allowed_transitions" | "created_by">,
  user: { id?: string; canManage: boolean },
) {
  const allowed = new Set(order.allowed_transitions ?? []);
  const ownerOrManager = user.canManage || (!!user.id && user.id === order.created_by);
  return {
    submit: allowed.has("submit") && ownerOrManager,
    reject: allowed.has("reject") && user.canManage,
    resubmit: allowed.has("resubmit") && ownerOrManager,
    cancelRenders: allowed.has("cancel") && user.canManage,
    delete: order.status === "draft" && ownerOrManager,
    /** Mark a draft's finished lines to render again (or keep them): who may edit the draft. */
    renderAgain: order.status === "draft" && ownerOrManager,
  };
}

export function OrderActions({ order }: { order: OrderDetail }) {
  const { t } = useTranslation("orders");
  const me = useMe().data;
  const canReject = useCan("reject_orders");
  const navigate = useNavigate();
  const actions = availableActions(order, { id: me?.id, canManage: canReject });
  const submit = useSubmitOrder();
  const resubmit = useResubmitOrder();
  const cancel = useCancelRenders();
  const remove = useDeleteOrder();
  const again = useRenderAgain();
  const plan = submitPlan(order.lines);
  const finished = order.lines.filter((line) => line.render_status === "completed").length;
  const [dialog, setDialog] = useState<"reject" | "cancel" | "delete" | null>(null);
  const [error, setError] = useState<string | null>(null);

  const run = async (action: () => Promise<unknown>, done: string) => {
    setError(null);
    try {
      await action();
      toast({ title: done, tone: "success" });
      return true;
    } catch (cause) {
      setError(errorMessage(cause));
      return false;
    }
  };

  return (
    <div className="order-actions">
      <div className="order-actions__buttons">
        {actions.submit && (
          <Button variant="primary" loading={submit.isPending} onClick={() => void run(() => submit.mutateAsync(order.id), t("actions.submitted"))}>
            {t("actions.submit")}
          </Button>
        )}
        {actions.delete /* who may delete a draft may change it */ && (
          <Link to="/orders/$orderId/edit" params={{ orderId: order.id }} className="ui-button ui-button--secondary">
            {t("actions.edit")}
          </Link>
        )}
        {actions.resubmit && (
          <Button
            variant="primary"
            loading={resubmit.isPending}
            onClick={() => void run(() => resubmit.mutateAsync(order.id), t("actions.resubmitted"))}
          >
            {t("actions.resubmit")}
          </Button>
        )}
        {actions.renderAgain && finished > 0 && plan.again < finished && (
          <Button
            loading={again.isPending}
            onClick={() => void run(() => again.mutateAsync({ orderId: order.id }), t("actions.renderAllAgainDone"))}
          >
            {t("actions.renderAllAgain")}
          </Button>
        )}
        {actions.renderAgain && plan.again > 0 && (
          <Button
            variant="ghost"
            loading={again.isPending}
            onClick={() => void run(() => again.mutateAsync({ orderId: order.id, renderAgain: false }), t("actions.keepAllDone"))}
          >
            {t("actions.keepAll")}
          </Button>
        )}
        {actions.reject && (
          <Button variant="danger" onClick={() => setDialog("reject")}>
            {t("actions.reject")}
          </Button>
        )}
        {actions.cancelRenders && <Button onClick={() => setDialog("cancel")}>{t("actions.cancelRenders")}</Button>}
        {actions.delete && (
          <Button variant="ghost" onClick={() => setDialog("delete")}>
            {t("actions.deleteDraft")}
          </Button>
        )}
      </div>
      {order.status === "draft" && order.lines.length > 0 && (
        <p className="muted order-actions__plan" data-testid="submit-plan">
          {submitPlanText(plan)}
        </p>
      )}
      {error && <Alert>{error}</Alert>}

      <RejectDialog open={dialog === "reject"} onClose={() => setDialog(null)} order={order} />
      <ConfirmDialog
        open={dialog === "cancel"}
        title={t("actions.cancelTitle", { number: order.number })}
        confirm={t("actions.cancelRenders")}
        busy={cancel.isPending}
        onClose={() => setDialog(null)}
        onConfirm={async () => {
          if (await run(() => cancel.mutateAsync(order.id), t("actions.cancelled"))) setDialog(null);
        }}
      >
        {t("actions.cancelBody")}
      </ConfirmDialog>
      <ConfirmDialog
        open={dialog === "delete"}
        title={t("actions.deleteTitle", { number: order.number })}
        confirm={t("actions.deleteDraft")}
        busy={remove.isPending}
        onClose={() => setDialog(null)}
        onConfirm={async () => {
          if (await run(() => remove.mutateAsync(order.id), t("actions.deleted"))) {
            setDialog(null);
            await navigate({ to: "/orders" });
          }
        }}
      >
        {t("actions.deleteBody")}
      </ConfirmDialog>
    </div>
  );
}

function ConfirmDialog({
  open,
  title,
  confirm,
  busy,
  onClose,
  onConfirm,
  children,
}: {
  open: boolean;
  title: string;
  confirm: string;
  busy: boolean;
  onClose: () => void;
  onConfirm: () => Promise<void>;
  children: ReactNode;
}) {
  const { t } = useTranslation("orders");
  return (
    <Dialog
      open={open}
      onClose={onClose}
      title={title}
      footer={
        <>
          <Button onClick={onClose}>{t("actions.keep")}</Button>
          <Button variant="danger" loading={busy} onClick={() => void onConfirm()}>
            {confirm}
          </Button>
        </>
      }
    >
      {children}
    </Dialog>
  );
}

function RejectDialog({ open, onClose, order }: { open: boolean; onClose: () => void; order: OrderDetail }) {
  const { t } = useTranslation("orders");
  const reject = useRejectOrder();
  const [reason, setReason] = useState("");
  const [notifyClient, setNotifyClient] = useState(true);
  const [touched, setTouched] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const tooShort = reason.trim().length < MIN_REASON;

  const close = () => {
    setReason("");
    setNotifyClient(true);
    setTouched(false);
    setError(null);
    onClose();
  };

  const send = async () => {
    setTouched(true);
    if (tooShort) return;
    setError(null);
    try {
      await reject.mutateAsync({ orderId: order.id, reason: reason.trim(), notifyClient });
      toast({ title: t("reject.done", { number: order.number }), tone: "success" });
      close();
    } catch (cause) {
      setError(errorMessage(cause));
    }
  };

  return (
    <Dialog
      open={open}
      onClose={close}
      title={t("reject.title", { number: order.number })}
      footer={
        <>
          <Button onClick={close}>{t("reject.keepOrder")}</Button>
          <Button variant="danger" loading={reject.isPending} onClick={() => void send()}>
            {t("reject.submit")}
          </Button>
        </>
      }
    >
      <div className="form-stack">
        <p className="muted">{t("reject.intro")}</p>
        <Field
          label={t("reject.reason")}
          hint={t("reject.reasonHint")}
          error={touched && tooShort ? t("reject.tooShort", { count: MIN_REASON }) : undefined}
        >
          <Textarea value={reason} onChange={(e) => setReason(e.target.value)} maxLength={2000} rows={4} />
        </Field>
        <label className="checkbox">
          <input type="checkbox" checked={notifyClient} onChange={(e) => setNotifyClient(e.target.checked)} />
          {t("reject.notify")}
        </label>
        {error && <Alert>{error}</Alert>}
      </div>
    </Dialog>
  );
}

/**
 * In a draft's line row: a finished line keeps its media at the next submit unless the user asks
 * to render it again; failed and cancelled lines say they run again.
 */
export function LineRenderAgain({ orderId, line, canChange }: { orderId: string; line: OrderLine; canChange: boolean }) {
  const { t } = useTranslation("orders");
  const again = useRenderAgain();
  const [error, setError] = useState<string | null>(null);
  if (line.render_status === "failed" || line.render_status === "cancelled") {
    return (
      <div className="line-note" data-testid="line-plan">
        {t("again.runsAgain")}
      </div>
    );
  }
  if (line.render_status !== "completed") return null;
  const flip = async () => {
    setError(null);
    try {
      await again.mutateAsync({ orderId, lineIds: [line.id], renderAgain: !line.render_again });
    } catch (cause) {
      setError(errorMessage(cause));
    }
  };
  return (
    <div className="line-note line-again" data-testid="line-plan" data-render-again={line.render_again}>
      {line.render_again
        ? t("again.rendersAgain")
        : line.submission
          ? t("again.keptFrom", { submission: line.submission })
          : t("again.kept")}
      {canChange && (
        <Button size="sm" variant="ghost" loading={again.isPending} onClick={() => void flip()}>
          {line.render_again ? t("again.keep") : t("again.renderAgain")}
        </Button>
      )}
      {error && <Alert>{error}</Alert>}
    </div>
  );
}
