import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  findCustomerIdByNumber,
  findCustomerIdsByIban,
  getCustomerForOrder,
  lockCustomer,
} from '../../../src/modules/customers';
import type { Role } from '../../../src/platform/auth/roles';
import { AppError } from '../../../src/platform/errors/app-error';
import { bearer, createTestTenant, startTestApp, type TestApp, type TestTenant } from '../../support/app';
import { onPostgres } from '../../support/database';

/** What other modules use: the functions exported by src/modules/customers/index.ts, and price lists from the catalog. */
let t: TestApp;
let other: TestTenant;
beforeAll(async () => {
  t = await startTestApp();
  other = await createTestTenant(t.database.handle, 'other');
});
afterAll(async () => t.close());

async function call(method: 'GET' | 'POST' | 'PUT' | 'PATCH', url: string, role: Role, body?: unknown, tenant: TestTenant = t.tenant) {
  const response = await t.app.http.inject({
    method,
    url: `/api/v1${url}`,
    headers: { ...bearer(tenant.keys[role]), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
  });
  return { status: response.statusCode, body: response.json() };
}

const address = (kind: 'billing' | 'shipping', city: string, isDefault?: boolean) => ({
  kind,
  name: `Atelier Lumière – ${city}`,
  line1: '14 rue de la République',
  postalCode: '69002',
  city,
  countryCode: 'FR',
  ...(isDefault === undefined ? {} : { isDefault }),
});

function frenchCustomer(overrides: Record<string, unknown> = {}) {
  return {
    name: 'Atelier Lumière',
    legalName: 'Atelier Lumière SARL',
    vatId: 'FR40303265045',
    countryCode: 'FR',
    currency: 'EUR',
    language: 'fr',
    paymentTermsCode: '2/10NET30',
    creditLimit: '20000.00',
    addresses: [address('billing', 'Lyon'), address('shipping', 'Villeurbanne', false), address('shipping', 'Vénissieux', true)],
    bankAccounts: [{ iban: 'FR14 2004 1010 0505 0001 3M02 606' }],
    ...overrides,
  };
}

describe('getCustomerForOrder', () => {
  it('gives an order what it needs: terms, price list, limit in minor units, billing address and the default shipping address first', async () => {
    const created = (await call('POST', '/customers', 'admin', frenchCustomer())).body;
    const customer = await getCustomerForOrder(t.database.handle.db, t.tenant.id, created.id);
    expect(customer).toEqual({
      id: created.id,
      number: created.number,
      name: 'Atelier Lumière',
      legalName: 'Atelier Lumière SARL',
      status: 'active',
      currency: 'EUR',
      countryCode: 'FR',
      vatId: 'FR40303265045',
      language: 'fr',
      paymentTerms: { id: expect.any(String), code: '2/10NET30', name: expect.any(String), netDays: 30, basis: 'invoice_date', discountPercent: '2.00', discountDays: 10, active: true, version: 1 },
      priceListId: null,
      creditLimitMinor: 2_000_000n,
      invoicingMoment: 'shipment',
      invoiceGrouping: 'per_shipment',
      invoiceEmail: null,
      billingAddress: { ...address('billing', 'Lyon'), id: expect.any(String), line2: null, isDefault: true },
      shippingAddresses: [
        { ...address('shipping', 'Vénissieux', true), id: expect.any(String), line2: null },
        { ...address('shipping', 'Villeurbanne', false), id: expect.any(String), line2: null },
      ],
    });
  });

  it('gives the invoice grouping and the e-mail of the first contact who receives invoices', async () => {
    const contacts = [
      { name: 'Claire Dubois', email: 'achats@atelier-lumiere.example', roles: ['orders'] },
      { name: 'Hélène Moreau', email: 'compta@atelier-lumiere.example', roles: ['reminders', 'invoices'] },
      { name: 'Paul Martin', email: 'paul@atelier-lumiere.example', roles: ['invoices'] },
    ];
    const created = (await call('POST', '/customers', 'admin', frenchCustomer({ invoiceGrouping: 'daily', contacts }))).body;
    const customer = await getCustomerForOrder(t.database.handle.db, t.tenant.id, created.id);
    expect(customer).toMatchObject({ invoiceGrouping: 'daily', invoiceEmail: 'compta@atelier-lumiere.example' });

    const reordered = await call('PUT', `/customers/${created.id}/contacts`, 'admin', { version: 1, contacts: [contacts[2], contacts[1], contacts[0]] });
    expect(reordered.status).toBe(200);
    expect((await getCustomerForOrder(t.database.handle.db, t.tenant.id, created.id)).invoiceEmail).toBe('paul@atelier-lumiere.example');

    const withoutInvoices = await call('PUT', `/customers/${created.id}/contacts`, 'admin', { version: 2, contacts: [contacts[0]] });
    expect(withoutInvoices.status).toBe(200);
    expect((await getCustomerForOrder(t.database.handle.db, t.tenant.id, created.id)).invoiceEmail).toBeNull();
  });

  it('answers not found for an unknown id or another tenant’s customer', async () => {
    const theirs = (await call('POST', '/customers', 'admin', frenchCustomer(), other)).body;
    for (const id of [theirs.id, '01900000-0000-7000-8000-000000000000']) {
      const failure = await getCustomerForOrder(t.database.handle.db, t.tenant.id, id).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(AppError);
      expect((failure as AppError).code).toBe('O2C_NOT_FOUND');
    }
  });
});

describe('findCustomerIdByNumber and findCustomerIdsByIban', () => {
  it('find a customer of the tenant only', async () => {
    const mine = (await call('POST', '/customers', 'admin', frenchCustomer({ name: 'Numbered' }))).body;
    expect(await findCustomerIdByNumber(t.database.handle.db, t.tenant.id, mine.number)).toBe(mine.id);
    expect(await findCustomerIdByNumber(t.database.handle.db, other.id, mine.number)).not.toBe(mine.id);
    expect(await findCustomerIdByNumber(t.database.handle.db, t.tenant.id, 'C999999')).toBeNull();
    const payers = await findCustomerIdsByIban(t.database.handle.db, t.tenant.id, 'fr14 2004 1010 0505 0001 3m02 606');
    expect(payers).toContain(mine.id);
    expect(await findCustomerIdsByIban(t.database.handle.db, other.id, 'FR1420041010050500013M02606')).not.toContain(mine.id);
    expect(await findCustomerIdsByIban(t.database.handle.db, t.tenant.id, '')).toEqual([]);
  });
});

describe('lockCustomer', () => {
  it('answers not found for another tenant’s customer', async () => {
    const theirs = (await call('POST', '/customers', 'admin', frenchCustomer(), other)).body;
    const failure = await t.database.handle.db
      .transaction()
      .execute((tx) => lockCustomer(tx, t.tenant.id, theirs.id))
      .catch((error: unknown) => error);
    expect((failure as AppError).code).toBe('O2C_NOT_FOUND');
  });

  it.runIf(onPostgres)('makes a second transaction on the same customer wait until the first ends', async () => {
    const customer = (await call('POST', '/customers', 'admin', frenchCustomer())).body;
    const order: string[] = [];
    let locked!: () => void;
    const firstHoldsLock = new Promise<void>((resolve) => (locked = resolve));
    const first = t.database.handle.db.transaction().execute(async (tx) => {
      await lockCustomer(tx, t.tenant.id, customer.id);
      locked();
      await new Promise((resolve) => setTimeout(resolve, 300));
      order.push('first ends');
    });
    await firstHoldsLock;
    const second = t.database.handle.db.transaction().execute(async (tx) => {
      await lockCustomer(tx, t.tenant.id, customer.id);
      order.push('second locks');
    });
    await Promise.all([first, second]);
    expect(order).toEqual(['first ends', 'second locks']);
  });
});

describe('price lists', () => {
  it('gives a customer a price list in its own currency, checked through the catalog', async () => {
    const eur = await call('POST', '/price-lists', 'admin', { name: 'Key account EUR test', currency: 'EUR', validFrom: '2026-01-01' });
    const usd = await call('POST', '/price-lists', 'admin', { name: 'Export USD test', currency: 'USD', validFrom: '2026-01-01' });
    expect([eur.status, usd.status]).toEqual([201, 201]);
    const customer = (await call('POST', '/customers', 'sales', frenchCustomer({ creditLimit: null, priceListId: eur.body.id }))).body;
    expect(customer.priceListId).toBe(eur.body.id);
    const wrongCurrency = await call('POST', '/customers', 'sales', frenchCustomer({ creditLimit: null, priceListId: usd.body.id }));
    expect(wrongCurrency).toMatchObject({ status: 422, body: { code: 'O2C_BUSINESS_RULE', errors: [{ path: 'body.priceListId' }] } });
    // A currency change that leaves the EUR list behind is refused; changing both together works.
    const currencyOnly = await call('PATCH', `/customers/${customer.id}`, 'sales', { version: 1, currency: 'USD' });
    expect(currencyOnly).toMatchObject({ status: 422, body: { errors: [{ path: 'body.currency' }] } });
    const both = await call('PATCH', `/customers/${customer.id}`, 'sales', { version: 1, currency: 'USD', priceListId: usd.body.id });
    expect(both.body).toMatchObject({ currency: 'USD', priceListId: usd.body.id, version: 2 });
    const none = await call('PATCH', `/customers/${customer.id}`, 'sales', { version: 2, priceListId: null });
    expect(none.body.priceListId).toBeNull();
  });

  it('does not accept another tenant’s price list', async () => {
    const theirs = await call('POST', '/price-lists', 'admin', { name: 'Their list', currency: 'EUR', validFrom: '2026-01-01' }, other);
    const refused = await call('POST', '/customers', 'sales', frenchCustomer({ creditLimit: null, priceListId: theirs.body.id }));
    expect(refused).toMatchObject({ status: 400, body: { errors: [{ path: 'body.priceListId' }] } });
  });
});
