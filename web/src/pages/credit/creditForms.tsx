import { useId, useState } from 'react';
import { ActionKey, ApiError, requestCreditLimit, setCreditLimit, type CreditLimitChange, type CreditLimitRequest, type CustomerSummary } from '../../api';
import { Field, TextAreaField } from '../../components/Field';
import { FormActions } from '../../components/FormActions';
import { SaveError } from '../../components/SaveError';
import { compareDecimal, parseDecimalInput } from '../../decimal';
import { todayIn } from '../../format';
import { useMe } from '../../session';
import { useSubmit } from '../../useSubmit';
import { CustomerCombobox } from '../orders/orderParts';

/** A limit as typed: zero or more. */
function parseLimit(text: string): string | null {
  const amount = parseDecimalInput(text);
  return amount !== null && compareDecimal(amount, '0') >= 0 ? amount : null;
}

const limitProblem = 'Enter the limit, zero or more, such as 25000.00.';
const expiryHint = 'Leave empty to change the customer’s own limit. With a date the limit is temporary: in force up to and including that day, then the own limit applies again.';

interface LimitFormProps {
  readonly customer: { readonly id: string; readonly name: string };
  readonly currency: string;
  readonly onDone: (change: CreditLimitChange) => void;
  readonly onClose: () => void;
}

/** A credit manager sets a customer's limit, or a temporary one until a day, with the reason. */
export function LimitForm({ customer, currency, onDone, onClose }: LimitFormProps) {
  const id = useId();
  const today = todayIn(useMe().tenant.timeZone);
  const [limit, setLimit] = useState('');
  const [expiresOn, setExpiresOn] = useState('');
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<string | undefined>(undefined);
  const submit = useSubmit(async () => {
    const amount = parseLimit(limit);
    setProblem(amount === null ? limitProblem : undefined);
    if (amount === null) return;
    onDone(await setCreditLimit(customer.id, { limit: amount, reason: reason.trim(), expiresOn: expiresOn === '' ? null : expiresOn }));
  });
  const apiError = submit.error instanceof ApiError ? submit.error : null;
  return (
    <section className="card card-highlight credit-form" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Set the credit limit of {customer.name}</h2>
      <form onSubmit={(event) => void submit.run(event)}>
        <div className="field-grid">
          <Field label={`Credit limit (${currency})`} inputMode="decimal" className="num-input" required value={limit} onChange={setLimit} error={problem ?? apiError?.fieldError('limit')} autoFocus />
          <Field label="Temporary until" type="date" min={today} value={expiresOn} onChange={setExpiresOn} hint={expiryHint} error={apiError?.fieldError('expiresOn')} />
        </div>
        <TextAreaField label="Reason for the limit" required maxLength={500} value={reason} onChange={setReason} error={apiError?.fieldError('reason')} />
        <SaveError error={submit.error} shownFields={['limit', 'expiresOn', 'reason']} />
        <FormActions submit="Save limit" busy={submit.busy} onCancel={onClose} />
      </form>
    </section>
  );
}

interface LimitRequestFormProps {
  /** A customer chosen already (its credit page); without one the form asks for it. */
  readonly customer: { readonly id: string; readonly name: string; readonly currency: string } | null;
  readonly onDone: (request: CreditLimitRequest) => void;
  readonly onClose: () => void;
}

/** Sales asks a credit manager for a customer's limit (optionally temporary), with the reason. */
export function LimitRequestForm({ customer: fixedCustomer, onDone, onClose }: LimitRequestFormProps) {
  const id = useId();
  const today = todayIn(useMe().tenant.timeZone);
  const [actionKey] = useState(() => new ActionKey());
  const [chosen, setChosen] = useState<CustomerSummary | null>(null);
  const [limit, setLimit] = useState('');
  const [expiresOn, setExpiresOn] = useState('');
  const [reason, setReason] = useState('');
  const [problems, setProblems] = useState<{ customerId?: string; limit?: string }>({});
  const customer = fixedCustomer ?? chosen;
  const submit = useSubmit(async () => {
    const amount = parseLimit(limit);
    const found = { ...(customer === null ? { customerId: 'Choose the customer.' } : {}), ...(amount === null ? { limit: limitProblem } : {}) };
    setProblems(found);
    if (customer === null || amount === null) return;
    const body = { customerId: customer.id, limit: amount, reason: reason.trim(), expiresOn: expiresOn === '' ? null : expiresOn };
    onDone(await actionKey.run(body, (key) => requestCreditLimit(body, key)));
  });
  const apiError = submit.error instanceof ApiError ? submit.error : null;
  return (
    <section className="card card-highlight credit-form" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{fixedCustomer === null ? 'Ask for a credit limit' : `Ask for a credit limit for ${fixedCustomer.name}`}</h2>
      <p className="muted">A credit manager other than you approves or rejects the request; the limit is set when it is approved.</p>
      <form onSubmit={(event) => void submit.run(event)}>
        <div className="field-grid">
          {fixedCustomer === null ? (
            <CustomerCombobox
              label="Customer"
              value={chosen}
              onSelect={setChosen}
              placeholder="Name or number"
              required
              error={problems.customerId ?? apiError?.fieldError('customerId')}
              autoFocus
            />
          ) : null}
          <Field
            label={customer === null ? 'Limit asked for' : `Limit asked for (${customer.currency})`}
            inputMode="decimal"
            className="num-input"
            required
            value={limit}
            onChange={setLimit}
            error={problems.limit ?? apiError?.fieldError('limit')}
            autoFocus={fixedCustomer !== null}
          />
          <Field label="Temporary until" type="date" min={today} value={expiresOn} onChange={setExpiresOn} hint={expiryHint} error={apiError?.fieldError('expiresOn')} />
        </div>
        <TextAreaField label="Why the limit is needed" required maxLength={500} value={reason} onChange={setReason} error={apiError?.fieldError('reason')} />
        <SaveError error={submit.error} shownFields={['customerId', 'limit', 'expiresOn', 'reason']} />
        <FormActions submit="Send request" busy={submit.busy} onCancel={onClose} />
      </form>
    </section>
  );
}
