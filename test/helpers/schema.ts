/**
 * A validator for the subset of JSON Schema that docs/report.schema.json uses: type, const,
 * enum, required, properties, additionalProperties, items, anyOf, allOf and local $ref. Returns
 * the errors.
 */
type Schema = Record<string, any>;

export function validate(value: unknown, schema: Schema, root: Schema = schema, path = '$'): string[] {
  if (schema.$ref) {
    const ref = (schema.$ref as string).replace(/^#\//, '').split('/').reduce((s: Schema, k: string) => s[k], root);
    return validate(value, ref, root, path);
  }
  if (schema.anyOf) {
    const tries = (schema.anyOf as Schema[]).map((s) => validate(value, s, root, path));
    if (tries.some((e) => e.length === 0)) return [];
    // The errors of the alternative that came closest.
    return tries.sort((a, b) => a.length - b.length)[0];
  }
  const errors: string[] = [];
  for (const s of (schema.allOf ?? []) as Schema[]) errors.push(...validate(value, s, root, path));
  if ('const' in schema && value !== schema.const) errors.push(`${path}: expected ${JSON.stringify(schema.const)}`);
  if (schema.enum && !schema.enum.includes(value)) errors.push(`${path}: ${JSON.stringify(value)} not in ${JSON.stringify(schema.enum)}`);
  if (schema.type) {
    const types: string[] = Array.isArray(schema.type) ? schema.type : [schema.type];
    const actual = value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
    const ok = types.some((t) => t === actual || (t === 'integer' && Number.isInteger(value)) || (t === 'number' && typeof value === 'number'));
    if (!ok) return [`${path}: expected ${types.join('|')}, got ${actual}`];
  }
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const obj = value as Record<string, unknown>;
    for (const k of schema.required ?? []) if (!(k in obj)) errors.push(`${path}: missing ${k}`);
    for (const [k, v] of Object.entries(obj)) {
      if (schema.properties?.[k]) errors.push(...validate(v, schema.properties[k], root, `${path}.${k}`));
      else if (schema.additionalProperties === false) errors.push(`${path}: unexpected property ${k}`);
      else if (schema.additionalProperties && typeof schema.additionalProperties === 'object') errors.push(...validate(v, schema.additionalProperties, root, `${path}.${k}`));
    }
  }
  if (Array.isArray(value) && schema.items) value.forEach((v, i) => errors.push(...validate(v, schema.items, root, `${path}[${i}]`)));
  return errors;
}
