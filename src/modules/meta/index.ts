import { readFileSync } from 'node:fs'
import { type AnyElysia, Elysia, t } from 'elysia'
import { version } from '../../../package.json'
import type { AppDeps } from '../../deps'
import { compressedAsset } from '../../http/compressed'
import { named } from '../../http/components'
import { NoQuery } from '../../http/fields'
import { buildOpenApiDocument, docsPage, publicDoc } from '../../http/openapi'
import '../components'
// Embedded in the compiled binary, so /docs works with no internet access.
import scalarBundle from '../../../node_modules/@scalar/api-reference/dist/browser/standalone.js' with { type: 'file' }

const Health = named('Health', t.Object({ status: t.Literal('ok') }, { description: 'The server is up' }))

/**
 * Health, the OpenAPI document of `root` (the whole app, known once built) and the offline
 * /docs page. The document is built on its first request, not at start, then served from
 * cached bytes (raw, gzip, br) with an ETag.
 */
export const metaRoutes = (_deps: AppDeps, root: () => AnyElysia) =>
  new Elysia({ normalize: false })
    .get('/health', () => ({ status: 'ok' as const }), {
      query: NoQuery,
      response: { 200: Health },
      detail: publicDoc('Meta', 'health', 'Liveness check'),
    })
    .get(
      '/docs/scalar.js',
      compressedAsset(() => readFileSync(scalarBundle), {
        contentType: 'text/javascript; charset=utf-8',
        cacheControl: 'public, max-age=86400',
        brotliQuality: 5,
      }),
      { detail: { hide: true } },
    )
    .get(
      '/openapi.json',
      compressedAsset(() => JSON.stringify(buildOpenApiDocument(root(), version)), {
        contentType: 'application/json; charset=utf-8',
        cacheControl: 'no-cache',
      }),
      { detail: { hide: true } },
    )
    .get(
      '/docs',
      compressedAsset(() => docsPage('Crewbase API reference'), { contentType: 'text/html; charset=utf-8', cacheControl: 'no-cache' }),
      { detail: { hide: true } },
    )
