import { type AnyElysia, Elysia, t } from 'elysia'
import { version } from '../../../package.json'
import type { AppDeps } from '../../deps'
import { buildOpenApiDocument, docsPage, publicDoc } from '../../http/openapi'
// Embedded in the compiled binary, so /docs works with no internet access.
import scalarBundle from '../../../node_modules/@scalar/api-reference/dist/browser/standalone.js' with { type: 'file' }

/** Health, the OpenAPI document of `root` (the whole app, known once built) and the offline /docs page. */
export const metaRoutes = (_deps: AppDeps, root: () => AnyElysia) => {
  let document: unknown
  return new Elysia({ normalize: false })
    .get('/health', () => ({ status: 'ok' as const }), {
      response: { 200: t.Object({ status: t.Literal('ok') }) },
      detail: publicDoc('Meta', 'health', 'Liveness check'),
    })
    .get(
      '/docs/scalar.js',
      () =>
        new Response(Bun.file(scalarBundle), {
          headers: { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'public, max-age=86400' },
        }),
      { detail: { hide: true } },
    )
    .get('/openapi.json', () => (document ??= buildOpenApiDocument(root(), version)), { detail: { hide: true } })
    .get(
      '/docs',
      () => new Response(docsPage('Crewbase API reference'), { headers: { 'content-type': 'text/html; charset=utf-8' } }),
      { detail: { hide: true } },
    )
}
