import type { FastifyPluginAsync } from 'fastify';
import type { ModuleDefinition } from '../../platform/module';
import { defineNumberSeries } from '../../platform/number-series/number-series';
import type { RouteDependencies } from '../../platform/http/types';
import { loadCustomersDemo } from './customers.demo';
import { customersRoutes } from './customers.routes';
import { customerNumberSeries } from './customers.service';
import { paymentTermsRoutes } from './payment-terms.routes';
import { insertDefaultPaymentTerms } from './payment-terms.service';
import './customers.tables';

/**
 * The customers module: customers with their addresses, contacts and bank
 * accounts, and payment terms. This file is its only door: other modules use what
 * it exports and nothing else.
 */

export type { AddressView, BankAccountView, ContactView } from './customers.repo';
export type { CustomerForOrder } from './customers.queries';
export type { CustomerStatus, InvoicingMoment, InvoiceGrouping, ContactRole, AddressKind } from './customers.rules';
export { getCustomerForOrder, getCustomerStatus, findCustomerIdByNumber, lockCustomer, findCustomerIdsByIban, setCreditLimitMinor } from './customers.queries';
export {
  dueDate,
  discountDeadline,
  discountAmountMinor,
  invoiceDateFor,
  type PaymentTermsView,
  type PaymentTermsRule,
  type PaymentTermsBasis,
} from './payment-terms.rules';

const routes: FastifyPluginAsync<RouteDependencies> = async (app, deps) => {
  await app.register(paymentTermsRoutes, deps);
  await app.register(customersRoutes, deps);
};

export const customersModule: ModuleDefinition = {
  name: 'customers',
  routes,
  async setUpTenant(tx, tenantId) {
    await defineNumberSeries(tx, tenantId, customerNumberSeries, 'C{seq:6}');
    await insertDefaultPaymentTerms(tx, tenantId);
  },
  loadDemo: loadCustomersDemo,
};
