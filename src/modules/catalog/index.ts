import { systemContext } from '../../platform/auth/actor';
import type { ModuleDefinition } from '../../platform/module';
import { loadCatalogDemo } from './catalog.demo';
import { catalogRoutes } from './catalog.routes';
import './catalog.tables';
import { installTaxDefaults } from './tax-rates.service';

/**
 * The catalog module's only door: items, price lists and tax. Other modules and
 * workflows use exactly what is exported here.
 */
export const catalogModule: ModuleDefinition = {
  name: 'catalog',
  routes: catalogRoutes,
  setUpTenant: (tx, tenantId) => installTaxDefaults(tx, systemContext(tenantId, 'catalog set-up')),
  loadDemo: loadCatalogDemo,
};

export type { ItemView } from './items.service';
export { getItemsByIds, getItemsBySkus } from './items.service';

export type { ResolvedUnitPrice, PricesRequest, PriceLineRequest } from './prices.service';
export { resolveUnitPrice, resolveUnitPrices } from './prices.service';
export { priceListExists, findPriceListIdByName } from './price-lists.service';

export type { EnTaxCategory, TaxCategoryCode, ItemKind, DomesticTaxCategory } from './tax.rules';
export { isEuCountry, vatPrefixOf, enTaxCategories } from './tax.rules';
export type { LineTax, LineTaxInput } from './line-tax.service';
export { determineLineTax, determineLineTaxes } from './line-tax.service';

export type { TaxPart, TaxBreakdownLine, DocumentTax } from './document-tax.rules';
export { computeDocumentTax } from './document-tax.rules';

export { demoKeyAccountPriceListName, demoItems } from './catalog.demo';
export { defaultRevenueAccount } from './catalog.defaults';
