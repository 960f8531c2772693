/**
 * The editor of one workflow: palette, canvas, the selected node's form; undo/redo (buttons and
 * Ctrl+Z / Ctrl+Shift+Z), the server's check as you edit, and "Save" as a new version.
 * Read-only (no palette, no save) for built-ins and for roles that may not write.
 */
import { useQueryClient } from "@tanstack/react-query";
import { useBlocker } from "@tanstack/react-router";
import { useCallback, useEffect, useMemo, useReducer, useRef, useState } from "react";
import { Alert, Button, Dialog, Input, toast } from "@/components/ui";
import { errorMessage } from "@/lib/api";
import { useSaveVersion, useValidation, validationKey } from "../api/workflows";
import type { WorkflowDetail } from "../api/workflows";
import type { StepInfo } from "./connections";
import { connectionProblem, likelyParent } from "./connections";
import { editorReducer, initialEditor } from "./editor-state";
import { configKey, configToGraph, freePosition, graphToConfig, nextNodeId, readConfig } from "./graph";
import type { GraphEdge, XY } from "./graph";
import { NodePanel } from "./NodePanel";
import { Palette } from "./Palette";
import { NO_PROBLEMS, placeProblems, problemCount, problemsOf } from "./problems";
import type { RunOverlay } from "./run-status";
import { canRedo, canUndo } from "./undo";
import { WorkflowCanvas } from "./WorkflowCanvas";
import type { CanvasEditing } from "./WorkflowCanvas";
import { useTranslation } from "react-i18next";

export interface WorkflowEditorProps {
  workflow: WorkflowDetail;
  steps: StepInfo[];
  editable: boolean;
  runStatus?: RunOverlay;
  /** Shown (Ctrl+Z and Ctrl+Shift+Z act only then). */
  active?: boolean;
}

const CHECK_DELAY_MS = 400;

function useDebounced<T>(value: T, ms: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = window.setTimeout(() => setDebounced(value), ms);
    return () => window.clearTimeout(timer);
  }, [value, ms]);
  return debounced;
}

const isTyping = (target: EventTarget | null) =>
  target instanceof HTMLElement && (["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName) || target.isContentEditable);

export function WorkflowEditor({ workflow, steps, editable, runStatus, active = true }: WorkflowEditorProps) {
  const { t } = useTranslation("workflows");
  const queryClient = useQueryClient();
  const stepMap = useMemo(() => new Map(steps.map((step) => [step.name, step])), [steps]);
  const palette = useMemo(() => steps.filter((step) => step.runs_on.includes(workflow.subject)), [steps, workflow.subject]);
  const [state, dispatch] = useReducer(editorReducer, workflow.config, (config) => initialEditor(configToGraph(config)));
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [note, setNote] = useState("");
  const [fitKey, setFitKey] = useState(0);
  const [savedKey, setSavedKey] = useState(() => configKey(readConfig(workflow.config)));
  const save = useSaveVersion(workflow.id);

  const graph = state.history.present;
  const config = useMemo(() => graphToConfig(graph), [graph]);
  const key = useMemo(() => configKey(config), [config]);
  const dirty = key !== savedKey;
  const dirtyRef = useRef(dirty);
  dirtyRef.current = dirty;
  const blocker = useBlocker({
    shouldBlockFn: ({ current, next }) => dirtyRef.current && current.pathname !== next.pathname,
    enableBeforeUnload: () => dirtyRef.current,
    withResolver: true,
  });

  // The server checks what is on the canvas a moment after each edit (the same rules as a save).
  const checking = useDebounced({ config, key }, CHECK_DELAY_MS);
  const validation = useValidation(workflow.subject, checking.config, checking.key, editable && dirty);
  const problems = useMemo(
    () => (editable && dirty && validation.data ? placeProblems(validation.data.problems, checking.config) : NO_PROBLEMS),
    [editable, dirty, validation.data, checking.config],
  );
  const count = problemCount(problems);

  const undo = useCallback(() => dispatch({ type: "undo" }), []);
  const redo = useCallback(() => dispatch({ type: "redo" }), []);
  useEffect(() => {
    if (!editable || !active) return;
    const onKey = (event: KeyboardEvent) => {
      if (!(event.ctrlKey || event.metaKey) || isTyping(event.target)) return;
      const key = event.key.toLowerCase();
      if (key === "z") {
        event.preventDefault();
        if (event.shiftKey) redo();
        else undo();
      } else if (key === "y") {
        event.preventDefault();
        redo();
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [editable, active, undo, redo]);

  const problemOf = useCallback(
    (source: string, target: string) =>
      connectionProblem(
        { stepOf: (id) => graph.nodes.find((n) => n.id === id)?.step, steps: stepMap, edges: graph.edges },
        source,
        target,
      ),
    [graph, stepMap],
  );

  const addStep = useCallback(
    (step: StepInfo, position: XY) => {
      const id = nextNodeId(step.name, graph.nodes.map((n) => n.id));
      dispatch({ type: "add", node: { id, step: step.name, step_version: step.version, params: {}, position } });
      setSelectedId(id);
    },
    [graph.nodes],
  );

  const editing = useMemo<CanvasEditing | undefined>(
    () =>
      editable
        ? {
            onMove: (positions, done) => dispatch({ type: "move", positions, done }),
            onConnect: (edge: GraphEdge) => {
              if (problemOf(edge.source, edge.target) === null) dispatch({ type: "connect", edge });
            },
            onDelete: (nodes, edges) => {
              dispatch({ type: "remove", nodes, edges });
              if (selectedId && nodes.includes(selectedId)) setSelectedId(null);
            },
            onDropStep: (name, position) => {
              const step = stepMap.get(name);
              if (step) addStep(step, position);
            },
            connectionProblem: problemOf,
          }
        : undefined,
    [editable, problemOf, selectedId, stepMap, addStep],
  );

  const onSave = () => {
    const sent = config;
    const sentKey = key;
    save.mutate(
      { config: sent, note: note.trim() },
      {
        onSuccess: (version) => {
          setSavedKey(sentKey);
          setNote("");
          toast({ tone: "success", title: t("editor.savedToast", { version: version.version }) });
        },
        onError: (error) => {
          const found = problemsOf(error);
          // The refused config's problems show on the canvas like the live check's.
          if (found) queryClient.setQueryData(validationKey(workflow.subject, sentKey), { valid: false, problems: found });
        },
      },
    );
  };

  const selected = graph.nodes.find((n) => n.id === selectedId) ?? null;
  const saveError = save.error && !problemsOf(save.error) ? errorMessage(save.error) : null;

  return (
    <div className="wf-editor">
      {editable && (
        <div className="wf-toolbar" role="toolbar" aria-label={t("editor.toolbar")}>
          <Button size="sm" onClick={undo} disabled={!canUndo(state.history)} title={t("editor.undoTitle")}>
            {t("editor.undo")}
          </Button>
          <Button size="sm" onClick={redo} disabled={!canRedo(state.history)} title={t("editor.redoTitle")}>
            {t("editor.redo")}
          </Button>
          <span className="wf-toolbar__status" aria-live="polite" data-testid="editor-status">
            {!dirty
              ? t("editor.saved", { version: workflow.latest_version })
              : count > 0
                ? t("editor.problems", { count })
                : validation.isFetching
                  ? t("editor.checking")
                  : t("editor.unsaved")}
          </span>
          <Input
            className="wf-toolbar__note"
            placeholder={t("editor.notePlaceholder")}
            aria-label={t("editor.noteLabel")}
            maxLength={500}
            value={note}
            onChange={(event) => setNote(event.target.value)}
          />
          <Button variant="primary" size="sm" onClick={onSave} disabled={!dirty} loading={save.isPending}>
            {t("editor.save", { version: workflow.latest_version + 1 })}
          </Button>
        </div>
      )}
      <Dialog
        open={blocker.status === "blocked"}
        onClose={() => blocker.reset?.()}
        title={t("editor.leaveTitle")}
        footer={
          <>
            <Button onClick={() => blocker.reset?.()}>{t("editor.keepEditing")}</Button>
            <Button variant="danger" onClick={() => blocker.proceed?.()}>
              {t("editor.discard")}
            </Button>
          </>
        }
      >
        <p>{t("editor.leaveBody", { name: workflow.name })}</p>
      </Dialog>
      {saveError && <Alert>{t("editor.saveError", { error: saveError })}</Alert>}
      {problems.general.length > 0 && (
        <Alert tone="warning">
          <ul className="wf-general-problems">
            {problems.general.map((problem, i) => (
              <li key={i}>{problem.message}</li>
            ))}
          </ul>
        </Alert>
      )}
      <div className={editable ? "wf-layout" : "wf-layout wf-layout--readonly"}>
        {editable && (
          <Palette
            steps={palette}
            onAdd={(step) => {
              addStep(step, freePosition(graph, selectedId ?? likelyParent(graph.nodes, step, stepMap)));
              setFitKey((n) => n + 1);
            }}
          />
        )}
        <WorkflowCanvas
          graph={graph}
          steps={stepMap}
          editing={editing}
          selectedId={selectedId}
          onSelect={setSelectedId}
          problems={problems}
          runStatus={runStatus}
          fitKey={fitKey}
          label={t("editor.canvasLabel", { name: workflow.name })}
        />
        {selected ? (
          <NodePanel
            node={selected}
            step={stepMap.get(selected.step)}
            problems={problems.nodes.get(selected.id) ?? []}
            onParam={editable ? (param, value) => dispatch({ type: "param", node: selected.id, key: param, value }) : undefined}
            onRemove={
              editable
                ? () => {
                    dispatch({ type: "remove", nodes: [selected.id], edges: [] });
                    setSelectedId(null);
                  }
                : undefined
            }
          />
        ) : (
          <aside className="wf-panel wf-panel--empty">
            <p>{editable ? t("editor.selectToChange") : t("editor.selectToSee")}</p>
            {editable && (
              <p className="wf-muted">
                {t("editor.howTo")}
              </p>
            )}
          </aside>
        )}
      </div>
    </div>
  );
}
