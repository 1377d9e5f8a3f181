#!/usr/bin/env node
// The JSON report's schema, generated from the report's TypeScript types (packages/report/src:
// `Report` and every type it reaches): a field added to a type is in the schema, and one the
// types do not have is refused, since every object is closed (additionalProperties false). A
// named interface or type alias becomes a $defs entry; its doc comment, the description.
// `node scripts/report-schema.mjs` prints it; `--write` writes docs/report.schema.json (also run by
// `npm run gen:docs`); test/report-schema.test.ts fails when the committed file differs.
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const SCHEMA_FILE = join(ROOT, 'docs', 'report.schema.json');

/** The schema as an object. */
export function reportSchema() {
  const entry = join(ROOT, 'packages', 'report', 'src', 'model.ts');
  const program = ts.createProgram([entry], {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    // The workspace's packages are read from their sources, as the tests read them.
    customConditions: ['source'],
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    types: [],
  });
  const checker = program.getTypeChecker();
  const model = program.getSourceFile(entry);
  const report = model.statements.find((s) => ts.isTypeAliasDeclaration(s) && s.name.text === 'Report');
  if (!report) throw new Error('no Report type in packages/report/src/model.ts');
  const defs = {};
  const walker = new SchemaWalker(checker, defs);
  const root = walker.schemaOf(checker.getTypeAtLocation(report.name));
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: 'https://tlsdoctor.invalid/report.schema.json',
    title: `tlsdoctor report, schemaVersion ${schemaVersion(model)}`,
    description: 'Generated from the report\'s TypeScript types (scripts/report-schema.mjs): do not edit by hand.',
    ...root,
    $defs: Object.fromEntries(Object.entries(defs).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
  };
}

/** The version the report's types declare (SCHEMA_VERSION), so the title cannot fall behind them. */
function schemaVersion(model) {
  for (const s of model.statements) {
    if (!ts.isVariableStatement(s)) continue;
    for (const d of s.declarationList.declarations) {
      if (ts.isIdentifier(d.name) && d.name.text === 'SCHEMA_VERSION' && d.initializer && ts.isNumericLiteral(d.initializer)) return Number(d.initializer.text);
    }
  }
  throw new Error('no numeric SCHEMA_VERSION in packages/report/src/model.ts');
}

class SchemaWalker {
  constructor(checker, defs) {
    this.checker = checker;
    this.defs = defs;
  }

  /** A type's schema: a $ref to its definition when it is named, else the schema itself. */
  schemaOf(type) {
    const name = this.checker.isArrayType(type) || this.checker.isTupleType(type) ? undefined : this.nameOf(type);
    if (!name) return this.inline(type);
    if (!(name in this.defs)) {
      this.defs[name] = {};
      const s = this.inline(type);
      const doc = this.docOf(type);
      this.defs[name] = doc && !s.description ? { description: doc, ...s } : s;
    }
    return { $ref: `#/$defs/${name}` };
  }

  /** The name a type is defined under: an interface, or an alias of an object type or a union. */
  nameOf(type) {
    const alias = type.aliasSymbol;
    if (alias && !type.aliasTypeArguments) return alias.name;
    const symbol = type.getSymbol();
    if (symbol && symbol.flags & ts.SymbolFlags.Interface) return symbol.name;
    return undefined;
  }

  docOf(type) {
    const symbol = type.aliasSymbol ?? type.getSymbol();
    return symbol ? ts.displayPartsToString(symbol.getDocumentationComment(this.checker)).replace(/\s+/g, ' ').trim() : '';
  }

  inline(type) {
    const c = this.checker;
    if (type.isUnion()) return this.union(type);
    if (type.flags & ts.TypeFlags.StringLiteral) return { const: type.value };
    if (type.flags & ts.TypeFlags.NumberLiteral) return { const: type.value };
    if (type.flags & ts.TypeFlags.BooleanLiteral) return { const: c.typeToString(type) === 'true' };
    if (type.flags & ts.TypeFlags.String) return { type: 'string' };
    if (type.flags & ts.TypeFlags.Number) return { type: 'number' };
    if (type.flags & ts.TypeFlags.Boolean) return { type: 'boolean' };
    if (type.flags & ts.TypeFlags.Null) return { type: 'null' };
    if (c.isArrayType(type) || c.isTupleType(type)) {
      const [item] = c.getTypeArguments(type);
      return { type: 'array', items: this.schemaOf(item) };
    }
    if (type.flags & ts.TypeFlags.Object || type.isIntersection()) return this.object(type);
    throw new Error(`no JSON schema for the type ${c.typeToString(type)}`);
  }

  union(type) {
    const c = this.checker;
    // `undefined` in a union means the field may be left out: `required` says that, not the type.
    const parts = type.types.filter((t) => !(t.flags & ts.TypeFlags.Undefined));
    const nullable = parts.some((t) => t.flags & ts.TypeFlags.Null);
    const rest = parts.filter((t) => !(t.flags & ts.TypeFlags.Null));
    let s;
    if (rest.length > 0 && rest.every((t) => t.flags & ts.TypeFlags.BooleanLiteral)) s = { type: 'boolean' };
    else if (rest.length > 1 && rest.every((t) => t.flags & (ts.TypeFlags.StringLiteral | ts.TypeFlags.NumberLiteral))) s = { enum: rest.map((t) => t.value) };
    else if (rest.length === 1) s = this.schemaOf(rest[0]);
    else s = { anyOf: rest.map((t) => this.schemaOf(t)) };
    if (!nullable) return s;
    if (s.type && !s.$ref) return { ...s, type: [s.type, 'null'].flat() };
    if (s.enum) return { enum: [...s.enum, null] };
    return { anyOf: [...(s.anyOf ?? [s]), { type: 'null' }] };
  }

  object(type) {
    const c = this.checker;
    const index = c.getIndexInfoOfType(type, ts.IndexKind.String);
    const props = c.getPropertiesOfType(type).filter((p) => !p.escapedName.startsWith('__@'));
    if (index && props.length === 0) return { type: 'object', additionalProperties: this.schemaOf(index.type) };
    const properties = {};
    const required = [];
    for (const p of props) {
      const t = c.getTypeOfSymbol(p);
      // A method or accessor is not data (a getter made lazily, like JA4's original form, is).
      if (t.getCallSignatures().length > 0) continue;
      const onlyUndefined = t.flags & ts.TypeFlags.Undefined;
      if (onlyUndefined) continue;
      const optional = (p.flags & ts.SymbolFlags.Optional) !== 0;
      const s = this.schemaOf(t);
      const doc = ts.displayPartsToString(p.getDocumentationComment(c)).replace(/\s+/g, ' ').trim();
      properties[p.name] = doc && !s.$ref ? { description: doc, ...s } : doc ? { description: doc, allOf: [s] } : s;
      if (!optional) required.push(p.name);
    }
    return { type: 'object', ...(required.length > 0 ? { required } : {}), additionalProperties: false, properties };
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const text = JSON.stringify(reportSchema(), null, 2) + '\n';
  if (process.argv.includes('--write')) writeFileSync(SCHEMA_FILE, text);
  else process.stdout.write(text);
}
