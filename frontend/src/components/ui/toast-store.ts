/** The toast queue: `toast({ title, message, tone })` from anywhere; `<Toaster />` shows them. */
import { useSyncExternalStore } from "react";

export type ToastTone = "info" | "success" | "warning" | "danger";

export interface ToastInput {
  title: string;
  message?: string;
  /** danger: something failed or was refused; warning: done, but not all of it (failures among). */
  tone?: ToastTone;
  /** Milliseconds until it goes away by itself; 0 keeps it until closed. Default 5000. */
  durationMs?: number;
}

export interface ToastItem extends ToastInput {
  id: number;
}

let items: ToastItem[] = [];
let nextId = 1;
const listeners = new Set<() => void>();

function emit() {
  for (const listener of listeners) listener();
}

export function toast(input: ToastInput): number {
  const id = nextId++;
  items = [...items, { ...input, id }].slice(-5);
  emit();
  const duration = input.durationMs ?? 5000;
  if (duration > 0) setTimeout(() => dismissToast(id), duration);
  return id;
}

export function dismissToast(id: number) {
  items = items.filter((item) => item.id !== id);
  emit();
}

function subscribe(listener: () => void) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useToasts(): ToastItem[] {
  return useSyncExternalStore(subscribe, () => items, () => items);
}
