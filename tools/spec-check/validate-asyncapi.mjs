// Validates an AsyncAPI document with @asyncapi/parser (schema and the spec's own rules).
// Prints every diagnostic; exits 1 on any error, 2 on usage.
import { readFile } from "node:fs/promises";
import { Parser } from "@asyncapi/parser";

const [path] = process.argv.slice(2);
if (!path) {
  console.error("usage: node validate-asyncapi.mjs <asyncapi.json>");
  process.exit(2);
}
const parser = new Parser();
const { document, diagnostics } = await parser.parse(await readFile(path, "utf8"));
const severities = ["error", "warning", "info", "hint"];
for (const d of diagnostics) {
  console.log(`${severities[d.severity]}\t${d.code}\t${d.path.join(".")}\t${d.message}`);
}
const errors = diagnostics.filter((d) => d.severity === 0);
console.log(`${errors.length} error(s); ${document ? "parsed" : "not parsed"}`);
process.exit(errors.length === 0 && document ? 0 : 1);
