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
          <Button variant="primary" loading={submit.isPending} onClick={() => void run(() => submit.mutateAsync(order.id), "Order submitted")}>
            Submit
          </Button>
        )}
        {actions.delete /* who may delete a draft may change it */ && (
          <Link to="/orders/$orderId/edit" params={{ orderId: order.id }} className="ui-button ui-button--secondary">
            Edit
          </Link>
        )}
        {actions.resubmit && (
          <Button
            variant="primary"
            loading={resubmit.isPending}
            onClick={() => void run(() => resubmit.mutateAsync(order.id), "Back to draft: change it and submit again")}
          >
            Resubmit
          </Button>
        )}
        {actions.renderAgain && finished > 0 && plan.again < finished && (
          <Button
            loading={again.isPending}
            onClick={() => void run(() => again.mutateAsync({ orderId: order.id }), "Every finished line renders again on submit")}
          >
            Render all finished again
          </Button>
        )}
        {actions.renderAgain && plan.again > 0 && (
          <Button
            variant="ghost"
            loading={again.isPending}
            onClick={() => void run(() => again.mutateAsync({ orderId: order.id, renderAgain: false }), "Finished lines keep their media")}
          >
            Keep all finished
          </Button>
        )}
        {actions.reject && (
          <Button variant="danger" onClick={() => setDialog("reject")}>
            Reject
          </Button>
        )}
        {actions.cancelRenders && <Button onClick={() => setDialog("cancel")}>Cancel renders</Button>}
        {actions.delete && (
          <Button variant="ghost" onClick={() => setDialog("delete")}>
            Delete draft
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
        title={`Cancel the renders of ${order.number}?`}
        confirm="Cancel renders"
        busy={cancel.isPending}
        onClose={() => setDialog(null)}
        onConfirm={async () => {
          if (await run(() => cancel.mutateAsync(order.id), "Renders cancelled")) setDialog(null);
        }}
      >
        Every line that has not finished stops: queued renders never start, running ones are stopped. Finished media stay.
      </ConfirmDialog>
      <ConfirmDialog
        open={dialog === "delete"}
        title={`Delete the draft ${order.number}?`}
        confirm="Delete draft"
        busy={remove.isPending}
        onClose={() => setDialog(null)}
        onConfirm={async () => {
          if (await run(() => remove.mutateAsync(order.id), "Draft deleted")) {
            setDialog(null);
            await navigate({ to: "/orders" });
          }
        }}
      >
        The draft and its lines are removed. This cannot be undone.
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
  return (
    <Dialog
      open={open}
      onClose={onClose}
      title={title}
      footer={
        <>
          <Button onClick={onClose}>Keep</Button>
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
      toast({ title: `${order.number} rejected`, tone: "success" });
      close();
    } catch (cause) {
      setError(errorMessage(cause));
    }
  };

  return (
    <Dialog
      open={open}
      onClose={close}
      title={`Reject ${order.number}`}
      footer={
        <>
          <Button onClick={close}>Keep order</Button>
          <Button variant="danger" loading={reject.isPending} onClick={() => void send()}>
            Reject order
          </Button>
        </>
      }
    >
      <div className="form-stack">
        <p className="muted">Renders that have not finished are cancelled. The creator can change the order and submit it again.</p>
        <Field
          label="Reason"
          hint="The client sees this on the order."
          error={touched && tooShort ? `Say why in at least ${MIN_REASON} characters.` : undefined}
        >
          <Textarea value={reason} onChange={(e) => setReason(e.target.value)} maxLength={2000} rows={4} />
        </Field>
        <label className="checkbox">
          <input type="checkbox" checked={notifyClient} onChange={(e) => setNotifyClient(e.target.checked)} />
          Notify the client
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
  const again = useRenderAgain();
  const [error, setError] = useState<string | null>(null);
  if (line.render_status === "failed" || line.render_status === "cancelled") {
    return (
      <div className="line-note" data-testid="line-plan">
        Runs again on submit
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
        ? "Renders again on submit"
        : `Kept${line.submission ? ` from submission ${line.submission}` : ""}: not rendered again`}
      {canChange && (
        <Button size="sm" variant="ghost" loading={again.isPending} onClick={() => void flip()}>
          {line.render_again ? "Keep" : "Render again"}
        </Button>
      )}
      {error && <Alert>{error}</Alert>}
    </div>
  );
}
