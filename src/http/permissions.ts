import type { Role } from '../db/schema'

/** Resources a key can be granted `none`, `read` or `write` on (PRODUCT.md §2). */
export const RESOURCES = [
  'jobs',
  'contractors',
  'clients',
  'contacts',
  'properties',
  'estimates',
  'invoices',
  'payments',
  'pricebook',
  'requests',
  'activities',
  'events',
  'webhooks',
] as const
export type Resource = (typeof RESOURCES)[number] | 'admin'
export const ACCESS_LEVELS = ['none', 'read', 'write'] as const
export type Access = (typeof ACCESS_LEVELS)[number]
/** `admin` has no read-only level: it is held (`write`) or not. */
export type Permissions = Partial<Record<(typeof RESOURCES)[number], Access>> & { admin?: Exclude<Access, 'read'> }

export const ALL_PERMISSIONS: Permissions = Object.fromEntries([
  ...RESOURCES.map((r) => [r, 'write']),
  ['admin', 'write'],
]) as Permissions

/**
 * Which permission guards a path: the first segment under /api/v1 names it. One table,
 * checked before any handler runs, so no route can forget its permission.
 */
const SEGMENT_RESOURCE: Record<string, Resource> = {
  ...Object.fromEntries(RESOURCES.map((r) => [r, r])),
  deliveries: 'webhooks',
  'ingress-webhooks': 'admin',
  'api-keys': 'admin',
  users: 'admin',
  maintenance: 'admin',
  'alert-rules': 'jobs',
  alerts: 'jobs',
  places: 'contractors',
  'place-checks': 'contractors',
}

export function resourceForPath(pathname: string): Resource | null {
  const segment = pathname.slice('/api/v1/'.length).split('/', 1)[0] ?? ''
  return SEGMENT_RESOURCE[segment] ?? null
}

export function requiredAccess(method: string): Access {
  return method === 'GET' || method === 'HEAD' ? 'read' : 'write'
}

export function allows(permissions: Permissions, resource: Resource, needed: Access): boolean {
  const granted = permissions[resource] ?? 'none'
  if (resource === 'admin') return granted === 'write'
  return needed === 'read' ? granted === 'read' || granted === 'write' : granted === 'write'
}

/** What a signed-in person may do; API keys carry their own map. */
export function permissionsForRole(role: Role): Permissions {
  switch (role) {
    case 'owner':
    case 'admin':
      return ALL_PERMISSIONS
    case 'dispatcher':
      return { ...ALL_PERMISSIONS, admin: 'none', webhooks: 'read' }
    case 'crew':
      return {
        jobs: 'write',
        contractors: 'read',
        clients: 'read',
        contacts: 'read',
        properties: 'read',
        requests: 'read',
        activities: 'read',
      }
  }
}
