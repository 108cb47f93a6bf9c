import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogModule, demoKeyAccountPriceListName, findPriceListIdByName } from '../../../src/modules/catalog';
import { customersModule, getCustomerForOrder } from '../../../src/modules/customers';
import { systemContext } from '../../../src/platform/auth/actor';
import { bearer, startTestApp, type TestApp } from '../../support/app';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
  await t.database.handle.db.transaction().execute(async (tx) => {
    const context = systemContext(t.tenant.id, 'demo loader');
    await catalogModule.loadDemo?.(tx, context);
    await customersModule.loadDemo?.(tx, context);
  });
});
afterAll(async () => t.close());

interface Summary {
  id: string;
  number: string;
  name: string;
  countryCode: string;
  currency: string;
  vatId: string | null;
  status: string;
  blockedReason: string | null;
  paymentTermsCode: string;
  priceListId: string | null;
  invoiceGrouping: string;
}

async function demoCustomers(): Promise<Summary[]> {
  const response = await t.app.http.inject({ method: 'GET', url: '/api/v1/customers?limit=200', headers: bearer(t.tenant.keys.viewer) });
  return response.json().items;
}

describe('the demo customers', () => {
  it('are numbered C000001 onwards, in several countries and currencies', async () => {
    const customers = await demoCustomers();
    expect(customers.length).toBeGreaterThanOrEqual(8);
    expect(customers.map((customer) => customer.number)).toEqual(customers.map((_customer, index) => `C${String(index + 1).padStart(6, '0')}`));
    expect(new Set(customers.map((customer) => customer.currency))).toEqual(new Set(['EUR', 'USD', 'GBP', 'SEK', 'CHF', 'DKK']));
    for (const country of ['DE', 'FR', 'AT', 'NL', 'US', 'GB', 'SE', 'CH', 'PL']) expect(customers.map((customer) => customer.countryCode)).toContain(country);
  });

  it('include German customers on 2/10NET30 and EOM30, and a blocked one with its reason', async () => {
    const german = (await demoCustomers()).filter((customer) => customer.countryCode === 'DE');
    expect(german.map((customer) => customer.paymentTermsCode)).toEqual(expect.arrayContaining(['2/10NET30', 'EOM30']));
    const blocked = german.filter((customer) => customer.status === 'blocked');
    expect(blocked).toHaveLength(1);
    expect(blocked[0]!.blockedReason).toMatch(/overdue/);
  });

  it('give the key-account price list to one EUR customer', async () => {
    const priceListId = await findPriceListIdByName(t.database.handle.db, t.tenant.id, demoKeyAccountPriceListName);
    expect(priceListId).not.toBeNull();
    const withList = (await demoCustomers()).filter((customer) => customer.priceListId !== null);
    expect(withList.map((customer) => [customer.name, customer.priceListId])).toEqual([['Müller Elektrotechnik', priceListId]]);
  });

  it('collect the invoices of a few frequent buyers daily, and name an invoice e-mail for all but one customer', async () => {
    const customers = await demoCustomers();
    const daily = customers.filter((customer) => customer.invoiceGrouping === 'daily').map((customer) => customer.name);
    expect(daily).toEqual(expect.arrayContaining(['Müller Elektrotechnik', 'Bäckerei Schröder']));
    expect(daily.length).toBeLessThanOrEqual(3);
    expect(customers.filter((customer) => customer.invoiceGrouping !== 'daily').every((customer) => customer.invoiceGrouping === 'per_shipment')).toBe(true);
    const withoutInvoiceEmail: string[] = [];
    for (const customer of customers) {
      const forOrder = await getCustomerForOrder(t.database.handle.db, t.tenant.id, customer.id);
      expect(forOrder.invoiceGrouping).toBe(customer.invoiceGrouping);
      if (forOrder.invoiceEmail === null) withoutInvoiceEmail.push(customer.name);
      else expect(forOrder.invoiceEmail).toMatch(/@/);
    }
    expect(withoutInvoiceEmail).toEqual(['Łódź Tekstylia']);
  });

  it('have VAT ids for intra-EU businesses, none for the consumer-like one, and addresses for every customer', async () => {
    const customers = await demoCustomers();
    const byCountry = (code: string) => customers.find((customer) => customer.countryCode === code)!;
    expect(byCountry('FR').vatId).toBe('FR40303265045');
    expect(byCountry('AT').vatId).toBe('ATU13585627');
    expect(byCountry('SE').vatId).toBe('SE556012345601');
    expect(byCountry('CH').vatId).toBe('CHE116281710MWST');
    expect(byCountry('NL').vatId).toBeNull();
    expect(customers.map((customer) => customer.name)).toEqual(expect.arrayContaining(['Müller Elektrotechnik', 'Łódź Tekstylia', 'Ørbæk Maskiner']));
    for (const customer of customers) {
      const forOrder = await getCustomerForOrder(t.database.handle.db, t.tenant.id, customer.id);
      expect(forOrder.billingAddress.countryCode).toBe(customer.countryCode);
      expect(forOrder.shippingAddresses[0]!.isDefault).toBe(true);
    }
    const accounts = await t.database.handle.db.selectFrom('customer_bank_accounts').select('iban').where('tenant_id', '=', t.tenant.id).execute();
    expect(accounts.map((account) => account.iban)).toEqual(
      expect.arrayContaining(['DE89370400440532013000', 'FR1420041010050500013M02606', 'GB29NWBK60161331926819', 'CH9300762011623852957']),
    );
  });
});
