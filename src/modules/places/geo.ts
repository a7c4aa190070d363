// Distances on the Earth and the boundary of a place, with the hysteresis that keeps GPS
// jitter at the edge from producing a check-in/check-out every few seconds.

/** Mean Earth radius (IUGG), metres. */
const EARTH_RADIUS_M = 6_371_008.8
const rad = (degrees: number) => (degrees * Math.PI) / 180

/** Great-circle distance in metres (haversine: accurate to well under a metre at place scale). */
export function distanceMetres(a: { lat: number; lng: number }, b: { lat: number; lng: number }): number {
  const dLat = rad(b.lat - a.lat)
  const dLng = rad(b.lng - a.lng)
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(dLng / 2) ** 2
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)))
}

/** A phone's fix wanders by 5–20 m outdoors; a fixed floor covers that, a share of the radius covers large sites. */
export const MIN_LEAVE_MARGIN_M = 20
export const LEAVE_MARGIN_SHARE = 0.25

/** How far beyond the radius a crew member must be before they count as having left. */
export const leaveMargin = (radius: number) => Math.max(MIN_LEAVE_MARGIN_M, LEAVE_MARGIN_SHARE * radius)

export type Crossing = 'in' | 'out' | null

/**
 * Enter at distance ≤ radius, leave at distance > radius + margin; in between, whatever
 * the crew member was stays. A fix whose reported accuracy is coarser than that whole
 * outer circle cannot tell inside from outside and moves nothing.
 */
export function crossing(place: { lat: number; lng: number; radius_m: number }, distance: number, accuracy: number | null, inside: boolean): Crossing {
  const outer = place.radius_m + leaveMargin(place.radius_m)
  if (accuracy !== null && accuracy > outer) return null
  if (!inside && distance <= place.radius_m) return 'in'
  if (inside && distance > outer) return 'out'
  return null
}
