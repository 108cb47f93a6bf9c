import { lazy, type ComponentType, type ReactNode } from 'react';
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
import { useSession } from './session';

/**
 * The pages of each business area load when first opened, so signing in fetches
 * the shell and the landing page rather than the whole application.
 */
function lazyPage<Name extends string>(load: () => Promise<Record<Name, ComponentType>>, name: Name) {
  return lazy(async () => ({ default: (await load())[name] }));
}

const ItemDetailPage = lazyPage(() => import('./pages/catalog/ItemDetailPage'), 'ItemDetailPage');
const ItemsPage = lazyPage(() => import('./pages/catalog/ItemsPage'), 'ItemsPage');
const PriceListDetailPage = lazyPage(() => import('./pages/catalog/PriceListDetailPage'), 'PriceListDetailPage');
const PriceListsPage = lazyPage(() => import('./pages/catalog/PriceListsPage'), 'PriceListsPage');
const TaxPage = lazyPage(() => import('./pages/catalog/TaxPage'), 'TaxPage');
const CustomerDetailPage = lazyPage(() => import('./pages/customers/CustomerDetailPage'), 'CustomerDetailPage');
const CustomerFormPage = lazyPage(() => import('./pages/customers/CustomerFormPage'), 'CustomerFormPage');
const CustomersPage = lazyPage(() => import('./pages/customers/CustomersPage'), 'CustomersPage');
const OrderDetailPage = lazyPage(() => import('./pages/orders/OrderDetailPage'), 'OrderDetailPage');
const OrderEntryPage = lazyPage(() => import('./pages/orders/OrderEntryPage'), 'OrderEntryPage');
const OrderImportPage = lazyPage(() => import('./pages/orders/OrderImportPage'), 'OrderImportPage');
const OrdersPage = lazyPage(() => import('./pages/orders/OrdersPage'), 'OrdersPage');
const BackordersPage = lazyPage(() => import('./pages/shipping/BackordersPage'), 'BackordersPage');
const ShipmentDetailPage = lazyPage(() => import('./pages/shipping/ShipmentDetailPage'), 'ShipmentDetailPage');
const ShippingPage = lazyPage(() => import('./pages/shipping/ShippingPage'), 'ShippingPage');
const StockMovementsPage = lazyPage(() => import('./pages/stock/StockMovementsPage'), 'StockMovementsPage');
const StockPage = lazyPage(() => import('./pages/stock/StockPage'), 'StockPage');
const WarehousesPage = lazyPage(() => import('./pages/stock/WarehousesPage'), 'WarehousesPage');
const AccountLedgerPage = lazyPage(() => import('./pages/ledger/AccountLedgerPage'), 'AccountLedgerPage');
const AccountsPage = lazyPage(() => import('./pages/ledger/AccountsPage'), 'AccountsPage');
const ExchangeRatesPage = lazyPage(() => import('./pages/ledger/ExchangeRatesPage'), 'ExchangeRatesPage');
const JournalEntryPage = lazyPage(() => import('./pages/ledger/JournalEntryPage'), 'JournalEntryPage');
const JournalPage = lazyPage(() => import('./pages/ledger/JournalPage'), 'JournalPage');
const ManualEntryPage = lazyPage(() => import('./pages/ledger/ManualEntryPage'), 'ManualEntryPage');
const PeriodsPage = lazyPage(() => import('./pages/ledger/PeriodsPage'), 'PeriodsPage');
const TrialBalancePage = lazyPage(() => import('./pages/ledger/TrialBalancePage'), 'TrialBalancePage');
const InvoiceDetailPage = lazyPage(() => import('./pages/invoicing/InvoiceDetailPage'), 'InvoiceDetailPage');
const InvoicesPage = lazyPage(() => import('./pages/invoicing/InvoicesPage'), 'InvoicesPage');
const ReadyToInvoicePage = lazyPage(() => import('./pages/invoicing/ReadyToInvoicePage'), 'ReadyToInvoicePage');
const PaymentDetailPage = lazyPage(() => import('./pages/payments/PaymentDetailPage'), 'PaymentDetailPage');
const PaymentsPage = lazyPage(() => import('./pages/payments/PaymentsPage'), 'PaymentsPage');
const RecordPaymentPage = lazyPage(() => import('./pages/payments/RecordPaymentPage'), 'RecordPaymentPage');
const WriteOffsPage = lazyPage(() => import('./pages/payments/WriteOffsPage'), 'WriteOffsPage');
const AgingPage = lazyPage(() => import('./pages/receivables/AgingPage'), 'AgingPage');
const CustomerAccountPage = lazyPage(() => import('./pages/receivables/CustomerAccountPage'), 'CustomerAccountPage');
const ReconciliationPage = lazyPage(() => import('./pages/receivables/ReconciliationPage'), 'ReconciliationPage');
const CreditReviewsPage = lazyPage(() => import('./pages/credit/CreditReviewsPage'), 'CreditReviewsPage');
const CreditReviewPage = lazyPage(() => import('./pages/credit/CreditReviewPage'), 'CreditReviewPage');
const CustomerCreditPage = lazyPage(() => import('./pages/credit/CustomerCreditPage'), 'CustomerCreditPage');
const LimitRequestsPage = lazyPage(() => import('./pages/credit/LimitRequestsPage'), 'LimitRequestsPage');
const CreditSettingsPage = lazyPage(() => import('./pages/credit/CreditSettingsPage'), 'CreditSettingsPage');

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
        <Route path="customers/:customerId/account" element={<CustomerAccountPage />} />
        <Route path="customers/:customerId/credit" element={only('readCredit', <CustomerCreditPage />)} />

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

        <Route path="payments" element={<PaymentsPage />} />
        <Route path="payments/new" element={only('recordPayments', <RecordPaymentPage />)} />
        <Route path="payments/:paymentId" element={<PaymentDetailPage />} />
        <Route path="write-offs" element={<WriteOffsPage />} />

        <Route path="receivables" element={<Navigate to="/receivables/aging" replace />} />
        <Route path="receivables/aging" element={<AgingPage />} />
        <Route path="receivables/reconciliation" element={only('reconcileReceivables', <ReconciliationPage />)} />

        <Route path="credit" element={<Navigate to="/credit/reviews" replace />} />
        <Route path="credit/reviews" element={only('readCredit', <CreditReviewsPage />)} />
        <Route path="credit/reviews/:reviewId" element={only('readCredit', <CreditReviewPage />)} />
        <Route path="credit/limit-requests" element={only('readCredit', <LimitRequestsPage />)} />
        <Route path="credit/settings" element={only('readCredit', <CreditSettingsPage />)} />

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
