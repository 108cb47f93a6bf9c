import type { ColumnType, Generated } from 'kysely';

type DefaultTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;
/** numeric columns read as exact decimal strings. */
type Numeric = ColumnType<string, string, string>;

export interface WarehousesTable {
  tenant_id: string;
  id: string;
  code: string;
  name: string;
  country_code: string;
  is_default: boolean;
  active: Generated<boolean>;
  version: Generated<number>;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
}

export interface StockLevelsTable {
  tenant_id: string;
  item_id: string;
  warehouse_id: string;
  on_hand: ColumnType<string, string | undefined, string>;
  reserved: ColumnType<string, string | undefined, string>;
  updated_at: DefaultTimestamp;
}

export interface StockReservationsTable {
  tenant_id: string;
  id: string;
  item_id: string;
  warehouse_id: string;
  reference_type: string;
  reference_id: string;
  quantity: Numeric;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
}

export interface StockMovementsTable {
  tenant_id: string;
  id: string;
  item_id: string;
  warehouse_id: string;
  kind: 'receipt' | 'adjustment' | 'reservation' | 'release' | 'shipment';
  on_hand_delta: Numeric;
  reserved_delta: Numeric;
  on_hand_after: Numeric;
  reserved_after: Numeric;
  reason: string | null;
  reference_type: string | null;
  reference_id: string | null;
  actor_name: string;
  occurred_at: DefaultTimestamp;
}

declare module '../../platform/db/schema' {
  interface Database {
    warehouses: WarehousesTable;
    stock_levels: StockLevelsTable;
    stock_reservations: StockReservationsTable;
    stock_movements: StockMovementsTable;
  }
}
