/** Knows which methods each path accepts, so a wrong method is 405 with `Allow`, not 404. */
export class MethodTable {
  #routes: Array<{ pattern: RegExp; method: string }> = []

  load(routes: ReadonlyArray<{ method: string; path: string }>) {
    this.#routes = routes
      .filter((r) => r.method !== 'ALL' && r.method !== 'OPTIONS')
      .map((r) => ({
        method: r.method,
        pattern: new RegExp(`^${r.path.replace(/\/+$/, '').replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/:[^/]+/g, '[^/]+')}/?$`),
      }))
  }

  allowedFor(path: string): string[] {
    const methods = new Set<string>()
    for (const route of this.#routes) if (route.pattern.test(path)) methods.add(route.method)
    return [...methods].sort()
  }
}
