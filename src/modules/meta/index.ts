import { Elysia, t } from 'elysia'
import type { AppDeps } from '../../deps'
import { publicDoc } from '../../http/openapi'
// Embedded in the compiled binary, so /docs works with no internet access.
import scalarBundle from '../../../node_modules/@scalar/api-reference/dist/browser/standalone.js' with { type: 'file' }

export const metaRoutes = (_deps: AppDeps) =>
  new Elysia({ normalize: false })
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
