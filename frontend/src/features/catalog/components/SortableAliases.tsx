/**
 * The tenant's aliases in the order they apply (first wins among patterns), reordered by dragging
 * a row's handle with the mouse or, with the handle focused, Space, the arrow keys and Space again
 * (Escape cancels). Each drop saves the whole order in one request; a stale list (an alias was
 * added or deleted meanwhile: 409 `aliases_changed`) reloads the list and says so.
 */
import { DndContext, KeyboardSensor, PointerSensor, closestCenter, useSensor, useSensors } from "@dnd-kit/core";
import type { DragEndEvent } from "@dnd-kit/core";
import { SortableContext, arrayMove, sortableKeyboardCoordinates, useSortable, verticalListSortingStrategy } from "@dnd-kit/sortable";
import { CSS } from "@dnd-kit/utilities";
import { useEffect, useState } from "react";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Badge, Button, toast } from "@/components/ui";
import { ApiError, errorMessage } from "@/lib/api";
import { useReorderAliases } from "../api/catalog";
import type { Alias } from "../api/catalog";
import "./catalog.css";

export interface SortableAliasesProps {
  aliases: Alias[];
  /** The material's swatch and name. */
  material: (alias: Alias) => ReactNode;
  onDelete: (alias: Alias) => void;
}

export function SortableAliases({ aliases, material, onDelete }: SortableAliasesProps) {
  const { t } = useTranslation("catalog");
  const reorder = useReorderAliases();
  const [order, setOrder] = useState(aliases);
  useEffect(() => setOrder(aliases), [aliases]);
  const sensors = useSensors(
    useSensor(PointerSensor, { activationConstraint: { distance: 4 } }),
    useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }),
  );
  const name = (id: unknown) => order.find((a) => a.id === id)?.pattern ?? "";

  const onDragEnd = ({ active, over }: DragEndEvent) => {
    if (!over || active.id === over.id) return;
    const from = order.findIndex((a) => a.id === active.id);
    const to = order.findIndex((a) => a.id === over.id);
    const next = arrayMove(order, from, to);
    setOrder(next);
    reorder.mutate(
      next.map((a) => a.id),
      {
        onSuccess: () => toast({ title: t("aliases.orderSaved"), tone: "success" }),
        onError: (error) => {
          setOrder(aliases);
          const stale = error instanceof ApiError && error.code === "aliases_changed";
          toast({ title: stale ? t("aliases.stale") : t("aliases.orderFailed"), message: errorMessage(error), tone: "danger" });
        },
      },
    );
  };

  return (
    <DndContext
      sensors={sensors}
      collisionDetection={closestCenter}
      onDragEnd={onDragEnd}
      accessibility={{
        screenReaderInstructions: { draggable: t("aliases.dnd.instructions") },
        announcements: {
          onDragStart: ({ active }) => t("aliases.dnd.start", { pattern: name(active.id) }),
          onDragOver: ({ active, over }) => (over ? t("aliases.dnd.over", { pattern: name(active.id), place: order.findIndex((a) => a.id === over.id) + 1 }) : undefined),
          onDragEnd: ({ active, over }) => (over ? t("aliases.dnd.end", { pattern: name(active.id), place: order.findIndex((a) => a.id === over.id) + 1 }) : undefined),
          onDragCancel: ({ active }) => t("aliases.dnd.cancel", { pattern: name(active.id) }),
        },
      }}
    >
      <table className="cat-aliases" data-testid="alias-order">
        <caption>{t("aliases.caption")}</caption>
        <thead>
          <tr>
            <th scope="col">
              <span className="sr-only">{t("aliases.column.move")}</span>
            </th>
            <th scope="col">{t("aliases.column.place")}</th>
            <th scope="col">{t("aliases.column.pattern")}</th>
            <th scope="col">{t("aliases.column.kind")}</th>
            <th scope="col">{t("aliases.column.material")}</th>
            <th scope="col">{t("aliases.column.priority")}</th>
            <th scope="col">
              <span className="sr-only">{t("aliases.column.actions")}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          <SortableContext items={order.map((a) => a.id)} strategy={verticalListSortingStrategy}>
            {order.map((alias, index) => (
              <Row key={alias.id} alias={alias} place={index + 1} material={material(alias)} onDelete={() => onDelete(alias)} />
            ))}
          </SortableContext>
        </tbody>
      </table>
    </DndContext>
  );
}

function Row({ alias, place, material, onDelete }: { alias: Alias; place: number; material: ReactNode; onDelete: () => void }) {
  const { t } = useTranslation("catalog");
  const { attributes, listeners, setNodeRef, setActivatorNodeRef, transform, transition, isDragging } = useSortable({ id: alias.id });
  return (
    <tr
      ref={setNodeRef}
      style={{ transform: CSS.Translate.toString(transform), transition }}
      className={isDragging ? "cat-row--dragging" : undefined}
      data-testid="alias-row"
      data-pattern={alias.pattern}
    >
      <td>
        <button type="button" ref={setActivatorNodeRef} className="cat-handle" {...attributes} {...listeners} aria-label={t("aliases.move", { pattern: alias.pattern })}>
          ⠿
        </button>
      </td>
      <td>{place}</td>
      <td>
        <code>{alias.pattern}</code>
      </td>
      <td>
        <Badge>{alias.kind}</Badge>
      </td>
      <td>{material}</td>
      <td>
        {alias.priority} {alias.is_default && <Badge tone="muted">{t("aliases.default")}</Badge>}
      </td>
      <td>
        <Button size="sm" variant="ghost" aria-label={t("aliases.delete", { pattern: alias.pattern })} onClick={onDelete}>
          {t("common:delete")}
        </Button>
      </td>
    </tr>
  );
}
