import type { Role } from './api';

/** What each role may see and do in the UI. The server decides again on every request. */
export const access = {
  editCompanySettings: ['admin'],
  manageUsers: ['admin'],
  manageApiKeys: ['admin'],
  readAuditLog: ['admin', 'controller'],
  /** Create, quote, change, submit, cancel and import orders. */
  enterOrders: ['admin', 'sales'],
  /** Create customers and change their master data, addresses, contacts and bank accounts; archive and restore. */
  editCustomers: ['admin', 'sales'],
  /** Set or change a customer's credit limit. */
  editCreditLimit: ['admin', 'credit'],
  /** Block and unblock customers. */
  blockCustomers: ['admin', 'credit'],
  /** Items, price lists and their prices. */
  editCatalog: ['admin', 'sales'],
  /** Tax categories and rates; payment terms. */
  editTax: ['admin', 'controller'],
  /** Receipts, adjustments and warehouses. */
  moveStock: ['admin', 'warehouse'],
  /** Create, pick, pack, ship, deliver and cancel shipments; allocate backorders. */
  shipGoods: ['admin', 'warehouse'],
  /** Read the journal, the trial balance and the account ledger. */
  readLedger: ['admin', 'controller', 'billing', 'collector', 'cashapp', 'viewer'],
  /** Accounts, manual journal entries and reversals, exchange rates. */
  editLedger: ['admin', 'controller'],
  /** Close and reopen accounting periods. */
  closePeriods: ['controller'],
  /** Draft, change, issue, send, credit and correct invoices; run the invoicing of everything ready. */
  issueInvoices: ['admin', 'billing'],
  /** Whether automatic invoices are issued at once or wait as drafts. */
  editInvoicingSettings: ['admin'],
  /** Record payments, apply and undo them, refund and reverse; apply and refund credit notes. */
  recordPayments: ['admin', 'cashapp', 'collector'],
  /** Ask for what an invoice leaves open to be written off. */
  requestWriteOffs: ['admin', 'collector', 'cashapp', 'billing', 'controller'],
  /** Approve or reject write-offs (never one's own; above the threshold only a controller approves). */
  decideWriteOffs: ['admin', 'controller', 'collector'],
  /** Compare the receivables subledger with the ledger. */
  reconcileReceivables: ['admin', 'controller', 'collector', 'cashapp', 'viewer'],
  /** Read the credit review queue, customers' credit positions, scores, limit requests and the credit policy. */
  readCredit: ['admin', 'credit', 'sales', 'controller', 'collector', 'viewer'],
  /** Release or reject held orders, set limits, block and unblock credit, decide limit requests (never one's own). */
  decideCredit: ['credit'],
  /** Ask a credit manager for a customer's limit. */
  requestLimits: ['admin', 'sales', 'credit'],
  /** Change the credit policy and score customers. */
  creditPolicy: ['admin', 'credit'],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof access;

export function allows(actorRoles: readonly Role[], permission: Permission): boolean {
  const admitted: readonly Role[] = access[permission];
  return actorRoles.some((role) => admitted.includes(role));
}

export interface NavigationLink {
  readonly to: string;
  readonly label: string;
  /** Absent: everyone signed in. */
  readonly permission?: Permission;
  /** Other path prefixes that belong to this link's section (it shows as current there too). */
  readonly section?: readonly string[];
}

/** The navigation, in order. Modules that do not exist yet have no link. */
export const navigationLinks: readonly NavigationLink[] = [
  { to: '/', label: 'Home' },
  { to: '/orders', label: 'Orders' },
  { to: '/customers', label: 'Customers' },
  { to: '/items', label: 'Items & prices', section: ['/price-lists', '/tax'] },
  { to: '/shipping', label: 'Shipping', section: ['/shipments', '/backorders'] },
  { to: '/stock', label: 'Stock', section: ['/warehouses'] },
  { to: '/invoicing', label: 'Invoicing', section: ['/invoices'] },
  { to: '/payments', label: 'Payments', section: ['/write-offs'] },
  { to: '/receivables/aging', label: 'Receivables', section: ['/receivables'] },
  { to: '/credit/reviews', label: 'Credit', permission: 'readCredit', section: ['/credit'] },
  { to: '/ledger', label: 'Ledger', permission: 'readLedger' },
  { to: '/settings', label: 'Company settings' },
  { to: '/users', label: 'Users', permission: 'manageUsers' },
  { to: '/api-keys', label: 'API keys', permission: 'manageApiKeys' },
  { to: '/audit', label: 'Audit log', permission: 'readAuditLog' },
];

export function linksFor(actorRoles: readonly Role[]): NavigationLink[] {
  return navigationLinks.filter((link) => link.permission === undefined || allows(actorRoles, link.permission));
}

/** True when the path belongs to the link's section. */
export function isCurrent(link: NavigationLink, pathname: string): boolean {
  const prefixes = [link.to, ...(link.section ?? [])];
  return prefixes.some((prefix) => (prefix === '/' ? pathname === '/' : pathname === prefix || pathname.startsWith(`${prefix}/`)));
}

/** Where a person lands after signing in: their work queue. */
export function landingPage(actorRoles: readonly Role[]): string {
  if (actorRoles.includes('admin') || actorRoles.includes('sales')) return '/orders';
  if (actorRoles.includes('credit')) return '/credit/reviews';
  if (actorRoles.includes('warehouse')) return '/shipping';
  if (actorRoles.includes('billing')) return '/invoicing';
  if (actorRoles.includes('cashapp')) return '/payments?unapplied=true';
  if (actorRoles.includes('collector')) return '/receivables/aging';
  if (actorRoles.includes('controller')) return '/ledger/trial-balance';
  return '/';
}

export const roleLabels: Record<Role, string> = {
  admin: 'Administrator',
  sales: 'Sales',
  credit: 'Credit',
  warehouse: 'Warehouse',
  billing: 'Billing',
  collector: 'Collector',
  cashapp: 'Cash application',
  controller: 'Controller',
  viewer: 'Viewer',
};
