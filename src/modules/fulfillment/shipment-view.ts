/**
 * A shipment as the API and the documents see it. Quantities are decimal strings;
 * dates are YYYY-MM-DD business dates, instants ISO UTC.
 */
export interface ShipmentView {
  id: string;
  number: string;
  status: 'created' | 'picked' | 'packed' | 'shipped' | 'delivered' | 'cancelled';
  orderId: string;
  orderNumber: string;
  customerPoNumber: string | null;
  customer: { id: string; number: string; name: string };
  warehouse: { id: string; code: string; name: string };
  shipTo: { name: string; line1: string; line2: string | null; postalCode: string; city: string; countryCode: string };
  carrier: string | null;
  serviceLevel: string | null;
  trackingNumber: string | null;
  shipDate: string | null;
  expectedDeliveryDate: string | null;
  deliveredAt: string | null;
  receivedBy: string | null;
  deliveryException: 'damaged' | 'refused' | 'lost' | null;
  deliveryNote: string | null;
  readyToInvoice: boolean;
  lines: Array<{ id: string; lineNo: number; orderLineId: string; itemId: string; sku: string; description: string; unit: string; quantity: string }>;
  packages: Array<{ packageNo: number; packageType: string; weightKg: string | null }>;
  documents: Array<{ id: string; kind: 'proof_of_delivery'; fileName: string; mediaType: string; sizeBytes: number; uploadedAt: string }>;
  availableActions: string[];
  version: number;
  createdAt: string;
  updatedAt: string;
}
