import { BaseEdge, EdgeLabelRenderer, Handle, Position, getBezierPath } from "@xyflow/react";
import type { Edge, EdgeProps, Node, NodeProps } from "@xyflow/react";
import { StatusPill, cx } from "@/components/ui";
import type { StepInfo } from "./connections";
import type { Mark, ParamChange } from "./diff-view";
import type { GraphNode } from "./graph";
import type { Problem } from "./problems";
import { formatDuration, pillStatus, runLabel } from "./run-status";
import type { NodeRun } from "./run-status";
import { formatParam } from "./schema-form";
import { useTranslation } from "react-i18next";
import { i18n } from "@/i18n";

export interface StepNodeData extends Record<string, unknown> {
  node: GraphNode;
  /** Undefined for a step the registry no longer has. */
  step: StepInfo | undefined;
  problems: Problem[];
  mark?: Mark;
  changes?: Record<string, ParamChange>;
  run?: NodeRun;
}

export type StepFlowNode = Node<StepNodeData, "step">;

export interface FlowEdgeData extends Record<string, unknown> {
  problems: Problem[];
  mark?: Mark;
}

export type FlowEdge = Edge<FlowEdgeData, "flow">;

const markLabel = (mark: Mark) => i18n.t(`workflows:node.mark.${mark}`);

/** The card of one node: step, id, what it takes and makes, its params, diff, run status, problems. */
export function StepCard({ data, selected }: { data: StepNodeData; selected?: boolean }) {
  const { t } = useTranslation("workflows");
  const { node, step, problems, mark, changes, run } = data;
  const set = Object.entries(node.params);
  const changed = Object.entries(changes ?? {});
  return (
    <div
      className={cx(
        "wf-node",
        selected && "wf-node--selected",
        problems.length > 0 && "wf-node--problem",
        mark && `wf-node--${mark}`,
        run && `wf-node--run-${run.status}`,
      )}
      data-testid={`wf-node-${node.id}`}
    >
      <div className="wf-node__head">
        <span className="wf-node__label">{step?.label ?? node.step}</span>
        {step?.help && (
          <span className="wf-tip" tabIndex={0} aria-label={t("node.about", { step: step.label })}>
            ?<span className="wf-tip__text" role="tooltip">
              {step.help}
            </span>
          </span>
        )}
        {mark && <span className={`wf-mark wf-mark--${mark}`}>{markLabel(mark)}</span>}
      </div>
      <div className="wf-node__id">
        {node.id}
        {step && (
          <span className="wf-node__io">
            {step.consumes.join(", ") || t("node.start")} → {step.produces.join(", ")}
          </span>
        )}
      </div>
      {run && (
        <div className="wf-node__run" data-testid="wf-run">
          <StatusPill status={pillStatus(run.status)} label={runLabel(run.status)} />
          {formatDuration(run.duration_s) && <span className="wf-node__duration">{formatDuration(run.duration_s)}</span>}
        </div>
      )}
      {changed.length > 0 ? (
        <ul className="wf-node__params" aria-label={t("node.changed")}>
          {changed.map(([key, change]) => (
            <li key={key}>
              <span className="wf-node__param-key">{key}</span> <del>{formatParam(change.before)}</del> →{" "}
              <ins>{formatParam(change.after)}</ins>
            </li>
          ))}
        </ul>
      ) : (
        set.length > 0 && (
          <ul className="wf-node__params" aria-label={t("node.parameters")}>
            {set.map(([key, value]) => (
              <li key={key}>
                <span className="wf-node__param-key">{key}</span> {formatParam(value)}
              </li>
            ))}
          </ul>
        )
      )}
      {run?.status === "failed" && run.error && <p className="wf-node__error">{run.error}</p>}
      {problems.length > 0 && (
        <ul className="wf-node__problems" role="list" aria-label={t("node.problems")}>
          {problems.map((problem, i) => (
            <li key={i}>{problem.message}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** A workflow node on the canvas: the card with an input handle (unless the step takes nothing) and an output handle. */
export function StepNode({ data, selected }: NodeProps<StepFlowNode>) {
  const takesInput = data.step ? data.step.consumes.length > 0 : true;
  return (
    <>
      {takesInput && <Handle type="target" position={Position.Left} className="wf-handle" />}
      <StepCard data={data} selected={selected} />
      <Handle type="source" position={Position.Right} className="wf-handle" />
    </>
  );
}

/** An edge; a problem the server found on it, or its diff mark, labels it. */
export function FlowEdgeView(props: EdgeProps<FlowEdge>) {
  const { id, sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition, data, markerEnd, selected } = props;
  const [path, labelX, labelY] = getBezierPath({ sourceX, sourceY, sourcePosition, targetX, targetY, targetPosition });
  const problems = data?.problems ?? [];
  const mark = data?.mark;
  return (
    <>
      <BaseEdge
        id={id}
        path={path}
        markerEnd={markerEnd}
        className={cx("wf-edge", problems.length > 0 && "wf-edge--problem", mark && `wf-edge--${mark}`, selected && "wf-edge--selected")}
      />
      {(problems.length > 0 || mark) && (
        <EdgeLabelRenderer>
          <div
            className={cx("wf-edge-label", problems.length > 0 ? "wf-edge-label--problem" : `wf-edge-label--${mark}`)}
            style={{ transform: `translate(-50%, -50%) translate(${labelX}px, ${labelY}px)` }}
            title={problems.map((p) => p.message).join("\n") || undefined}
            data-testid={`wf-edge-label-${id}`}
          >
            {problems.length > 0 ? problems.map((p) => p.message).join(" ") : markLabel(mark as Mark)}
          </div>
        </EdgeLabelRenderer>
      )}
    </>
  );
}
