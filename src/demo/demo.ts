import type { Kysely } from 'kysely';
import { inTransaction } from '../platform/db/database';
import { systemContext } from '../platform/auth/actor';
import type { Role } from '../platform/auth/roles';
import { createUser } from '../platform/auth/users';
import type { Database } from '../platform/db/schema';
import { modules, setUpTenant } from '../app';
import { loadFulfillmentDemo } from '../modules/fulfillment';
import { loadCreditDemo, loadCreditHistoryDemo } from './credit.demo';
import { loadInvoicingDemo } from './invoicing.demo';
import { loadOrdersDemo } from './orders.demo';
import { loadPaymentsDemo } from './payments.demo';
import { findTenantBySlug } from '../platform/tenants/tenants';

export const demoTenantSlug = 'demo';
export const demoPassword = 'o2c-demo-2026';

/** One demo user per role, so each person's view of o2c can be tried. */
export const demoUsers: ReadonlyArray<{ email: string; displayName: string; roles: Role[] }> = [
  { email: 'admin@demo.o2c.example', displayName: 'Ada Admin', roles: ['admin'] },
  { email: 'sales@demo.o2c.example', displayName: 'Sam Sales', roles: ['sales'] },
  { email: 'credit@demo.o2c.example', displayName: 'Cora Credit', roles: ['credit'] },
  { email: 'warehouse@demo.o2c.example', displayName: 'Walt Warehouse', roles: ['warehouse'] },
  { email: 'billing@demo.o2c.example', displayName: 'Bea Billing', roles: ['billing'] },
  { email: 'collector@demo.o2c.example', displayName: 'Colin Collector', roles: ['collector'] },
  { email: 'cashapp@demo.o2c.example', displayName: 'Cass Cashapp', roles: ['cashapp'] },
  { email: 'controller@demo.o2c.example', displayName: 'Carla Controller', roles: ['controller'] },
  { email: 'viewer@demo.o2c.example', displayName: 'Vic Viewer', roles: ['viewer'] },
];

export interface DemoResult {
  readonly created: boolean;
  readonly tenantId: string;
}

/**
 * Loads the demo company: a German wholesaler with a user for every role. Each
 * module adds its own demo records here as it is built. Loading twice changes
 * nothing.
 */
export async function loadDemo(db: Kysely<Database>): Promise<DemoResult> {
  return inTransaction(db, async (tx) => {
    const existing = await findTenantBySlug(tx, demoTenantSlug);
    if (existing !== undefined) return { created: false, tenantId: existing.id };
    const tenant = await setUpTenant(tx, {
      slug: demoTenantSlug,
      legalName: 'Nordwind Handel GmbH',
      addressLine1: 'Friedrichstraße 123',
      addressLine2: null,
      postalCode: '10117',
      city: 'Berlin',
      countryCode: 'DE',
      vatId: 'DE123456789',
      registrationId: 'HRB 123456 B, Amtsgericht Charlottenburg',
      iban: 'DE89370400440532013000',
      bic: 'COBADEFFXXX',
      baseCurrency: 'EUR',
      timeZone: 'Europe/Berlin',
      locale: 'de-DE',
      emailSender: 'billing@nordwind.example',
    });
    const context = systemContext(tenant.id, 'demo loader');
    for (const user of demoUsers) await createUser(tx, context, { ...user, password: demoPassword });
    for (const module of modules) await module.loadDemo?.(tx, context);
    // Orders go through the submit workflow, which spans modules, so they load last.
    await loadOrdersDemo(tx, context);
    await loadFulfillmentDemo(tx, context);
    await loadCreditHistoryDemo(tx, context);
    await loadInvoicingDemo(tx, context);
    await loadPaymentsDemo(tx, context);
    await loadCreditDemo(tx, context);
    return { created: true, tenantId: tenant.id };
  });
}
