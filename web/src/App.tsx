import type { ReactNode } from 'react';
import { Navigate, Route, Routes, useLocation } from 'react-router-dom';
import { landingPage, type Permission } from './access';
import { Layout } from './components/Layout';
import { RequirePermission } from './components/RequirePermission';
import { ApiKeysPage } from './pages/ApiKeysPage';
import { AuditLogPage } from './pages/AuditLogPage';
import { HomePage } from './pages/HomePage';
import { LoginPage } from './pages/LoginPage';
import { NotFoundPage } from './pages/NotFoundPage';
import { SettingsPage } from './pages/SettingsPage';
import { UsersPage } from './pages/UsersPage';
import { ItemDetailPage } from './pages/catalog/ItemDetailPage';
import { ItemsPage } from './pages/catalog/ItemsPage';
import { PriceListDetailPage } from './pages/catalog/PriceListDetailPage';
import { PriceListsPage } from './pages/catalog/PriceListsPage';
import { TaxPage } from './pages/catalog/TaxPage';
import { CustomerDetailPage } from './pages/customers/CustomerDetailPage';
import { CustomerFormPage } from './pages/customers/CustomerFormPage';
import { CustomersPage } from './pages/customers/CustomersPage';
import { OrderDetailPage } from './pages/orders/OrderDetailPage';
import { OrderEntryPage } from './pages/orders/OrderEntryPage';
import { OrderImportPage } from './pages/orders/OrderImportPage';
import { OrdersPage } from './pages/orders/OrdersPage';
import { BackordersPage } from './pages/shipping/BackordersPage';
import { ShipmentDetailPage } from './pages/shipping/ShipmentDetailPage';
import { ShippingPage } from './pages/shipping/ShippingPage';
import { StockMovementsPage } from './pages/stock/StockMovementsPage';
import { StockPage } from './pages/stock/StockPage';
import { WarehousesPage } from './pages/stock/WarehousesPage';
import { AccountLedgerPage } from './pages/ledger/AccountLedgerPage';
import { AccountsPage } from './pages/ledger/AccountsPage';
import { ExchangeRatesPage } from './pages/ledger/ExchangeRatesPage';
import { JournalEntryPage } from './pages/ledger/JournalEntryPage';
import { JournalPage } from './pages/ledger/JournalPage';
import { ManualEntryPage } from './pages/ledger/ManualEntryPage';
import { PeriodsPage } from './pages/ledger/PeriodsPage';
import { TrialBalancePage } from './pages/ledger/TrialBalancePage';
import { InvoiceDetailPage } from './pages/invoicing/InvoiceDetailPage';
import { InvoicesPage } from './pages/invoicing/InvoicesPage';
import { ReadyToInvoicePage } from './pages/invoicing/ReadyToInvoicePage';
import { useSession } from './session';

interface FromState {
  readonly from?: string;
}

const only = (permission: Permission | readonly Permission[], page: ReactNode) => <RequirePermission permission={permission}>{page}</RequirePermission>;

export function App() {
  const { state, refresh } = useSession();
  const location = useLocation();

  if (state.status === 'loading') {
    return (
      <p className="loading" role="status">
        Loading…
      </p>
    );
  }

  if (state.status === 'unavailable') {
    return (
      <div className="centered">
        <div className="message message-error" role="alert">
          <p>o2c could not be reached: {state.message}</p>
          <button type="button" onClick={() => void refresh()}>
            Try again
          </button>
        </div>
      </div>
    );
  }

  if (state.status === 'signed-out') {
    return (
      <Routes>
        <Route path="/login" element={<LoginPage notice={state.notice} />} />
        <Route path="*" element={<Navigate to="/login" replace state={{ from: location.pathname + location.search } satisfies FromState} />} />
      </Routes>
    );
  }

  // After signing in, a deep link opens where it pointed; otherwise each person lands on their work queue.
  const from = (location.state as FromState | null)?.from;
  const afterSignIn = from !== undefined && from !== '/login' && from !== '/' ? from : landingPage(state.me.actor.roles);
  return (
    <Routes>
      <Route path="/login" element={<Navigate to={afterSignIn} replace />} />
      <Route element={<Layout />}>
        <Route index element={<HomePage />} />
        <Route path="settings" element={<SettingsPage />} />
        <Route path="users" element={only('manageUsers', <UsersPage />)} />
        <Route path="api-keys" element={only('manageApiKeys', <ApiKeysPage />)} />
        <Route path="audit" element={only('readAuditLog', <AuditLogPage />)} />

        <Route path="orders" element={<OrdersPage />} />
        <Route path="orders/new" element={<OrderEntryPage />} />
        <Route path="orders/import" element={<OrderImportPage />} />
        <Route path="orders/:orderId" element={<OrderDetailPage />} />
        <Route path="orders/:orderId/edit" element={<OrderEntryPage />} />

        <Route path="customers" element={<CustomersPage />} />
        <Route path="customers/new" element={only('editCustomers', <CustomerFormPage />)} />
        <Route path="customers/:customerId" element={<CustomerDetailPage />} />
        <Route path="customers/:customerId/edit" element={only(['editCustomers', 'editCreditLimit'], <CustomerFormPage />)} />

        <Route path="items" element={<ItemsPage />} />
        <Route path="items/:itemId" element={<ItemDetailPage />} />
        <Route path="price-lists" element={<PriceListsPage />} />
        <Route path="price-lists/:priceListId" element={<PriceListDetailPage />} />
        <Route path="tax" element={<TaxPage />} />

        <Route path="shipping" element={<ShippingPage />} />
        <Route path="shipments" element={<Navigate to="/shipping" replace />} />
        <Route path="shipments/:shipmentId" element={<ShipmentDetailPage />} />
        <Route path="backorders" element={<BackordersPage />} />

        <Route path="stock" element={<StockPage />} />
        <Route path="stock/movements" element={<StockMovementsPage />} />
        <Route path="warehouses" element={<WarehousesPage />} />

        <Route path="invoicing" element={<ReadyToInvoicePage />} />
        <Route path="invoices" element={<InvoicesPage />} />
        <Route path="invoices/:invoiceId" element={<InvoiceDetailPage />} />

        <Route path="ledger" element={<Navigate to="/ledger/trial-balance" replace />} />
        <Route path="ledger/trial-balance" element={only('readLedger', <TrialBalancePage />)} />
        <Route path="ledger/journal" element={only('readLedger', <JournalPage />)} />
        <Route path="ledger/journal/new" element={only('editLedger', <ManualEntryPage />)} />
        <Route path="ledger/journal/:entryId" element={only('readLedger', <JournalEntryPage />)} />
        <Route path="ledger/account-ledger" element={only('readLedger', <AccountLedgerPage />)} />
        <Route path="ledger/accounts" element={<AccountsPage />} />
        <Route path="ledger/exchange-rates" element={<ExchangeRatesPage />} />
        <Route path="ledger/periods" element={only('readLedger', <PeriodsPage />)} />

        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}
