/**
 * The workflow canvas (xyflow): nodes as step cards, edges between them. Read-only unless
 * `editing` is given. Overlays are props: server problems on the nodes and edges they name, a
 * version diff's marks, and a run's status per node (`runStatus`, for the run view).
 */
import {
  Background,
  Controls,
  MarkerType,
  Panel,
  ReactFlow,
  ReactFlowProvider,
  useConnection,
  useReactFlow,
} from "@xyflow/react";
import type { Connection, EdgeChange, NodeChange, NodeTypes, EdgeTypes } from "@xyflow/react";
import "@xyflow/react/dist/style.css";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import type { DragEvent } from "react";
import type { StepInfo } from "./connections";
import type { DiffMarks } from "./diff-view";
import type { Graph, GraphEdge, XY } from "./graph";
import { edgeId } from "./graph";
import type { PlacedProblems } from "./problems";
import { NO_PROBLEMS } from "./problems";
import type { RunOverlay } from "./run-status";
import { FlowEdgeView, StepNode } from "./StepNode";
import type { FlowEdge, StepFlowNode } from "./StepNode";
import { useTranslation } from "react-i18next";

/** The drag data of a palette entry: the step's name. */
export const STEP_MIME = "application/x-automat-step";

export interface CanvasEditing {
  /** Nodes dragged to new positions (`done`: the drag ended). */
  onMove: (positions: Record<string, XY>, done: boolean) => void;
  onConnect: (edge: GraphEdge) => void;
  onDelete: (nodeIds: string[], edges: GraphEdge[]) => void;
  /** A palette step dropped on the canvas at a flow position. */
  onDropStep: (step: string, position: XY) => void;
  /** Why `source → target` cannot be drawn (null: it can): refused while dragging. */
  connectionProblem: (source: string, target: string) => string | null;
}

export interface WorkflowCanvasProps {
  graph: Graph;
  steps: ReadonlyMap<string, StepInfo>;
  editing?: CanvasEditing;
  selectedId?: string | null;
  onSelect?: (nodeId: string | null) => void;
  problems?: PlacedProblems;
  marks?: DiffMarks;
  /** A run's status per node id (queued, running, done, failed, skipped; duration). */
  runStatus?: RunOverlay;
  /** Fit the view again when this changes (after a node was added from the palette). */
  fitKey?: number;
  label?: string;
}

const NODE_TYPES: NodeTypes = { step: StepNode };
const EDGE_TYPES: EdgeTypes = { flow: FlowEdgeView };
const FIT = { padding: 0.2, maxZoom: 1 };
/** Half a node card: a dropped step is centred on the pointer. */
const DROP_OFFSET = { x: 110, y: 30 };

/** While a connection is dragged over a node: why it would be refused, or that it fits. */
function ConnectionHint({ problem }: { problem: (source: string, target: string) => string | null }) {
  const { t } = useTranslation("workflows");
  const connection = useConnection();
  if (!connection.inProgress || !connection.toNode || connection.toNode.id === connection.fromNode.id) return null;
  const [source, target] =
    connection.fromHandle.type === "source"
      ? [connection.fromNode.id, connection.toNode.id]
      : [connection.toNode.id, connection.fromNode.id];
  const reason = problem(source, target);
  return (
    <Panel position="top-center" className={reason ? "wf-hint wf-hint--refused" : "wf-hint wf-hint--ok"} data-testid="connection-hint">
      {reason ? t("canvas.cannotConnect", { reason }) : t("canvas.release", { source, target })}
    </Panel>
  );
}

function Canvas({ graph, steps, editing, selectedId = null, onSelect, problems = NO_PROBLEMS, marks, runStatus, fitKey, label }: WorkflowCanvasProps) {
  const { t } = useTranslation("workflows");
  const flow = useReactFlow();
  // xyflow measures each node; controlled nodes must carry what it measured.
  const [sizes, setSizes] = useState<Record<string, { width: number; height: number }>>({});
  const [selectedEdges, setSelectedEdges] = useState<ReadonlySet<string>>(new Set());

  const nodes = useMemo<StepFlowNode[]>(
    () =>
      graph.nodes.map((node) => ({
        id: node.id,
        type: "step",
        position: node.position,
        measured: sizes[node.id],
        selected: node.id === selectedId,
        draggable: Boolean(editing),
        data: {
          node,
          step: steps.get(node.step),
          problems: problems.nodes.get(node.id) ?? [],
          mark: marks?.nodes.get(node.id),
          changes: marks?.changes.get(node.id),
          run: runStatus?.[node.id],
        },
      })),
    [graph.nodes, sizes, selectedId, editing, steps, problems, marks, runStatus],
  );

  const edges = useMemo<FlowEdge[]>(
    () =>
      graph.edges.map((edge) => {
        const id = edgeId(edge);
        return {
          id,
          source: edge.source,
          target: edge.target,
          type: "flow",
          selected: selectedEdges.has(id),
          markerEnd: { type: MarkerType.ArrowClosed, width: 18, height: 18 },
          data: { problems: problems.edges.get(id) ?? [], mark: marks?.edges.get(id) },
        };
      }),
    [graph.edges, selectedEdges, problems, marks],
  );

  const onNodesChange = useCallback(
    (changes: NodeChange<StepFlowNode>[]) => {
      const measured: Record<string, { width: number; height: number }> = {};
      const moved: Record<string, XY> = {};
      let dragging = false;
      let picked: string | null | undefined; // a node selected now; null: the selected one let go
      for (const change of changes) {
        if (change.type === "dimensions" && change.dimensions) measured[change.id] = change.dimensions;
        else if (change.type === "position" && change.position) {
          moved[change.id] = change.position;
          dragging ||= Boolean(change.dragging);
        } else if (change.type === "select") {
          if (change.selected) picked = change.id;
          else if (change.id === selectedId && picked === undefined) picked = null;
        }
      }
      if (picked !== undefined) onSelect?.(picked);
      if (Object.keys(measured).length) setSizes((old) => ({ ...old, ...measured }));
      if (Object.keys(moved).length) editing?.onMove(moved, !dragging);
    },
    [editing, onSelect, selectedId],
  );

  const onEdgesChange = useCallback((changes: EdgeChange<FlowEdge>[]) => {
    setSelectedEdges((old) => {
      const next = new Set(old);
      for (const change of changes) {
        if (change.type === "select") {
          if (change.selected) next.add(change.id);
          else next.delete(change.id);
        }
      }
      return next;
    });
  }, []);

  const isValidConnection = useCallback(
    (connection: Connection | FlowEdge) =>
      Boolean(editing) && editing?.connectionProblem(connection.source, connection.target) === null,
    [editing],
  );

  // A drag that ended on no handle still reports a position change with dragging false.
  const onNodeDragStop = useCallback(() => editing?.onMove({}, true), [editing]);

  const onDrop = useCallback(
    (event: DragEvent) => {
      const step = event.dataTransfer.getData(STEP_MIME);
      if (!step || !editing) return;
      event.preventDefault();
      const point = flow.screenToFlowPosition({ x: event.clientX, y: event.clientY });
      editing.onDropStep(step, { x: Math.round(point.x - DROP_OFFSET.x), y: Math.round(point.y - DROP_OFFSET.y) });
    },
    [editing, flow],
  );

  const onDragOver = useCallback(
    (event: DragEvent) => {
      if (!editing || !event.dataTransfer.types.includes(STEP_MIME)) return;
      event.preventDefault();
      event.dataTransfer.dropEffect = "copy";
    },
    [editing],
  );

  const firstFit = useRef(fitKey);
  useEffect(() => {
    if (fitKey === firstFit.current) return;
    const timer = window.setTimeout(() => void flow.fitView({ ...FIT, duration: 200 }), 50);
    return () => window.clearTimeout(timer);
  }, [fitKey, flow]);

  return (
    <div className={editing ? "wf-canvas" : "wf-canvas wf-canvas--readonly"} onDrop={onDrop} onDragOver={onDragOver} aria-label={label ?? t("canvas.label")} role="region">
      <ReactFlow<StepFlowNode, FlowEdge>
        nodes={nodes}
        edges={edges}
        nodeTypes={NODE_TYPES}
        edgeTypes={EDGE_TYPES}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onNodeDragStop={onNodeDragStop}
        onConnect={(c) => editing?.onConnect({ source: c.source, target: c.target })}
        isValidConnection={isValidConnection}
        onDelete={({ nodes: gone, edges: goneEdges }) =>
          editing?.onDelete(
            gone.map((n) => n.id),
            goneEdges.map((e) => ({ source: e.source, target: e.target })),
          )
        }
        onPaneClick={() => onSelect?.(null)}
        nodesDraggable={Boolean(editing)}
        nodesConnectable={Boolean(editing)}
        edgesFocusable={Boolean(editing)}
        deleteKeyCode={editing ? ["Backspace", "Delete"] : null}
        fitView
        fitViewOptions={FIT}
        minZoom={0.25}
        proOptions={{ hideAttribution: true }}
      >
        <Background gap={20} size={1} />
        <Controls showInteractive={false} />
        {editing && <ConnectionHint problem={editing.connectionProblem} />}
      </ReactFlow>
    </div>
  );
}

export function WorkflowCanvas(props: WorkflowCanvasProps) {
  return (
    <ReactFlowProvider>
      <Canvas {...props} />
    </ReactFlowProvider>
  );
}
