import { ApiError } from './errors'

export const etagFor = (version: number) => `"v${version}"`

/**
 * PATCH with `If-Match`: called by services inside their transaction with the row they
 * just read, so the check and the write see the same version. `*` matches any.
 */
export function assertIfMatch(ifMatch: string | null | undefined, version: number): void {
  if (!ifMatch) return
  const tags = ifMatch.split(',').map((tag) => tag.trim().replace(/^W\//, ''))
  if (tags.includes('*') || tags.includes(etagFor(version))) return
  throw new ApiError('precondition_failed', `If-Match ${ifMatch} does not match the current ETag ${etagFor(version)}`)
}
