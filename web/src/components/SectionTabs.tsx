import { NavLink } from 'react-router-dom';
import { allows, type Permission } from '../access';
import { useMe } from '../session';

interface SectionTabsProps {
  readonly label: string;
  readonly links: ReadonlyArray<{ readonly to: string; readonly label: string; readonly end?: boolean; readonly permission?: Permission }>;
}

/** The pages of one section (Items · Price lists · Tax), below the main navigation. */
export function SectionTabs({ label, links }: SectionTabsProps) {
  const me = useMe();
  const shown = links.filter((link) => link.permission === undefined || allows(me.actor.roles, link.permission));
  return (
    <nav className="section-tabs" aria-label={label}>
      <ul>
        {shown.map((link) => (
          <li key={link.to}>
            <NavLink to={link.to} end={link.end ?? false}>
              {link.label}
            </NavLink>
          </li>
        ))}
      </ul>
    </nav>
  );
}

export const catalogTabs = [
  { to: '/items', label: 'Items' },
  { to: '/price-lists', label: 'Price lists' },
  { to: '/tax', label: 'Tax' },
];

export const stockTabs = [
  { to: '/stock', label: 'Stock levels', end: true },
  { to: '/stock/movements', label: 'Movements' },
  { to: '/warehouses', label: 'Warehouses' },
];

export const orderTabs = [
  { to: '/orders', label: 'Orders', end: true },
  { to: '/orders/new', label: 'New order', permission: 'enterOrders' as const },
  { to: '/orders/import', label: 'Import', permission: 'enterOrders' as const },
];

export const ledgerTabs = [
  { to: '/ledger/trial-balance', label: 'Trial balance' },
  { to: '/ledger/journal', label: 'Journal', end: true },
  { to: '/ledger/journal/new', label: 'New manual entry', permission: 'editLedger' as const },
  { to: '/ledger/account-ledger', label: 'Account ledger' },
  { to: '/ledger/accounts', label: 'Chart of accounts' },
  { to: '/ledger/exchange-rates', label: 'Exchange rates' },
  { to: '/ledger/periods', label: 'Periods' },
];

export const shippingTabs = [
  { to: '/shipping', label: 'Ready to ship & shipments', end: true },
  { to: '/backorders', label: 'Backorders' },
];
