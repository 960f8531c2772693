/**
 * An undo/redo stack of immutable states.
 *
 * - `commit` adds an undo step; commits with the same `group` one after another merge into one
 *   step (typing "front" into a field is one undo, not five);
 * - `replace` changes the present without a step (a node while it is being dragged), and
 *   `commitFrom(origin)` then makes the whole drag one step back to `origin`.
 */

/** Steps kept; older ones are dropped. */
export const UNDO_LIMIT = 200;

export interface Undoable<T> {
  past: T[];
  present: T;
  future: T[];
  /** The group of the last commit, while later commits may still merge into it. */
  group: string | null;
}

export function undoable<T>(present: T): Undoable<T> {
  return { past: [], present, future: [], group: null };
}

export function commit<T>(state: Undoable<T>, next: T, group: string | null = null): Undoable<T> {
  if (next === state.present) return state;
  if (group !== null && group === state.group) return { ...state, present: next, future: [] };
  return { past: [...state.past, state.present].slice(-UNDO_LIMIT), present: next, future: [], group };
}

export function replace<T>(state: Undoable<T>, next: T): Undoable<T> {
  return { ...state, present: next };
}

/** One step from `origin` to the present (after a run of `replace`s); none when nothing changed. */
export function commitFrom<T>(state: Undoable<T>, origin: T, same: (a: T, b: T) => boolean): Undoable<T> {
  if (same(origin, state.present)) return { ...state, present: origin };
  return { past: [...state.past, origin].slice(-UNDO_LIMIT), present: state.present, future: [], group: null };
}

export function undo<T>(state: Undoable<T>): Undoable<T> {
  const previous = state.past[state.past.length - 1];
  if (state.past.length === 0) return state;
  return { past: state.past.slice(0, -1), present: previous as T, future: [state.present, ...state.future], group: null };
}

export function redo<T>(state: Undoable<T>): Undoable<T> {
  const [next, ...rest] = state.future;
  if (state.future.length === 0) return state;
  return { past: [...state.past, state.present], present: next as T, future: rest, group: null };
}

export const canUndo = (state: Undoable<unknown>) => state.past.length > 0;
export const canRedo = (state: Undoable<unknown>) => state.future.length > 0;
