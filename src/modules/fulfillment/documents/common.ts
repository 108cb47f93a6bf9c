import { Big, businessDateAt, formatDecimal, type Decimal } from '../../../kernel';
import type { TenantView } from '../../../platform/tenants/tenants';
import type { ShipmentView } from '../shipment-view';

export { unitSymbol } from '../../../platform/documents/units';

export type ShipmentLine = ShipmentView['lines'][number];
export type ShipmentPackage = ShipmentView['packages'][number];

/** Lines in SKU order (natural: SKU-2 before SKU-10), ties by line number: the order a picker walks. */
export function linesBySku(shipment: ShipmentView): ShipmentLine[] {
  return [...shipment.lines].sort((a, b) => a.sku.localeCompare(b.sku, 'en', { numeric: true }) || a.lineNo - b.lineNo);
}

export function linesByNumber(shipment: ShipmentView): ShipmentLine[] {
  return [...shipment.lines].sort((a, b) => a.lineNo - b.lineNo);
}

export function packagesByNumber(shipment: ShipmentView): ShipmentPackage[] {
  return [...shipment.packages].sort((a, b) => a.packageNo - b.packageNo);
}

/** The weights the packages carry: the exact sum of the known ones and whether every package was weighed. */
export interface WeightSummary {
  readonly packageCount: number;
  readonly weighedCount: number;
  /** Sum of the known weights in kg; null when no package was weighed. */
  readonly knownTotalKg: Decimal | null;
  /** True when there is at least one package and every package has a weight. */
  readonly complete: boolean;
}

export function weightSummary(shipment: ShipmentView): WeightSummary {
  let total: Decimal | null = null;
  let weighed = 0;
  for (const pkg of shipment.packages) {
    if (pkg.weightKg === null) continue;
    total = (total ?? new Big('0')).plus(new Big(pkg.weightKg));
    weighed += 1;
  }
  const count = shipment.packages.length;
  return { packageCount: count, weighedCount: weighed, knownTotalKg: total, complete: count > 0 && weighed === count };
}

export function decimalText(value: Decimal): string {
  return formatDecimal(value);
}

/** The calendar day of an instant in the tenant's time zone (UTC when the zone is unusable). */
export function tenantDate(tenant: TenantView, instant: Date): string {
  try {
    return businessDateAt(instant, tenant.timeZone);
  } catch {
    return instant.toISOString().slice(0, 10);
  }
}

/** Date and time of an instant for "printed at" notes, in the tenant's locale and zone. */
export function tenantDateTime(tenant: TenantView, instant: Date): string {
  try {
    return new Intl.DateTimeFormat(tenant.locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: tenant.timeZone }).format(instant);
  } catch {
    return `${instant.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  }
}

export function shipToLines(shipment: ShipmentView): string[] {
  const to = shipment.shipTo;
  return [to.name, to.line1, ...(to.line2 === null ? [] : [to.line2]), `${to.postalCode} ${to.city}`, to.countryCode];
}

export function tenantAddressLines(tenant: TenantView): string[] {
  return [
    tenant.legalName,
    tenant.addressLine1,
    ...(tenant.addressLine2 === null ? [] : [tenant.addressLine2]),
    `${tenant.postalCode} ${tenant.city}`,
    tenant.countryCode,
    ...(tenant.vatId === null ? [] : [`VAT ${tenant.vatId}`]),
    ...(tenant.registrationId === null ? [] : [`Reg. ${tenant.registrationId}`]),
  ];
}

export function footer(tenant: TenantView, shipment: ShipmentView): string {
  return `${tenant.legalName} · ${shipment.number}`;
}

/** A fact row only when the value exists. */
export function fact(label: string, value: string | null): Array<readonly [string, string]> {
  return value === null || value === '' ? [] : [[label, value] as const];
}
