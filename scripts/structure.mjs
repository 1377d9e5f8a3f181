#!/usr/bin/env node
// npm run structure: the shape figures docs/design.md states, measured from the sources
// (packages/*/src, tests and the generated registry aside):
//   - files over 400 lines, functions over 80 lines (a function's body, by the TypeScript parser)
//   - runtime import cycles (imports that are only types do not count: they vanish at build time),
//     and cycles counting type imports too (a cycle of types still ties two modules' designs)
//   - mutable module state in the library packages (all but the CLI): a top-level `let`, or a
//     top-level `const` holding a Map, Set, array or typed array that some function of the module changes
//   - untyped fact bags in the report package: `Record<string, unknown>` or `any`
// Options: --json (the figures as JSON), --max-file N, --max-function N, --strict (exit 1 when any
// figure is above zero).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const MAX_FILE = opt('--max-file', 400);
const MAX_FUNCTION = opt('--max-function', 80);

function sources() {
  const out = [];
  for (const pkg of readdirSync(join(ROOT, 'packages'))) {
    const src = join(ROOT, 'packages', pkg, 'src');
    if (!statSync(src, { throwIfNoEntry: false })?.isDirectory()) continue;
    const walk = (dir) => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        const p = join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (p.endsWith('.ts') && !p.endsWith('.test.ts') && !p.endsWith('.d.ts') && !p.includes('.generated.') && !p.endsWith('.fixtures.ts')) out.push(p);
      }
    };
    walk(src);
  }
  return out.sort();
}

const files = sources();
const parsed = new Map(files.map((f) => [f, ts.createSourceFile(f, readFileSync(f, 'utf8'), ts.ScriptTarget.ES2022, true)]));
const rel = (f) => relative(ROOT, f);

// Files over the limit.
const longFiles = files.map((f) => ({ file: rel(f), lines: parsed.get(f).getLineStarts().length })).filter((x) => x.lines > MAX_FILE).sort((a, b) => b.lines - a.lines);

// Functions over the limit: every function, method, accessor and arrow with a block body.
const longFunctions = [];
for (const [f, sf] of parsed) {
  const visit = (node) => {
    if ((ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node) || ts.isArrowFunction(node) || ts.isFunctionExpression(node) || ts.isGetAccessor(node) || ts.isSetAccessor(node) || ts.isConstructorDeclaration(node)) && node.body && ts.isBlock(node.body)) {
      const start = sf.getLineAndCharacterOfPosition(node.body.getStart(sf)).line;
      const end = sf.getLineAndCharacterOfPosition(node.body.getEnd()).line;
      const lines = end - start + 1;
      if (lines > MAX_FUNCTION) longFunctions.push({ file: rel(f), name: functionName(node), lines });
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
}
longFunctions.sort((a, b) => b.lines - a.lines);

function functionName(node) {
  if (node.name) return node.name.getText();
  if (ts.isConstructorDeclaration(node)) return 'constructor';
  const p = node.parent;
  if (p && ts.isVariableDeclaration(p)) return p.name.getText();
  if (p && ts.isPropertyAssignment(p)) return p.name.getText();
  return '(anonymous)';
}

// Runtime imports: relative ones, and the workspace's own packages by their source entry.
const PACKAGES = new Map();
for (const pkg of readdirSync(join(ROOT, 'packages'))) {
  const manifest = join(ROOT, 'packages', pkg, 'package.json');
  if (!statSync(manifest, { throwIfNoEntry: false })) continue;
  const m = JSON.parse(readFileSync(manifest, 'utf8'));
  for (const [sub, target] of Object.entries(m.exports ?? {})) {
    const source = typeof target === 'object' ? target.source : undefined;
    if (source) PACKAGES.set(join(m.name, sub), resolve(ROOT, 'packages', pkg, source));
  }
}

function imports(f, withTypes) {
  const sf = parsed.get(f);
  const out = [];
  for (const s of sf.statements) {
    let spec;
    if (ts.isImportDeclaration(s)) {
      const c = s.importClause;
      if (withTypes) spec = s.moduleSpecifier.text;
      else if (c?.isTypeOnly) continue;
      // `import { type A, type B } from`: nothing of it is left at run time.
      else if (c && !c.name && c.namedBindings && ts.isNamedImports(c.namedBindings) && c.namedBindings.elements.length > 0 && c.namedBindings.elements.every((e) => e.isTypeOnly)) continue;
      spec = s.moduleSpecifier.text;
    } else if (ts.isExportDeclaration(s) && s.moduleSpecifier) {
      if (withTypes) spec = s.moduleSpecifier.text;
      else if (s.isTypeOnly) continue;
      else if (s.exportClause && ts.isNamedExports(s.exportClause) && s.exportClause.elements.length > 0 && s.exportClause.elements.every((e) => e.isTypeOnly)) continue;
      spec = s.moduleSpecifier.text;
    } else continue;
    const target = spec.startsWith('.') ? resolve(dirname(f), spec.replace(/\.js$/, '.ts')) : PACKAGES.get(spec);
    if (target && parsed.has(target)) out.push(target);
  }
  return out;
}

/** Strongly connected components of the import graph (Tarjan): each of more than one file is a cycle. */
function cyclesOf(graph) {
  const cycles = [];
  let index = 0;
  const idx = new Map();
  const low = new Map();
  const stack = [];
  const on = new Set();
  const strong = (v) => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    on.add(v);
    for (const w of graph.get(v)) {
      if (!idx.has(w)) {
        strong(w);
        low.set(v, Math.min(low.get(v), low.get(w)));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v), idx.get(w)));
    }
    if (low.get(v) === idx.get(v)) {
      const comp = [];
      let w;
      do {
        w = stack.pop();
        on.delete(w);
        comp.push(rel(w));
      } while (w !== v);
      if (comp.length > 1) cycles.push(comp.sort());
    }
  };
  for (const f of files) if (!idx.has(f)) strong(f);
  return cycles;
}
const cycles = cyclesOf(new Map(files.map((f) => [f, imports(f, false)])));
const typeCycles = cyclesOf(new Map(files.map((f) => [f, imports(f, true)])));

// Mutable module state in the library packages (all but the CLI, which is a program): a
// top-level `let`; a top-level collection (Map, Set, array, typed array) that the module changes
// or hands to a function that may; a top-level constant made by a call of one of the module's
// functions that keeps state of its own in a closure.
const CLI = join(ROOT, 'packages', 'cli', 'src');
const COLLECTION = /^(new (Map|Set|WeakMap|Uint8Array|Uint16Array|Uint32Array|Int32Array|Float64Array|Array)\b|\[)/;
const moduleState = [];
for (const [f, sf] of parsed) {
  if (f.startsWith(CLI)) continue;
  const text = sf.getFullText();
  const closures = new Set();
  for (const s of sf.statements) {
    if (ts.isFunctionDeclaration(s) && s.name && s.body && /\blet\b|new (Map|Set)\b/.test(s.body.getText()) && /return \(|=>/.test(s.body.getText())) closures.add(s.name.getText());
  }
  for (const s of sf.statements) {
    if (!ts.isVariableStatement(s)) continue;
    const isLet = !(s.declarationList.flags & ts.NodeFlags.Const);
    for (const d of s.declarationList.declarations) {
      const name = d.name.getText();
      const init = d.initializer?.getText() ?? '';
      if (isLet) {
        moduleState.push({ file: rel(f), name, why: 'a module-level let' });
      } else if (COLLECTION.test(init) && !/Object\.freeze|as const/.test(init)) {
        const changed = new RegExp(`\\b${name}(\\.(set|add|delete|clear|push|pop|splice|fill|copyWithin|sort|reverse)\\(|\\[[^\\]]+\\]\\s*[-+*/|&^]?=(?!=))`).test(text);
        // A Map or Set handed to a function may be changed there; a read-only one may not.
        const handed = /^new (Map|Set)\b/.test(init) && !/^Readonly/.test(d.type?.getText() ?? '') && new RegExp(`[(,]\\s*${name}\\s*[,)]`).test(text);
        if (changed || handed) moduleState.push({ file: rel(f), name, why: changed ? 'a module-level collection the module changes' : 'a module-level collection handed to functions' });
      } else if (d.initializer && ts.isCallExpression(d.initializer) && closures.has(d.initializer.expression.getText())) {
        moduleState.push({ file: rel(f), name, why: `state kept in the closure ${d.initializer.expression.getText()}() returns` });
      }
    }
  }
}

// Untyped fact bags in the report package.
const REPORT = join(ROOT, 'packages', 'report', 'src');
const factBags = [];
for (const [f, sf] of parsed) {
  if (!f.startsWith(REPORT)) continue;
  const lines = sf.getFullText().split('\n');
  lines.forEach((line, i) => {
    if (/Record<string,\s*unknown>|Record<string,\s*any>|\bas any\b|:\s*any\b/.test(line.replace(/\/\/.*$/, ''))) factBags.push({ file: rel(f), line: i + 1, text: line.trim().slice(0, 120) });
  });
}

const figures = { longFiles, longFunctions, cycles, typeCycles, moduleState, factBags };
if (args.includes('--json')) {
  console.log(JSON.stringify(figures, null, 2));
} else {
  console.log(`${files.length} source files (packages/*/src; tests, fixtures and generated files aside)`);
  console.log(`\nfiles over ${MAX_FILE} lines: ${longFiles.length}`);
  for (const x of longFiles) console.log(`  ${x.lines}  ${x.file}`);
  console.log(`\nfunctions over ${MAX_FUNCTION} lines: ${longFunctions.length}`);
  for (const x of longFunctions) console.log(`  ${x.lines}  ${x.file}  ${x.name}`);
  console.log(`\nruntime import cycles: ${cycles.length}`);
  for (const c of cycles) console.log(`  ${c.join(' <-> ')}`);
  console.log(`\nimport cycles counting imports of types only: ${typeCycles.length}`);
  for (const c of typeCycles) console.log(`  ${c.join(' <-> ')}`);
  console.log(`\nmutable module state in the library packages: ${moduleState.length}`);
  for (const x of moduleState) console.log(`  ${x.file}  ${x.name} (${x.why})`);
  console.log(`\nuntyped fact bags in the report: ${factBags.length}`);
  for (const x of factBags) console.log(`  ${x.file}:${x.line}  ${x.text}`);
}
if (args.includes('--strict') && Object.values(figures).some((v) => v.length > 0)) process.exit(1);
