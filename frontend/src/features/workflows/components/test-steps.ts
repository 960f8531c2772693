/**
 * Steps as GET /api/workflows/steps serves them (copied from the API's answer; the render and
 * conversion schemas are pydantic's own output), for the unit tests.
 */
import type { StepInfo } from "./connections";

export const TEST_STEPS: StepInfo[] = [
  {
    "name": "upload_step",
    "version": 1,
    "label": "Upload STEP file",
    "help": "A STEP file uploaded by a person: streamed with a size limit, recognised by its content, stored under a key of the server's choice. It happens in the API, not on a worker.",
    "queue": "step_processing",
    "consumes": [],
    "produces": [
      "step_file"
    ],
    "runs_on": [],
    "handlers": {},
    "params_schema": {
      "additionalProperties": false,
      "description": "A step without parameters.",
      "properties": {},
      "title": "NoParams",
      "type": "object"
    }
  },
  {
    "name": "check_cad",
    "version": 1,
    "label": "Check CAD file",
    "help": "The line's product has a ready CAD file: waits while it is still being converted (up to two hours), fails the line when there is none or it failed.",
    "queue": "step_processing",
    "consumes": [
      "product"
    ],
    "produces": [
      "glb"
    ],
    "runs_on": [
      "order_line"
    ],
    "handlers": {
      "order_line": "automat.orders.tasks.check_cad"
    },
    "params_schema": {
      "additionalProperties": false,
      "description": "A step without parameters.",
      "properties": {},
      "title": "NoParams",
      "type": "object"
    }
  },
  {
    "name": "render_still",
    "version": 1,
    "label": "Render still",
    "help": "A picture of the product from one camera position, in the output type's render template or the built-in studio, with the product's materials.",
    "queue": "thumbnail_rendering",
    "consumes": [
      "glb"
    ],
    "produces": [
      "image"
    ],
    "runs_on": [
      "order_line"
    ],
    "handlers": {
      "order_line": "automat.rendering.tasks.render_order_line"
    },
    "params_schema": {
      "additionalProperties": false,
      "description": "An image render (still): each field replaces the output type's setting.",
      "properties": {
        "width": {
          "anyOf": [
            {
              "maximum": 8192,
              "minimum": 16,
              "type": "integer"
            },
            {
              "type": "null"
            }
          ],
          "default": null,
          "description": "image width in pixels (null: the output type's setting)",
          "title": "Width"
        },
        "height": {
          "anyOf": [
            {
              "maximum": 8192,
              "minimum": 16,
              "type": "integer"
            },
            {
              "type": "null"
            }
          ],
          "default": null,
          "description": "image height in pixels (null: the output type's setting)",
          "title": "Height"
        },
        "samples": {
          "anyOf": [
            {
              "maximum": 4096,
              "minimum": 1,
              "type": "integer"
            },
            {
              "type": "null"
            }
          ],
          "default": null,
          "description": "Cycles samples per pixel (null: the output type's setting)",
          "title": "Samples"
        },
        "engine": {
          "anyOf": [
            {
              "enum": [
                "cycles",
                "eevee"
              ],
              "type": "string"
            },
            {
              "type": "null"
            }
          ],
          "default": null,
          "description": "render engine (it must be allowed for the tenant) (null: the output type's setting)",
          "title": "Engine"
        },
        "format": {
          "anyOf": [
            {
              "enum": [
                "png",
                "jpeg",
                "webp"
              ],
              "type": "string"
            },
            {
              "type": "null"
            }
          ],
          "default": null,
          "description": "file format: png, jpeg or webp (null: the output type's setting)",
          "title": "Format"
        },
        "transparent_bg": {
          "anyOf": [
            {
              "type": "boolean"
            },
            {
              "type": "null"
            }
          ],
          "default": null,
          "description": "transparent background instead of the studio's (null: the output type's setting)",
          "title": "Transparent Bg"
        },
        "position": {
          "anyOf": [
            {
              "maxLength": 100,
              "minLength": 1,
              "type": "string"
            },
            {
              "type": "null"
            }
          ],
          "default": null,
          "description": "camera position: a preset (iso, front, side, top, three_quarter_low) or a tenant position (null: the output type's setting)",
          "title": "Position"
        },
        "denoise": {
          "anyOf": [
            {
              "type": "boolean"
            },
            {
              "type": "null"
            }
          ],
          "default": null,
          "description": "denoise the render (OpenImageDenoise) (null: the output type's setting)",
          "title": "Denoise"
        }
      },
      "title": "ImageParams",
      "type": "object"
    }
  },
  {
    "name": "export_glb",
    "version": 1,
    "label": "Export GLB",
    "help": "The production GLB with the product's materials applied, for web viewers and AR.",
    "queue": "thumbnail_rendering",
    "consumes": [
      "glb"
    ],
    "produces": [
      "glb_production"
    ],
    "runs_on": [
      "order_line"
    ],
    "handlers": {
      "order_line": "automat.rendering.tasks.render_order_line"
    },
    "params_schema": {
      "additionalProperties": false,
      "description": "A step without parameters.",
      "properties": {},
      "title": "NoParams",
      "type": "object"
    }
  },
  {
    "name": "deliver",
    "version": 1,
    "label": "Deliver media",
    "help": "Publishes what the previous step made as media assets of the product, in the media library and on the order.",
    "queue": "step_processing",
    "consumes": [
      "any"
    ],
    "produces": [
      "media_asset"
    ],
    "runs_on": [
      "order_line"
    ],
    "handlers": {
      "order_line": "automat.orders.tasks.deliver_line"
    },
    "params_schema": {
      "additionalProperties": false,
      "description": "A step without parameters.",
      "properties": {},
      "title": "NoParams",
      "type": "object"
    }
  },
  {
    "name": "occ_glb_export",
    "version": 1,
    "label": "Convert STEP to GLB",
    "help": "Converts the STEP file with OpenCASCADE in a capped sandbox into a viewer GLB and a finer production GLB; parts the conversion loses become warnings.",
    "queue": "step_processing",
    "consumes": [
      "step_file"
    ],
    "produces": [
      "glb"
    ],
    "runs_on": [
      "cad_file"
    ],
    "handlers": {
      "cad_file": "automat.cad.tasks.occ_glb_export"
    },
    "params_schema": {
      "additionalProperties": false,
      "description": "STEP → GLB in the sandbox: tessellation and the sandbox's limits.",
      "properties": {
        "gltf_preview_linear_deflection": {
          "anyOf": [
            {
              "maximum": 10,
              "minimum": 0.001,
              "type": "number"
            },
            {
              "type": "null"
            }
          ],
          "default": null,
          "description": "Viewer GLB tessellation for a ~50 mm part, in mm; scaled with the part's size. (null: the tenant's setting, default 0.1)",
          "title": "Gltf Preview Linear Deflection"
        },
        "gltf_production_linear_deflection": {
          "anyOf": [
            {
              "maximum": 5,
              "minimum": 0.0005,
              "type": "number"
            },
            {
              "type": "null"
            }
          ],
          "default": null,
          "description": "Production GLB tessellation, in mm. (null: the tenant's setting, default 0.01)",
          "title": "Gltf Production Linear Deflection"
        },
        "conversion_timeout_s": {
          "anyOf": [
            {
              "maximum": 7200,
              "minimum": 5,
              "type": "integer"
            },
            {
              "type": "null"
            }
          ],
          "default": null,
          "description": "Wall-clock limit of one STEP conversion. (null: the tenant's setting, default 300)",
          "title": "Conversion Timeout S"
        },
        "conversion_memory_mb": {
          "anyOf": [
            {
              "maximum": 65536,
              "minimum": 256,
              "type": "integer"
            },
            {
              "type": "null"
            }
          ],
          "default": null,
          "description": "Memory cap of one STEP conversion. (null: the tenant's setting, default 4096)",
          "title": "Conversion Memory Mb"
        }
      },
      "title": "ConversionParams",
      "type": "object"
    }
  }
];

export const STEP_MAP: ReadonlyMap<string, StepInfo> = new Map(TEST_STEPS.map((step) => [step.name, step]));

export function testStep(name: string): StepInfo {
  const step = STEP_MAP.get(name);
  if (!step) throw new Error(`no test step ${name}`);
  return step;
}

/** The "Still" built-in's config, as the migration seeds it. */
export const STILL_CONFIG = {
  version: 1,
  nodes: [
    { id: "check_cad", step: "check_cad", step_version: 1, params: {} },
    { id: "render", step: "render_still", step_version: 1, params: {} as Record<string, unknown> },
    { id: "deliver", step: "deliver", step_version: 1, params: {} },
  ],
  edges: [
    { from: "check_cad", to: "render" },
    { from: "render", to: "deliver" },
  ],
};
