// Checks Kubernetes manifests offline and strictly: every document against the API's types from kubernetes-models,
// with unknown fields rejected (TypeScript's excess-property check on an object literal, so a misspelt field fails),
// then against the API's schemas for values (kubernetes-models' validators: enums, formats, required fields).
// Usage: node check.mjs FILE.yaml... ; prints one line per problem, exits 1 if there is any.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { parseAllDocuments } from "yaml";

const here = dirname(fileURLToPath(import.meta.url));
const scratch = join(here, ".check");
const problems = [];
const sources = [];

function modulePath(apiVersion, kind) {
  return `kubernetes-models/${apiVersion}/${kind}`;
}

rmSync(scratch, { recursive: true, force: true });
mkdirSync(scratch, { recursive: true });
for (const [fileIndex, file] of process.argv.slice(2).entries()) {
  const documents = parseAllDocuments(readFileSync(file, "utf8"));
  const lines = [];
  for (const [index, document] of documents.entries()) {
    if (document.errors.length > 0) {
      problems.push(`${file}: document ${index + 1}: ${document.errors[0].message}`);
      continue;
    }
    const object = document.toJS();
    if (object === null) continue;
    const where = `${file}: document ${index + 1} (${object.kind ?? "no kind"} ${object.metadata?.name ?? ""})`.trimEnd();
    if (typeof object.apiVersion !== "string" || typeof object.kind !== "string") {
      problems.push(`${where}: apiVersion and kind are required`);
      continue;
    }
    let model;
    try {
      model = await import(modulePath(object.apiVersion, object.kind));
    } catch {
      problems.push(`${where}: ${object.apiVersion} ${object.kind} is not a Kubernetes API type`);
      continue;
    }
    try {
      new model[object.kind](object).validate();
    } catch (error) {
      problems.push(`${where}: ${String(error.message).split("\n").slice(0, 3).join("; ")}`);
    }
    lines.push(`import type { I${object.kind} as T${index} } from "${modulePath(object.apiVersion, object.kind)}";`);
    lines.push(`export const d${index}: T${index} = ${JSON.stringify(object)};`);
    sources.push({ generated: join(scratch, `f${fileIndex}.ts`), line: lines.length - 1, where });
  }
  writeFileSync(join(scratch, `f${fileIndex}.ts`), lines.join("\n") + "\n");
}

const program = ts.createProgram(
  sources.map((source) => source.generated).filter((path, index, all) => all.indexOf(path) === index),
  { strict: true, noEmit: true, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, target: ts.ScriptTarget.ES2022, skipLibCheck: true },
);
for (const diagnostic of ts.getPreEmitDiagnostics(program)) {
  const { line } = diagnostic.file ? diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start ?? 0) : { line: -1 };
  const source = sources.find((candidate) => candidate.generated === diagnostic.file?.fileName && candidate.line === line);
  const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, " ").replace(/\s+/g, " ");
  problems.push(`${source?.where ?? relative(process.cwd(), diagnostic.file?.fileName ?? "?")}: ${message}`);
}
rmSync(scratch, { recursive: true, force: true });

for (const problem of problems) console.error(problem);
if (problems.length > 0) process.exit(1);
console.log(`kube manifests: ${process.argv.length - 2} files match the Kubernetes API strictly`);
