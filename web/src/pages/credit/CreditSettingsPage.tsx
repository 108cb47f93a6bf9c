import { useState } from 'react';
import { allows } from '../../access';
import { ApiError, getCreditSettings, riskClasses, updateCreditSettings, type CreditSettings, type RiskClass } from '../../api';
import { Field, SelectField } from '../../components/Field';
import { LoadedContent } from '../../components/LoadedContent';
import { SaveError } from '../../components/SaveError';
import { SectionTabs } from '../../components/SectionTabs';
import { compareDecimal, parseDecimalInput } from '../../decimal';
import { useFormatters, useMe } from '../../session';
import { useLoad } from '../../useLoad';
import { usePageTitle } from '../../usePageTitle';
import { useSubmit } from '../../useSubmit';
import { creditTabs } from './creditParts';

export function CreditSettingsPage() {
  usePageTitle('Credit policy');
  const settings = useLoad(getCreditSettings);
  return (
    <>
      <SectionTabs label="Credit" links={creditTabs} />
      <h1>Credit policy</h1>
      <p className="page-intro">
        Every order is checked when it is submitted: it goes on credit hold when the customer is credit-blocked, when an invoice is more than the grace days past due, or when exposure with the order is over the limit.
      </p>
      <LoadedContent loaded={settings} loadingText="Loading the credit policy…">
        {(data) => <SettingsForm settings={data} onSaved={settings.set} />}
      </LoadedContent>
    </>
  );
}

/** Whole days from 0 (or 1) up to ten years, or null. */
function parseDays(text: string, minimum: number): number | null {
  if (!/^\s*\d{1,4}\s*$/.test(text)) return null;
  const days = Number.parseInt(text, 10);
  return days >= minimum && days <= 3650 ? days : null;
}

function SettingsForm({ settings, onSaved }: { readonly settings: CreditSettings; readonly onSaved: (settings: CreditSettings) => void }) {
  const me = useMe();
  const format = useFormatters();
  const canEdit = allows(me.actor.roles, 'creditPolicy');
  const [defaultLimit, setDefaultLimit] = useState(settings.defaultLimit);
  const [graceDays, setGraceDays] = useState(String(settings.graceDays));
  const [blockAfterDays, setBlockAfterDays] = useState(String(settings.blockAfterDays));
  const [startingClass, setStartingClass] = useState<RiskClass>(settings.startingClass);
  const [problems, setProblems] = useState<Partial<Record<'defaultLimit' | 'graceDays' | 'blockAfterDays', string>>>({});
  const [saved, setSaved] = useState<string | null>(null);
  const submit = useSubmit(async () => {
    setSaved(null);
    const limit = parseDecimalInput(defaultLimit);
    const grace = parseDays(graceDays, 0);
    const blockAfter = parseDays(blockAfterDays, 1);
    const found = {
      ...(limit === null || compareDecimal(limit, '0') < 0 ? { defaultLimit: 'Enter an amount, zero or more, such as 5000.00.' } : {}),
      ...(grace === null ? { graceDays: 'Whole days from 0 to 3650.' } : {}),
      ...(blockAfter === null ? { blockAfterDays: 'Whole days from 1 to 3650.' } : {}),
    };
    setProblems(found);
    if (limit === null || grace === null || blockAfter === null || Object.keys(found).length > 0) return;
    const next = await updateCreditSettings({ defaultLimit: limit, graceDays: grace, blockAfterDays: blockAfter, startingClass });
    onSaved(next);
    setSaved(`Credit policy saved: customers without a limit of their own get ${format.money(next.defaultLimit, next.currency)}.`);
  });
  const apiError = submit.error instanceof ApiError ? submit.error : null;
  const error = (name: 'defaultLimit' | 'graceDays' | 'blockAfterDays' | 'startingClass') => (name === 'startingClass' ? undefined : problems[name]) ?? apiError?.fieldError(name);
  return (
    <form className="settings-form credit-form" aria-label="Credit policy" onSubmit={(event) => void submit.run(event)}>
      {saved === null ? null : (
        <p className="message message-success" role="status">
          {saved}
        </p>
      )}
      {canEdit ? null : <p className="muted">Administrators and credit managers change the policy.</p>}
      <fieldset disabled={!canEdit || submit.busy}>
        <legend>Limits and overdue items</legend>
        <div className="field-grid">
          <Field
            label={`Default limit (${settings.currency})`}
            inputMode="decimal"
            className="num-input"
            required
            value={defaultLimit}
            onChange={setDefaultLimit}
            hint="For customers without a limit of their own, converted to their currency. 0 sends every order of such customers to the review queue."
            error={error('defaultLimit')}
          />
          <Field label="Grace days" inputMode="numeric" required value={graceDays} onChange={setGraceDays} hint="Orders are held when an invoice is more than this many days past due." error={error('graceDays')} />
          <Field
            label="Block after days"
            inputMode="numeric"
            required
            value={blockAfterDays}
            onChange={setBlockAfterDays}
            hint="A customer's credit is blocked automatically when an invoice is more than this many days past due."
            error={error('blockAfterDays')}
          />
          <SelectField label="Starting risk class" value={startingClass} onChange={(value) => setStartingClass(value as RiskClass)} hint="The class of a customer without payment history." error={error('startingClass')}>
            {riskClasses.map((riskClass) => (
              <option key={riskClass} value={riskClass}>
                {riskClass}
              </option>
            ))}
          </SelectField>
        </div>
      </fieldset>
      <SaveError error={submit.error} shownFields={['defaultLimit', 'graceDays', 'blockAfterDays', 'startingClass']} noun="the credit policy" />
      {canEdit ? (
        <div className="actions">
          <button type="submit" disabled={submit.busy}>
            Save credit policy
          </button>
        </div>
      ) : null}
    </form>
  );
}
