// Loads every *.test.mjs beside it (in name order), then runs their tests
// with the shared harness: one Chromium run, one verdict.
import { readdirSync } from "node:fs";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { run } from "./harness.mjs";

const here = dirname(fileURLToPath(import.meta.url));
for (const file of readdirSync(here).filter((f) => f.endsWith(".test.mjs")).sort()) {
  await import(`./${file}`);
}
await run();
