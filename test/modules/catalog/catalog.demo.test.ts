import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Big } from '../../../src/kernel';
import {
  catalogModule,
  computeDocumentTax,
  demoItems,
  demoKeyAccountPriceListName,
  determineLineTaxes,
  findPriceListIdByName,
  getItemsBySkus,
  resolveUnitPrices,
} from '../../../src/modules/catalog';
import { systemContext } from '../../../src/platform/auth/actor';
import { lineAmountMinor } from '../../../src/kernel';
import { startTestApp, type TestApp } from '../../support/app';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
  await t.database.handle.db.transaction().execute((tx) => catalogModule.loadDemo!(tx, systemContext(t.tenant.id, 'demo loader')));
});
afterAll(async () => t.close());

describe('the demo catalog', () => {
  it('has goods and services, one exempt and one discontinued', async () => {
    const items = await getItemsBySkus(t.database.handle.db, t.tenant.id, demoItems.map((item) => item.sku));
    expect(items.size).toBe(12);
    const kinds = [...items.values()].map((item) => item.kind);
    expect(kinds.filter((kind) => kind === 'service')).toHaveLength(4);
    expect(items.get('TRAIN-HYD')).toMatchObject({ taxCategoryCode: 'exempt-training', unit: 'C62' });
    expect(items.get('BOOK-HYD')).toMatchObject({ taxCategoryCode: 'reduced' });
    expect(items.get('BRG-6204-ZZ')).toMatchObject({ active: false });
  });

  it('prices a key account order from its own list, falling back to Standard EUR, and taxes it', async () => {
    const db = t.database.handle.db;
    const keyAccount = await findPriceListIdByName(db, t.tenant.id, demoKeyAccountPriceListName);
    expect(keyAccount).not.toBeNull();
    const items = await getItemsBySkus(db, t.tenant.id, ['BRG-6204-2RS', 'FILM-500', 'GLOVE-9', 'BOOK-HYD', 'TRAIN-HYD']);
    const lines = [
      { sku: 'BRG-6204-2RS', quantity: '100' },
      { sku: 'FILM-500', quantity: '36' },
      { sku: 'GLOVE-9', quantity: '120' },
      { sku: 'BOOK-HYD', quantity: '2' },
      { sku: 'TRAIN-HYD', quantity: '1' },
    ];
    const prices = await resolveUnitPrices(db, t.tenant.id, {
      currency: 'EUR',
      date: '2026-11-20',
      customerPriceListId: keyAccount,
      lines: lines.map((line) => ({ itemId: items.get(line.sku)!.id, quantity: new Big(line.quantity) })),
    });
    expect(prices.map((price) => [price!.unitPrice.toFixed(), price!.source])).toEqual([
      ['3.6', 'customer'],
      ['10.9', 'default'],
      ['2.8', 'customer'],
      ['49', 'default'],
      ['390', 'default'],
    ]);
    const taxes = await determineLineTaxes(db, t.tenant.id, {
      sellerCountry: 'DE',
      buyerCountry: 'DE',
      buyerVatId: 'DE811907980',
      date: '2026-11-20',
      items: lines.map((line) => items.get(line.sku)!),
    });
    const nets = lines.map((line, index) => lineAmountMinor(prices[index]!.unitPrice, new Big(line.quantity), 'EUR'));
    expect(nets).toEqual([36000n, 39240n, 33600n, 9800n, 39000n]);
    const tax = computeDocumentTax(
      nets.map((netMinor, index) => ({ netMinor, ...taxes[index]! })),
      'EUR',
    );
    expect(tax.breakdown.map((line) => [line.categoryCode, line.ratePercent, line.taxableMinor, line.taxMinor, line.exemptionReasonCode])).toEqual([
      ['S', '7', 9800n, 686n, null],
      ['S', '19', 108840n, 20680n, null],
      ['E', '0', 39000n, 0n, 'VATEX-EU-132-1I'],
    ]);
    expect(tax.partTaxMinor.reduce((sum, part) => sum + part, 0n)).toBe(21366n);
  });

  it('prices in USD, GBP and SEK from their default lists', async () => {
    const db = t.database.handle.db;
    const [shelf] = (await getItemsBySkus(db, t.tenant.id, ['SHELF-2000'])).values();
    for (const [currency, expected] of [['USD', '275'], ['GBP', '215'], ['SEK', '2890']] as const) {
      const [price] = await resolveUnitPrices(db, t.tenant.id, { currency, date: '2026-11-20', customerPriceListId: null, lines: [{ itemId: shelf!.id, quantity: new Big('1') }] });
      expect(price!.unitPrice.toFixed()).toBe(expected);
    }
  });
});
