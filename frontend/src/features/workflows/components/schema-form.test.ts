import { formFields, formatParam, limitText, parseInput, splitDescription, withParam } from "./schema-form";
import type { FormField } from "./schema-form";
import { testStep } from "./test-steps";

const field = (fields: FormField[], key: string): FormField => {
  const found = fields.find((f) => f.key === key);
  if (!found) throw new Error(`no field ${key}`);
  return found;
};

describe("form fields from a step's JSON Schema", () => {
  const still = formFields(testStep("render_still").params_schema);

  it("makes one field per parameter, in the schema's order", () => {
    expect(still.map((f) => f.key)).toEqual(["width", "height", "samples", "engine", "format", "transparent_bg", "position", "denoise"]);
  });

  it("reads pydantic's nullable anyOf: the type, its limits, and 'use default' from the (null: …) note", () => {
    const width = field(still, "width");
    expect(width).toMatchObject({ kind: "integer", nullable: true, minimum: 16, maximum: 8192, label: "Width" });
    expect(width.help).toBe("image width in pixels");
    expect(width.defaultHint).toBe("the output type's setting");
    expect(limitText(width)).toBe("a whole number from 16 to 8192");
  });

  it("makes Literal enums selects, booleans checkboxes, strings with their length limits", () => {
    expect(field(still, "engine")).toMatchObject({ kind: "enum", options: ["cycles", "eevee"], nullable: true });
    expect(field(still, "format").options).toEqual(["png", "jpeg", "webp"]);
    expect(field(still, "denoise").kind).toBe("boolean");
    expect(field(still, "position")).toMatchObject({ kind: "string", minLength: 1, maxLength: 100 });
  });

  it("keeps fractional limits of number fields", () => {
    const conversion = formFields(testStep("occ_glb_export").params_schema);
    expect(field(conversion, "gltf_preview_linear_deflection")).toMatchObject({ kind: "number", minimum: 0.001, maximum: 10 });
  });

  it("gives a step without parameters no fields", () => {
    expect(formFields(testStep("check_cad").params_schema)).toEqual([]);
  });

  it("resolves $ref enums, plain required fields with defaults, exclusive limits and unsupported types", () => {
    const schema = {
      $defs: { Mode: { enum: ["fast", "good"], type: "string", title: "Mode" } },
      properties: {
        mode: { $ref: "#/$defs/Mode", default: "fast" },
        ratio: { type: "number", exclusiveMinimum: 0, default: 1.5, description: "How much." },
        count: { type: ["integer", "null"], maximum: 3 },
        tags: { type: "array", items: { type: "string" } },
        either: { anyOf: [{ type: "integer" }, { type: "string" }] },
        name: { type: "string" },
      },
      required: ["name"],
      type: "object",
    };
    const fields = formFields(schema);
    expect(field(fields, "mode")).toMatchObject({ kind: "enum", options: ["fast", "good"], nullable: false, defaultHint: "default: fast" });
    expect(field(fields, "ratio")).toMatchObject({ kind: "number", exclusiveMinimum: 0, help: "How much.", defaultHint: "default: 1.5" });
    expect(limitText(field(fields, "ratio"))).toBe("a number above 0");
    expect(field(fields, "count")).toMatchObject({ kind: "integer", nullable: true, maximum: 3 });
    expect(field(fields, "tags").kind).toBe("unsupported");
    expect(field(fields, "either").kind).toBe("unsupported");
    expect(field(fields, "name").required).toBe(true);
  });

  it("splits a description at its (null: …) note, also with parentheses inside", () => {
    expect(splitDescription("render engine (it must be allowed) (null: the output type's setting)")).toEqual({
      help: "render engine (it must be allowed)",
      nullMeans: "the output type's setting",
    });
    expect(splitDescription("plain")).toEqual({ help: "plain", nullMeans: null });
  });
});

describe("parsing what a user typed", () => {
  const still = formFields(testStep("render_still").params_schema);

  it("accepts numbers within the limits and refuses others with the limits in the message", () => {
    const width = field(still, "width");
    expect(parseInput(width, " 1024 ")).toEqual({ ok: true, value: 1024 });
    expect(parseInput(width, "8")).toEqual({ ok: false, error: "Enter a whole number from 16 to 8192." });
    expect(parseInput(width, "9000")).toMatchObject({ ok: false });
    expect(parseInput(width, "12.5")).toMatchObject({ ok: false });
    expect(parseInput(width, "abc")).toMatchObject({ ok: false });
  });

  it("reads an empty nullable field as 'use the default' (null)", () => {
    expect(parseInput(field(still, "width"), "")).toEqual({ ok: true, value: null });
    expect(parseInput(field(still, "engine"), "")).toEqual({ ok: true, value: null });
  });

  it("checks enums, booleans and string lengths", () => {
    expect(parseInput(field(still, "engine"), "eevee")).toEqual({ ok: true, value: "eevee" });
    expect(parseInput(field(still, "engine"), "luxcore")).toMatchObject({ ok: false });
    expect(parseInput(field(still, "denoise"), "false")).toEqual({ ok: true, value: false });
    expect(parseInput(field(still, "position"), "front")).toEqual({ ok: true, value: "front" });
    expect(parseInput(field(still, "position"), "x".repeat(101))).toEqual({ ok: false, error: "At most 100 characters." });
  });

  it("refuses an empty required field", () => {
    const [name] = formFields({ properties: { name: { type: "string" } }, required: ["name"] });
    expect(parseInput(name as FormField, "")).toEqual({ ok: false, error: "Required." });
  });
});

describe("params", () => {
  it("sets a key, and leaves it out for null (the step's default applies)", () => {
    expect(withParam({ width: 10 }, "position", "front")).toEqual({ width: 10, position: "front" });
    expect(withParam({ width: 10, position: "front" }, "position", null)).toEqual({ width: 10 });
  });

  it("formats values for people", () => {
    expect([formatParam(null), formatParam(true), formatParam(12), formatParam("iso")]).toEqual(["—", "yes", "12", "iso"]);
  });
});
