import type { Role } from './api';

/** What each role may see and do in the UI. The server decides again on every request. */
export const access = {
  editCompanySettings: ['admin'],
  manageUsers: ['admin'],
  manageApiKeys: ['admin'],
  readAuditLog: ['admin', 'controller'],
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
}

/** The navigation, in order. Modules that do not exist yet have no link. */
export const navigationLinks: readonly NavigationLink[] = [
  { to: '/', label: 'Home' },
  { to: '/settings', label: 'Company settings' },
  { to: '/users', label: 'Users', permission: 'manageUsers' },
  { to: '/api-keys', label: 'API keys', permission: 'manageApiKeys' },
  { to: '/audit', label: 'Audit log', permission: 'readAuditLog' },
];

export function linksFor(actorRoles: readonly Role[]): NavigationLink[] {
  return navigationLinks.filter((link) => link.permission === undefined || allows(actorRoles, link.permission));
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
