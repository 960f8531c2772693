/**
 * A step's parameter form, generated from the JSON Schema the API serves for it (pydantic's
 * `model_json_schema()`): one field per property, typed by the schema.
 *
 * - `integer` / `number` with `minimum`/`maximum` (and the exclusive variants) → a number input;
 * - `enum` (a pydantic `Literal` or `Enum`, also through `$ref` to `$defs`) or `const` → a select;
 * - `boolean` → a checkbox; `string` (with `minLength`/`maxLength`) → a text input;
 * - a nullable field (`anyOf: [{…}, {type: "null"}]`, as pydantic writes `X | None`) has a
 *   "use default" state: the key is left out of the node's params. Its description's trailing
 *   "(null: …)" says what the default is and becomes the field's default hint.
 * Anything else (objects, lists, unions of several types) is `unsupported`: shown, not edited.
 */
import { i18n } from "@/i18n";

export type FieldKind = "integer" | "number" | "enum" | "boolean" | "string" | "unsupported";

export type ParamValue = string | number | boolean;

export interface FormField {
  key: string;
  label: string;
  /** The description without its "(null: …)" part. */
  help: string;
  kind: FieldKind;
  /** Null is allowed: an empty field means "use the default" (the key is left out). */
  nullable: boolean;
  required: boolean;
  /** What an unset field means: the description's "(null: …)" or the schema's default. */
  defaultHint: string | null;
  /** The schema's default (null for a nullable override). */
  default: unknown;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minLength?: number;
  maxLength?: number;
  /** The values of an enum, in the schema's order. */
  options?: ParamValue[];
}

type Schema = Record<string, unknown>;

const isObject = (value: unknown): value is Schema => typeof value === "object" && value !== null && !Array.isArray(value);

/** `#/$defs/Name` resolved against the root schema (one level is all pydantic writes). */
function resolve(schema: Schema, root: Schema): Schema {
  const ref = schema.$ref;
  if (typeof ref !== "string" || !ref.startsWith("#/")) return schema;
  let found: unknown = root;
  for (const part of ref.slice(2).split("/")) found = isObject(found) ? found[part] : undefined;
  if (!isObject(found)) return schema;
  const { $ref: _ref, ...rest } = schema;
  return { ...found, ...rest };
}

const isNull = (schema: Schema) => schema.type === "null" || (Array.isArray(schema.type) && schema.type.length === 1 && schema.type[0] === "null");

/** The one non-null alternative of a property, and whether null is allowed. */
function unwrapNullable(property: Schema, root: Schema): { schema: Schema | null; nullable: boolean } {
  const resolved = resolve(property, root);
  const alternatives = (resolved.anyOf ?? resolved.oneOf) as unknown;
  if (Array.isArray(alternatives)) {
    const options = alternatives.filter(isObject).map((alt) => resolve(alt, root));
    const others = options.filter((alt) => !isNull(alt));
    const nullable = others.length < options.length;
    return { schema: others.length === 1 ? { ...others[0] } : null, nullable };
  }
  if (Array.isArray(resolved.type)) {
    const types = resolved.type.filter((t) => t !== "null");
    const nullable = types.length < resolved.type.length;
    return { schema: types.length === 1 ? { ...resolved, type: types[0] } : null, nullable };
  }
  return { schema: resolved, nullable: false };
}

const numberOf = (value: unknown): number | undefined => (typeof value === "number" ? value : undefined);

function kindOf(schema: Schema): Pick<FormField, "kind" | "options"> {
  if (Array.isArray(schema.enum)) {
    const options = schema.enum.filter((v): v is ParamValue => ["string", "number", "boolean"].includes(typeof v));
    return { kind: "enum", options };
  }
  if ("const" in schema && ["string", "number", "boolean"].includes(typeof schema.const)) {
    return { kind: "enum", options: [schema.const as ParamValue] };
  }
  switch (schema.type) {
    case "integer":
    case "number":
    case "boolean":
    case "string":
      return { kind: schema.type };
    default:
      return { kind: "unsupported" };
  }
}

const NULL_MEANS = /\s*\(null: ([^()]*(?:\([^()]*\)[^()]*)*)\)\s*$/;

/** Splits "width in pixels (null: the output type's setting)" into help and default hint. */
export function splitDescription(description: string): { help: string; nullMeans: string | null } {
  const match = NULL_MEANS.exec(description);
  if (!match) return { help: description.trim(), nullMeans: null };
  return { help: description.slice(0, match.index).trim(), nullMeans: match[1]?.trim() ?? null };
}

function labelOf(key: string, property: Schema): string {
  if (typeof property.title === "string" && property.title) return property.title;
  const words = key.replace(/_/g, " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** The form of a step's `params_schema`, one field per property in the schema's order. */
export function formFields(paramsSchema: unknown): FormField[] {
  if (!isObject(paramsSchema) || !isObject(paramsSchema.properties)) return [];
  const required = new Set(Array.isArray(paramsSchema.required) ? paramsSchema.required : []);
  return Object.entries(paramsSchema.properties).flatMap(([key, raw]) => {
    if (!isObject(raw)) return [];
    const { schema, nullable } = unwrapNullable(raw, paramsSchema);
    const { help, nullMeans } = splitDescription(typeof raw.description === "string" ? raw.description : "");
    const fallback = raw.default ?? schema?.default;
    const defaultHint = nullMeans ?? (fallback === undefined || fallback === null ? null : `default: ${String(fallback)}`);
    const field: FormField = {
      key,
      label: labelOf(key, raw),
      help,
      nullable,
      required: required.has(key),
      defaultHint,
      default: raw.default ?? null,
      ...(schema ? kindOf(schema) : { kind: "unsupported" as const }),
    };
    if (schema) {
      field.minimum = numberOf(schema.minimum);
      field.maximum = numberOf(schema.maximum);
      field.exclusiveMinimum = numberOf(schema.exclusiveMinimum);
      field.exclusiveMaximum = numberOf(schema.exclusiveMaximum);
      field.minLength = numberOf(schema.minLength);
      field.maxLength = numberOf(schema.maxLength);
    }
    return [field];
  });
}

/** "a whole number from 16 to 8192", "a number at least 0.5", … (null: not a number field). */
export function limitText(field: FormField): string | null {
  if (field.kind !== "integer" && field.kind !== "number") return null;
  const noun = field.kind === "integer" ? i18n.t("workflows:params.wholeNumber") : i18n.t("workflows:params.number");
  const low = field.minimum ?? field.exclusiveMinimum;
  const high = field.maximum ?? field.exclusiveMaximum;
  if (low !== undefined && high !== undefined) return i18n.t("workflows:params.range", { noun, low, high });
  if (low !== undefined) {
    return field.exclusiveMinimum !== undefined ? i18n.t("workflows:params.above", { noun, low }) : i18n.t("workflows:params.atLeast", { noun, low });
  }
  if (high !== undefined) {
    return field.exclusiveMaximum !== undefined ? i18n.t("workflows:params.below", { noun, high }) : i18n.t("workflows:params.atMost", { noun, high });
  }
  return noun;
}

export type Parsed = { ok: true; value: ParamValue | null } | { ok: false; error: string };

/**
 * What a field's input text means: a value, null ("use the default", for an empty nullable or
 * optional field), or why it is refused (the same limits the server checks).
 */
export function parseInput(field: FormField, text: string): Parsed {
  const raw = field.kind === "string" ? text : text.trim();
  if (raw === "") {
    if (field.nullable || !field.required) return { ok: true, value: null };
    return { ok: false, error: i18n.t("workflows:params.required") };
  }
  switch (field.kind) {
    case "integer":
    case "number": {
      const value = Number(raw);
      const refused = { ok: false, error: i18n.t("workflows:params.enter", { what: limitText(field) }) } as const;
      if (!Number.isFinite(value) || (field.kind === "integer" && !Number.isInteger(value))) return refused;
      const tooLow =
        (field.minimum !== undefined && value < field.minimum) ||
        (field.exclusiveMinimum !== undefined && value <= field.exclusiveMinimum);
      const tooHigh =
        (field.maximum !== undefined && value > field.maximum) ||
        (field.exclusiveMaximum !== undefined && value >= field.exclusiveMaximum);
      if (tooLow || tooHigh) return refused;
      return { ok: true, value };
    }
    case "enum": {
      const option = field.options?.find((o) => String(o) === raw);
      return option === undefined ? { ok: false, error: i18n.t("workflows:params.pickOption") } : { ok: true, value: option };
    }
    case "boolean":
      return raw === "true" || raw === "false" ? { ok: true, value: raw === "true" } : { ok: false, error: i18n.t("workflows:params.yesNo") };
    case "string":
      if (field.minLength !== undefined && raw.length < field.minLength) return { ok: false, error: i18n.t("workflows:params.minLength", { count: field.minLength }) };
      if (field.maxLength !== undefined && raw.length > field.maxLength) return { ok: false, error: i18n.t("workflows:params.maxLength", { count: field.maxLength }) };
      return { ok: true, value: raw };
    default:
      return { ok: false, error: i18n.t("workflows:params.notEditable") };
  }
}

/** The params with `key` set to `value`; null leaves the key out (the step's default applies). */
export function withParam(params: Record<string, unknown>, key: string, value: ParamValue | null): Record<string, unknown> {
  const { [key]: _old, ...rest } = params;
  return value === null ? rest : { ...rest, [key]: value };
}

/** A param value for people: "—" for unset. */
export function formatParam(value: unknown): string {
  if (value === null || value === undefined) return "—";
  if (typeof value === "boolean") return value ? "yes" : "no";
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}
