import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { RouteDependencies } from '../../platform/http/types';
import { itemsRoutes } from './items.routes';
import { priceListsRoutes } from './price-lists.routes';
import { taxRoutes } from './tax.routes';

/** The catalog's routes: items and units, price lists and prices, tax categories and rates. */
export const catalogRoutes: FastifyPluginAsyncZod<RouteDependencies> = async (app, deps) => {
  await itemsRoutes(app, deps);
  await priceListsRoutes(app, deps);
  await taxRoutes(app, deps);
};
