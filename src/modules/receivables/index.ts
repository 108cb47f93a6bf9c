import type { ModuleDefinition } from '../../platform/module';
import { receivablesRoutes } from './receivables.routes';

export { openItems, statement, aging, reconciliation } from './receivables.service';

/** Receivables: open items, customer statements (JSON, CSV, PDF), aging as of any date, and the subledger-to-ledger reconciliation. */
export const receivablesModule: ModuleDefinition = {
  name: 'receivables',
  routes: receivablesRoutes,
};
