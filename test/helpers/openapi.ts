type Json = Record<string, any>

/** `node` with every local `$ref` replaced by what it points at (deeply; a cycle stops at the repeat). */
export function deref(doc: Json, node: unknown, seen: string[] = []): any {
  if (Array.isArray(node)) return node.map((n) => deref(doc, n, seen))
  if (node === null || typeof node !== 'object') return node
  const ref = (node as Json).$ref
  if (typeof ref === 'string' && ref.startsWith('#/')) {
    if (seen.includes(ref)) return {}
    const target = ref
      .slice(2)
      .split('/')
      .reduce<Json>((at, part) => at?.[part.replace(/~1/g, '/').replace(/~0/g, '~')], doc)
    const { $ref: _, ...siblings } = node as Json
    return { ...deref(doc, target, [...seen, ref]), ...siblings }
  }
  const out: Json = Object.fromEntries(Object.entries(node).map(([k, v]) => [k, deref(doc, v, seen)]))
  // `allOf: [base, extra]` of objects reads as the one object it describes.
  if (Array.isArray(out.allOf) && out.allOf.every((part: Json) => part.type === 'object')) {
    const { allOf, ...rest } = out
    return {
      type: 'object',
      ...rest,
      required: allOf.flatMap((part: Json) => part.required ?? []),
      properties: Object.assign({}, ...allOf.map((part: Json) => part.properties ?? {})),
    }
  }
  return out
}
