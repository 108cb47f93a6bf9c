import type { CustomerStatus } from '../api';

const orderStatusLabels: Record<string, string> = {
  draft: 'Draft',
  submitted: 'Submitted',
  approved: 'Approved',
  on_credit_hold: 'On credit hold',
  partially_shipped: 'Partially shipped',
  shipped: 'Shipped',
  closed: 'Closed',
  cancelled: 'Cancelled',
};

const reservationLabels: Record<string, string> = {
  none: 'Not reserved',
  not_needed: 'No stock needed',
  backordered: 'Backordered',
  partial: 'Partly reserved',
  complete: 'Reserved',
};

const customerStatusLabels: Record<CustomerStatus, string> = {
  active: 'Active',
  blocked: 'Blocked',
  archived: 'Archived',
};

/** "on_credit_hold" → "On credit hold" for states the UI does not know yet. */
export function humanize(code: string): string {
  const text = code.replace(/[_.]/g, ' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export const orderStatusLabel = (status: string) => orderStatusLabels[status] ?? humanize(status);
export const reservationLabel = (status: string) => reservationLabels[status] ?? humanize(status);

/** The tone of a state: its colour, and a word for those who cannot see it. */
function orderTone(status: string): string {
  switch (status) {
    case 'approved':
    case 'shipped':
    case 'closed':
      return 'good';
    case 'on_credit_hold':
      return 'warn';
    case 'cancelled':
      return 'bad';
    case 'draft':
      return 'neutral';
    default:
      return 'info';
  }
}

function reservationTone(status: string): string {
  switch (status) {
    case 'complete':
      return 'good';
    case 'partial':
    case 'backordered':
      return 'warn';
    default:
      return 'neutral';
  }
}

export function OrderStatusBadge({ status }: { readonly status: string }) {
  return <span className={`badge badge-${orderTone(status)}`}>{orderStatusLabel(status)}</span>;
}

export function ReservationBadge({ status }: { readonly status: string }) {
  return <span className={`badge badge-outline badge-${reservationTone(status)}`}>{reservationLabel(status)}</span>;
}

export function CustomerStatusBadge({ status }: { readonly status: CustomerStatus }) {
  const tone = status === 'active' ? 'good' : status === 'blocked' ? 'bad' : 'neutral';
  return <span className={`badge badge-${tone}`}>{customerStatusLabels[status]}</span>;
}

export function ActiveBadge({ active, inactiveLabel = 'Inactive' }: { readonly active: boolean; readonly inactiveLabel?: string }) {
  return <span className={`badge ${active ? 'badge-good' : 'badge-neutral'}`}>{active ? 'Active' : inactiveLabel}</span>;
}

const shipmentStatusLabels: Record<string, string> = {
  created: 'Created',
  picked: 'Picked',
  packed: 'Packed',
  shipped: 'Shipped',
  delivered: 'Delivered',
  cancelled: 'Cancelled',
};

export const shipmentStatusLabel = (status: string) => shipmentStatusLabels[status] ?? humanize(status);

function shipmentTone(status: string): string {
  switch (status) {
    case 'delivered':
      return 'good';
    case 'cancelled':
      return 'bad';
    case 'created':
      return 'neutral';
    default:
      return 'info';
  }
}

export function ShipmentStatusBadge({ status }: { readonly status: string }) {
  return <span className={`badge badge-${shipmentTone(status)}`}>{shipmentStatusLabel(status)}</span>;
}
