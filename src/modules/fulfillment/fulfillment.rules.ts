import type { ShipmentStatus } from './fulfillment.tables';

export type ShipmentAction = 'pick' | 'pack' | 'ship' | 'deliver' | 'report_exception' | 'cancel';

/** The shipment lifecycle as data: the states each action may start from, and where it leads. */
export const shipmentTransitions: Readonly<Record<ShipmentAction, { from: readonly ShipmentStatus[]; to: ShipmentStatus }>> = {
  pick: { from: ['created'], to: 'picked' },
  pack: { from: ['picked'], to: 'packed' },
  ship: { from: ['packed'], to: 'shipped' },
  deliver: { from: ['shipped'], to: 'delivered' },
  // A delivery exception (damaged, refused, lost) is recorded and leaves the shipment open for a decision.
  report_exception: { from: ['shipped'], to: 'shipped' },
  // Before shipping a shipment can be cancelled; the reservations stay with the order.
  cancel: { from: ['created', 'picked', 'packed'], to: 'cancelled' },
};

export function checkShipmentTransition(status: ShipmentStatus, action: ShipmentAction): { allowed: true; to: ShipmentStatus } | { allowed: false; reason: string } {
  const transition = shipmentTransitions[action];
  if (transition.from.includes(status)) return { allowed: true, to: transition.to };
  return { allowed: false, reason: `a shipment that is ${status} cannot ${action.replace('_', ' ')}; that needs one that is ${transition.from.join(' or ')}` };
}

export function shipmentActions(status: ShipmentStatus): ShipmentAction[] {
  return (Object.keys(shipmentTransitions) as ShipmentAction[]).filter((action) => shipmentTransitions[action].from.includes(status));
}

const signatures: ReadonlyArray<{ mediaType: 'application/pdf' | 'image/png' | 'image/jpeg'; bytes: readonly number[] }> = [
  { mediaType: 'application/pdf', bytes: [0x25, 0x50, 0x44, 0x46, 0x2d] }, // %PDF-
  { mediaType: 'image/png', bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
  { mediaType: 'image/jpeg', bytes: [0xff, 0xd8, 0xff] },
];

/** The type of an uploaded file judged by its content (magic bytes), not by what the client says. */
export function detectMediaType(content: Uint8Array): 'application/pdf' | 'image/png' | 'image/jpeg' | null {
  for (const signature of signatures) {
    if (signature.bytes.every((byte, index) => content[index] === byte)) return signature.mediaType;
  }
  return null;
}

/** Proof-of-delivery files are at most this large. */
export const maxProofBytes = 5 * 1024 * 1024;
