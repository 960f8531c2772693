import { useNavigate } from "@tanstack/react-router";
import { useState } from "react";
import { Alert, Button, Dialog, Field, Input, Select, Textarea } from "@/components/ui";
import { errorMessage } from "@/lib/api";
import { useCreateWorkflow, useSteps } from "../api/workflows";
import type { Subject } from "../api/workflows";
import { SUBJECT_LABELS, SUBJECT_PROVIDES, subjectLabel } from "./connections";
import type { StepInfo } from "./connections";
import { useTranslation } from "react-i18next";

/** The step a new workflow starts with: the first that runs on the subject and takes what it gives. */
export function entryStep(steps: readonly StepInfo[], subject: Subject): StepInfo | undefined {
  return steps.find((step) => step.runs_on.includes(subject) && step.consumes.includes(SUBJECT_PROVIDES[subject]));
}

const SUBJECTS = Object.keys(SUBJECT_LABELS) as Subject[];

/** A new workflow: name and subject; version 1 is its entry step alone, then the editor opens. */
export function NewWorkflowDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation("workflows");
  const navigate = useNavigate();
  const steps = useSteps();
  const create = useCreateWorkflow();
  const [name, setName] = useState("");
  const [description, setDescription] = useState("");
  const [subject, setSubject] = useState<Subject>("order_line");
  const entry = steps.data ? entryStep(steps.data, subject) : undefined;
  const close = () => {
    create.reset();
    onClose();
  };
  const submit = () => {
    if (!entry || !name.trim()) return;
    create.mutate(
      {
        name: name.trim(),
        description: description.trim(),
        subject,
        note: t("new.note"),
        config: { version: 1, nodes: [{ id: entry.name, step: entry.name, params: {} }], edges: [] },
      },
      {
        onSuccess: (created) => {
          close();
          setName("");
          setDescription("");
          void navigate({ to: "/workflows/$workflowId", params: { workflowId: created.id } });
        },
      },
    );
  };
  return (
    <Dialog
      open={open}
      onClose={close}
      title={t("new.title")}
      footer={
        <>
          <Button onClick={close}>{t("common:cancel")}</Button>
          <Button variant="primary" onClick={submit} loading={create.isPending} disabled={!entry || !name.trim()}>
            {t("new.submit")}
          </Button>
        </>
      }
    >
      <form
        className="wf-form"
        onSubmit={(event) => {
          event.preventDefault();
          submit();
        }}
      >
        <Field label={t("new.name")}>
          <Input value={name} maxLength={200} onChange={(event) => setName(event.target.value)} required />
        </Field>
        <Field label={t("new.runsOn")} hint={entry ? t("new.startsWith", { step: entry.label }) : undefined}>
          <Select value={subject} onChange={(event) => setSubject(event.target.value as Subject)}>
            {SUBJECTS.map((s) => (
              <option key={s} value={s}>
                {subjectLabel(s)}
              </option>
            ))}
          </Select>
        </Field>
        <Field label={t("new.description")}>
          <Textarea value={description} maxLength={2000} rows={2} onChange={(event) => setDescription(event.target.value)} />
        </Field>
      </form>
      {create.error && <Alert>{errorMessage(create.error)}</Alert>}
    </Dialog>
  );
}
