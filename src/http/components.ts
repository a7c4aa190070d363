// Names of the schemas the OpenAPI document shows as `components/schemas` and refers to by
// `$ref`. A schema is named once, as an object: every route that uses that very object
// (TypeBox keeps nested schemas by reference) gets `$ref: '#/components/schemas/<name>'`.

const KIND = Symbol.for('TypeBox.Kind')
const names = new WeakMap<object, string>()
const taken = new Map<string, object>()

/** Names `schema` in the document (`Session`, `SignIn`…) and returns it unchanged. */
export function named<T extends object>(name: string, schema: T): T {
  const holder = taken.get(name)
  if (holder && holder !== schema) throw new Error(`OpenAPI component name ${name} is used twice`)
  if (!names.has(schema)) names.set(schema, name)
  taken.set(name, schema)
  byShape = undefined
  return schema
}

/**
 * Names every exported schema of a module's model.ts by its export name, so a new model
 * shows up named without a second list to keep: `JobPatch` is shown as `JobUpdate`, an enum
 * `JobStatusSchema` as `JobStatus`; query schemas (`…Query`) become parameters, not components.
 */
export function nameExports(exports: Record<string, unknown>, renames: Record<string, string> = {}): void {
  for (const [key, value] of Object.entries(exports)) {
    if (!/^[A-Z][a-z]/.test(key) || key.endsWith('Query') || key.endsWith('Params')) continue
    if (value === null || typeof value !== 'object' || !(KIND in value)) continue
    const kind = (value as Record<symbol, unknown>)[KIND]
    if (kind !== 'Object' && kind !== 'Union' && kind !== 'Intersect') continue
    const name = renames[key] ?? key.replace(/Schema$/, '').replace(/Patch$/, 'Update')
    named(name, value)
  }
}

let byShape: Map<string, string> | undefined

/**
 * The name of `schema`: the named object itself, or a copy of one with the same JSON
 * (`t.Composite` copies the properties it merges, so `ApiKeyWithSecret.permissions` is
 * a copy of the named `Permissions`).
 */
export function componentName(schema: object): string | undefined {
  const name = names.get(schema)
  if (name) return name
  if (!(KIND in schema)) return undefined
  byShape ??= new Map([...taken].map(([n, s]) => [JSON.stringify(s), n]))
  return byShape.get(JSON.stringify(schema))
}
