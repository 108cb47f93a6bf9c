import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { anyRole, type Role } from '../../platform/auth/roles';
import { command, contextOf, created, ok } from '../../platform/http/command';
import { defaultPageSize, pageQuery, pageSchema } from '../../platform/http/pagination';
import { idParams } from '../../platform/http/schemas';
import type { RouteDependencies } from '../../platform/http/types';
import { z } from 'zod';
import { listCustomers } from './customers.queries';
import { getCustomer } from './customers.repo';
import {
  addressesBody,
  bankAccountsBody,
  blockBody,
  contactsBody,
  customerChangeBody,
  customerQuery,
  customerSchema,
  customerSummarySchema,
  newCustomerBody,
  statusActionBody,
} from './customers.schemas';
import { createCustomer, replaceChildren, updateCustomer } from './customers.service';
import { changeCustomerStatus } from './customers.status';

const readers = { access: { roles: anyRole } } as const;
const masterData = { access: { roles: ['admin', 'sales'] as Role[] } } as const;
const creditDecisions = { access: { roles: ['admin', 'credit'] as Role[] } } as const;
/** Sales change master data, credit the credit limit; the use case checks which fields each may change. */
const patchers = { access: { roles: ['admin', 'sales', 'credit'] as Role[] } } as const;
const tags = ['customers'];

/** Customers: master data with addresses, contacts and bank accounts; block, unblock, archive, restore. */
export const customersRoutes: FastifyPluginAsyncZod<RouteDependencies> = async (app, deps) => {
  app.get(
    '/customers',
    {
      config: readers,
      schema: {
        tags,
        summary: 'List customers (archived ones only when asked for by status)',
        querystring: z.strictObject({ ...pageQuery, ...customerQuery }),
        response: { 200: pageSchema(customerSummarySchema) },
      },
    },
    async (request) => {
      const { limit, cursor, status, country, currency, q } = request.query;
      return listCustomers(deps.db, contextOf(request).actor.tenantId, {
        limit: limit ?? defaultPageSize,
        ...(cursor === undefined ? {} : { cursor }),
        ...(status === undefined ? {} : { status }),
        ...(country === undefined ? {} : { countryCode: country }),
        ...(currency === undefined ? {} : { currency }),
        ...(q === undefined ? {} : { search: q }),
      });
    },
  );

  app.post(
    '/customers',
    {
      config: masterData,
      schema: {
        tags,
        summary: 'Create a customer with its addresses, contacts and bank accounts; the number comes from the customer series',
        description: 'A credit limit may be given only by a caller who also holds the admin or credit role.',
        body: newCustomerBody,
        response: { 201: customerSchema },
      },
    },
    async (request, reply) =>
      command(deps.db, request, reply, async (tx, context) =>
        created(await createCustomer(tx, context, { ...request.body, legalName: request.body.legalName ?? request.body.name })),
      ),
  );

  app.get(
    '/customers/:id',
    { config: readers, schema: { tags, summary: 'Read a customer with its addresses, contacts and bank accounts', params: idParams, response: { 200: customerSchema } } },
    async (request) => getCustomer(deps.db, contextOf(request).actor.tenantId, request.params.id),
  );

  app.patch(
    '/customers/:id',
    {
      config: patchers,
      schema: {
        tags,
        summary: 'Change a customer’s own fields (send the version you read)',
        description:
          'Admin and sales change the master data; changing creditLimit needs the admin or credit role (403 O2C_FORBIDDEN otherwise). A currency change with a credit limit in place must restate the limit.',
        params: idParams,
        body: customerChangeBody,
        response: { 200: customerSchema },
      },
    },
    async (request, reply) => command(deps.db, request, reply, async (tx, context) => ok(await updateCustomer(tx, context, request.params.id, request.body))),
  );

  app.put(
    '/customers/:id/addresses',
    {
      config: masterData,
      schema: {
        tags,
        summary: 'Replace the customer’s addresses: exactly one billing address, at least one shipping address (one default)',
        params: idParams,
        body: addressesBody,
        response: { 200: customerSchema },
      },
    },
    async (request, reply) =>
      command(deps.db, request, reply, async (tx, context) =>
        ok(await replaceChildren(tx, context, request.params.id, 'addresses', { version: request.body.version, items: request.body.addresses })),
      ),
  );

  app.put(
    '/customers/:id/contacts',
    {
      config: masterData,
      schema: { tags, summary: 'Replace the customer’s contacts', params: idParams, body: contactsBody, response: { 200: customerSchema } },
    },
    async (request, reply) =>
      command(deps.db, request, reply, async (tx, context) =>
        ok(await replaceChildren(tx, context, request.params.id, 'contacts', { version: request.body.version, items: request.body.contacts })),
      ),
  );

  app.put(
    '/customers/:id/bank-accounts',
    {
      config: masterData,
      schema: {
        tags,
        summary: 'Replace the customer’s known bank accounts (IBANs are checked; cash application matches payers by them)',
        params: idParams,
        body: bankAccountsBody,
        response: { 200: customerSchema },
      },
    },
    async (request, reply) =>
      command(deps.db, request, reply, async (tx, context) =>
        ok(await replaceChildren(tx, context, request.params.id, 'bankAccounts', { version: request.body.version, items: request.body.bankAccounts })),
      ),
  );

  app.post(
    '/customers/:id/block',
    {
      config: creditDecisions,
      schema: { tags, summary: 'Block an active customer, with a reason: no new orders', params: idParams, body: blockBody, response: { 200: customerSchema } },
    },
    async (request, reply) =>
      command(deps.db, request, reply, async (tx, context) => ok(await changeCustomerStatus(tx, context, request.params.id, 'block', request.body))),
  );

  app.post(
    '/customers/:id/unblock',
    {
      config: creditDecisions,
      schema: { tags, summary: 'Unblock a blocked customer', params: idParams, body: statusActionBody, response: { 200: customerSchema } },
    },
    async (request, reply) =>
      command(deps.db, request, reply, async (tx, context) => ok(await changeCustomerStatus(tx, context, request.params.id, 'unblock', request.body ?? {}))),
  );

  app.post(
    '/customers/:id/archive',
    {
      config: masterData,
      schema: {
        tags,
        summary: 'Archive a customer: kept for history and references, left out of lists, read-only until restored',
        params: idParams,
        body: statusActionBody,
        response: { 200: customerSchema },
      },
    },
    async (request, reply) =>
      command(deps.db, request, reply, async (tx, context) => ok(await changeCustomerStatus(tx, context, request.params.id, 'archive', request.body ?? {}))),
  );

  app.post(
    '/customers/:id/restore',
    {
      config: masterData,
      schema: { tags, summary: 'Restore an archived customer to active', params: idParams, body: statusActionBody, response: { 200: customerSchema } },
    },
    async (request, reply) =>
      command(deps.db, request, reply, async (tx, context) => ok(await changeCustomerStatus(tx, context, request.params.id, 'restore', request.body ?? {}))),
  );
};
