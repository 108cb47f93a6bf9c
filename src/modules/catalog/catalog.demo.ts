import type { RequestContext } from '../../platform/auth/actor';
import type { Tx } from '../../platform/db/database';
import { createItem, type NewItem } from './items.service';
import { putItemPrices } from './price-list-entries.service';
import { createPriceList } from './price-lists.service';
import { createTaxCategory } from './tax-categories.service';
import { createTaxRate } from './tax-rates.service';

/**
 * The demo company's catalog: a German wholesaler of industrial supplies with a
 * few services. Other modules' demo data find these records by SKU
 * (getItemsBySkus) and the key account list by its name (findPriceListIdByName).
 */
export const demoKeyAccountPriceListName = 'Key account EUR 2026';

/** The exempt category of the training courses (vocational training, exempt in Germany and across the EU). */
const trainingCategory = {
  code: 'exempt-training',
  name: 'Exempt: vocational training',
  domesticCategory: 'E' as const,
  exemptionReason: 'Exempt from VAT: vocational training (§ 4 Nr. 21 UStG; Art. 132(1)(i) Directive 2006/112/EC)',
  exemptionReasonCode: 'VATEX-EU-132-1I',
};

type DemoItem = NewItem & { prices: Record<string, ReadonlyArray<readonly [minQuantity: string, unitPrice: string]>> };

export const demoItems: readonly DemoItem[] = [
  {
    sku: 'BRG-6204-2RS',
    name: 'Industrial bearing 6204-2RS',
    description: 'Deep groove ball bearing, 20 × 47 × 14 mm, sealed both sides',
    kind: 'goods',
    unit: 'C62',
    taxCategoryCode: 'standard',
    prices: {
      EUR: [['1', '4.85'], ['10', '4.40'], ['100', '3.95']],
      USD: [['1', '5.30'], ['10', '4.80'], ['100', '4.30']],
      GBP: [['1', '4.15'], ['10', '3.75']],
      SEK: [['1', '55.00'], ['10', '50.00']],
    },
  },
  {
    sku: 'HOSE-12-2M',
    name: 'Hydraulic hose 1/2" 2 m',
    description: 'Two-wire braided hose, DN 12, 2 m, pressed fittings',
    kind: 'goods',
    unit: 'C62',
    taxCategoryCode: 'standard',
    prices: { EUR: [['1', '28.90'], ['10', '26.50']], USD: [['1', '31.50']], GBP: [['1', '24.60']], SEK: [['1', '329.00']] },
  },
  {
    sku: 'FILM-500',
    name: 'Pallet wrap film 500 mm',
    description: 'Stretch film, 23 µm, 500 mm × 300 m roll',
    kind: 'goods',
    unit: 'XRO',
    taxCategoryCode: 'standard',
    prices: { EUR: [['1', '12.40'], ['36', '10.90']], USD: [['1', '13.50']], GBP: [['1', '10.60']], SEK: [['1', '142.00']] },
  },
  {
    sku: 'GLOVE-9',
    name: 'Safety gloves size 9 (pair)',
    description: 'Nitrile-coated work gloves, EN 388',
    kind: 'goods',
    unit: 'PR',
    taxCategoryCode: 'standard',
    // A unit price with four decimals beyond the cent: 120 pairs cost 313.50.
    prices: { EUR: [['1', '3.25'], ['12', '2.95'], ['120', '2.6125']], USD: [['1', '3.55']], GBP: [['1', '2.80']], SEK: [['1', '37.00']] },
  },
  {
    sku: 'BOOK-HYD',
    name: 'Hydraulics handbook (technical book)',
    description: 'Reference book, 4th edition, hardcover',
    kind: 'goods',
    unit: 'C62',
    taxCategoryCode: 'reduced',
    prices: { EUR: [['1', '49.00']], USD: [['1', '54.00']], GBP: [['1', '42.00']], SEK: [['1', '560.00']] },
  },
  {
    sku: 'OIL-HLP46',
    name: 'Hydraulic oil HLP 46',
    description: 'Mineral hydraulic oil ISO VG 46, sold by the litre from the drum',
    kind: 'goods',
    unit: 'LTR',
    taxCategoryCode: 'standard',
    prices: { EUR: [['0', '4.2750'], ['200', '3.89']], USD: [['0', '4.70']], GBP: [['0', '3.65']], SEK: [['0', '48.50']] },
  },
  {
    sku: 'SHELF-2000',
    name: 'Steel shelving unit 2000 × 1000 × 500 mm',
    description: 'Bolt-free shelving, 5 shelves, 265 kg per shelf',
    kind: 'goods',
    unit: 'C62',
    taxCategoryCode: 'standard',
    // Whole prices in every currency, so the item prices cleanly in zero-decimal currencies too.
    prices: { EUR: [['1', '249'], ['5', '229']], USD: [['1', '275']], GBP: [['1', '215']], SEK: [['1', '2890']] },
  },
  {
    sku: 'SVC-INSTALL',
    name: 'On-site installation',
    description: 'Technician on site, per hour started',
    kind: 'service',
    unit: 'HUR',
    taxCategoryCode: 'standard',
    prices: { EUR: [['0', '95.00']], USD: [['0', '105.00']], GBP: [['0', '82.00']], SEK: [['0', '1090.00']] },
  },
  {
    sku: 'SVC-MAINT',
    name: 'Annual maintenance contract',
    description: 'Two inspections a year and priority call-out for hydraulic systems',
    kind: 'service',
    unit: 'ANN',
    taxCategoryCode: 'standard',
    prices: { EUR: [['0', '1200.00']], USD: [['0', '1320.00']], GBP: [['0', '1030.00']], SEK: [['0', '13800.00']] },
  },
  {
    sku: 'SVC-EXPRESS',
    name: 'Express handling',
    description: 'Same-day picking and dispatch of an order',
    kind: 'service',
    unit: 'C62',
    taxCategoryCode: 'standard',
    prices: { EUR: [['0', '25.00']], USD: [['0', '27.50']], GBP: [['0', '21.50']], SEK: [['0', '290.00']] },
  },
  {
    sku: 'TRAIN-HYD',
    name: 'Training course (VAT-exempt): hydraulics safety, one participant',
    description: 'One-day certified course at our Berlin training centre',
    kind: 'service',
    unit: 'C62',
    taxCategoryCode: trainingCategory.code,
    prices: { EUR: [['1', '390.00']] },
  },
  {
    sku: 'BRG-6204-ZZ',
    name: 'Industrial bearing 6204-ZZ (discontinued)',
    description: 'Replaced by BRG-6204-2RS',
    kind: 'goods',
    unit: 'C62',
    taxCategoryCode: 'standard',
    active: false,
    prices: { EUR: [['1', '4.20']] },
  },
];

const defaultLists = [
  { name: 'Standard EUR', currency: 'EUR' },
  { name: 'Standard USD', currency: 'USD' },
  { name: 'Standard GBP', currency: 'GBP' },
  { name: 'Standard SEK', currency: 'SEK' },
] as const;

/** The key account's own prices; items it does not list fall back to Standard EUR. */
const keyAccountPrices: Record<string, ReadonlyArray<readonly [string, string]>> = {
  'BRG-6204-2RS': [['1', '4.25'], ['100', '3.60']],
  'HOSE-12-2M': [['1', '25.90']],
  'GLOVE-9': [['1', '2.80']],
  'SVC-INSTALL': [['0', '85.00']],
};

export async function loadCatalogDemo(tx: Tx, context: RequestContext): Promise<void> {
  await createTaxCategory(tx, context, trainingCategory);
  await createTaxRate(tx, context, { taxCategoryCode: trainingCategory.code, countryCode: 'DE', ratePercent: '0', validFrom: '2020-01-01' });
  const itemIds = new Map<string, string>();
  for (const { prices: _prices, ...item } of demoItems) itemIds.set(item.sku, (await createItem(tx, context, item)).id);

  for (const list of defaultLists) {
    const created = await createPriceList(tx, context, { ...list, validFrom: '2025-01-01', isDefault: true });
    for (const item of demoItems) {
      const breaks = item.prices[list.currency];
      if (breaks === undefined) continue;
      await putItemPrices(tx, context, created.id, { itemId: itemIds.get(item.sku)!, breaks: toBreaks(breaks) });
    }
  }

  const keyAccount = await createPriceList(tx, context, { name: demoKeyAccountPriceListName, currency: 'EUR', validFrom: '2026-01-01' });
  for (const [sku, breaks] of Object.entries(keyAccountPrices)) {
    await putItemPrices(tx, context, keyAccount.id, { itemId: itemIds.get(sku)!, breaks: toBreaks(breaks) });
  }
}

const toBreaks = (breaks: ReadonlyArray<readonly [string, string]>) => breaks.map(([minQuantity, unitPrice]) => ({ minQuantity, unitPrice }));
