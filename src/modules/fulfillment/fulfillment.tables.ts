import type { ColumnType, Generated } from 'kysely';

type DefaultTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

export type ShipmentStatus = 'created' | 'picked' | 'packed' | 'shipped' | 'delivered' | 'cancelled';

export interface ShipmentsTable {
  tenant_id: string;
  id: string;
  number: string;
  status: ShipmentStatus;
  order_id: string;
  customer_id: string;
  warehouse_id: string;
  ship_to_name: string;
  ship_to_line1: string;
  ship_to_line2: string | null;
  ship_to_postal_code: string;
  ship_to_city: string;
  ship_to_country_code: string;
  carrier: string | null;
  service_level: string | null;
  tracking_number: string | null;
  ship_date: string | null;
  expected_delivery_date: string | null;
  delivered_at: NullableTimestamp;
  received_by: string | null;
  delivery_exception: 'damaged' | 'refused' | 'lost' | null;
  delivery_note: string | null;
  ready_to_invoice: ColumnType<boolean, boolean | undefined, boolean>;
  created_by: string;
  version: Generated<number>;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
}

export interface ShipmentLinesTable {
  tenant_id: string;
  id: string;
  shipment_id: string;
  order_line_id: string;
  line_no: number;
  item_id: string;
  sku: string;
  description: string;
  unit: string;
  quantity: string;
}

export interface ShipmentPackagesTable {
  tenant_id: string;
  id: string;
  shipment_id: string;
  package_no: number;
  package_type: ColumnType<string, string | undefined, string>;
  weight_kg: string | null;
}

export interface ShipmentDocumentsTable {
  tenant_id: string;
  id: string;
  shipment_id: string;
  kind: 'proof_of_delivery';
  file_name: string;
  media_type: 'application/pdf' | 'image/png' | 'image/jpeg';
  size_bytes: number;
  content: Buffer;
  uploaded_by: string;
  uploaded_at: DefaultTimestamp;
}

declare module '../../platform/db/schema' {
  interface Database {
    shipments: ShipmentsTable;
    shipment_lines: ShipmentLinesTable;
    shipment_packages: ShipmentPackagesTable;
    shipment_documents: ShipmentDocumentsTable;
  }
}
