import { useNavigate } from "@tanstack/react-router";
import { useState } from "react";
import { Alert, Button, Dialog, Field, Input, Select, Textarea } from "@/components/ui";
import { errorMessage } from "@/lib/api";
import { useCreateWorkflow, useSteps } from "../api/workflows";
import type { Subject } from "../api/workflows";
import { SUBJECT_LABELS, SUBJECT_PROVIDES } from "./connections";
import type { StepInfo } from "./connections";

/** The step a new workflow starts with: the first that runs on the subject and takes what it gives. */
export function entryStep(steps: readonly StepInfo[], subject: Subject): StepInfo | undefined {
  return steps.find((step) => step.runs_on.includes(subject) && step.consumes.includes(SUBJECT_PROVIDES[subject]));
}

const SUBJECTS = Object.keys(SUBJECT_LABELS) as Subject[];

/** A new workflow: name and subject; version 1 is its entry step alone, then the editor opens. */
export function NewWorkflowDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
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
        note: "Created",
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
      title="New workflow"
      footer={
        <>
          <Button onClick={close}>Cancel</Button>
          <Button variant="primary" onClick={submit} loading={create.isPending} disabled={!entry || !name.trim()}>
            Create and edit
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
        <Field label="Name">
          <Input value={name} maxLength={200} onChange={(event) => setName(event.target.value)} required />
        </Field>
        <Field label="Runs on" hint={entry ? `It starts with “${entry.label}”; add the next steps in the editor.` : undefined}>
          <Select value={subject} onChange={(event) => setSubject(event.target.value as Subject)}>
            {SUBJECTS.map((s) => (
              <option key={s} value={s}>
                {SUBJECT_LABELS[s]}
              </option>
            ))}
          </Select>
        </Field>
        <Field label="Description (optional)">
          <Textarea value={description} maxLength={2000} rows={2} onChange={(event) => setDescription(event.target.value)} />
        </Field>
      </form>
      {create.error && <Alert>{errorMessage(create.error)}</Alert>}
    </Dialog>
  );
}
