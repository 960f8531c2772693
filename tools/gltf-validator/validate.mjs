// Validate GLB files with the Khronos glTF Validator; prints one JSON object per file.
// Usage: node validate.mjs FILE.glb [FILE.glb ...]; exit status 1 when any file has errors.
import { readFile } from "node:fs/promises";
import validator from "gltf-validator";

let failed = false;
for (const path of process.argv.slice(2)) {
  const bytes = new Uint8Array(await readFile(path));
  const report = await validator.validateBytes(bytes, {
    uri: path,
    externalResourceFunction: () => Promise.reject(new Error("external resources are not expected in a GLB")),
  });
  const issues = report.issues;
  if (issues.numErrors > 0) failed = true;
  console.log(
    JSON.stringify({
      file: path,
      errors: issues.numErrors,
      warnings: issues.numWarnings,
      messages: issues.messages.filter((m) => m.severity === 0).slice(0, 10),
      meshes: report.info?.meshCount ?? null,
      nodes: report.info?.nodeCount ?? null,
    }),
  );
}
process.exit(failed ? 1 : 0);
