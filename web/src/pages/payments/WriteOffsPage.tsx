import { Fragment, useCallback, useState } from 'react';
import { Link } from 'react-router-dom';
import { allows } from '../../access';
import { ActionKey, approveWriteOff, getPaymentSettings, listWriteOffs, rejectWriteOff, writeOffStatuses, type WriteOff } from '../../api';
import { ErrorMessage } from '../../components/ErrorMessage';
import { ExportCsvButton, ListFooter } from '../../components/ListControls';
import { ReasonPanel } from '../../components/ReasonPanel';
import { SectionTabs } from '../../components/SectionTabs';
import { DataTable, DetailsRow, EmptyRow } from '../../components/TableParts';
import type { CsvColumn } from '../../csv';
import { useFormatters, useMe } from '../../session';
import { useLoad } from '../../useLoad';
import { usePagedList } from '../../usePagedList';
import { usePageTitle } from '../../usePageTitle';
import { useQueryParams } from '../invoicing/invoicingParts';
import { WriteOffStatusBadge, paymentsTabs, writeOffStatusLabels } from './paymentParts';

const csvColumns: readonly CsvColumn<WriteOff>[] = [
  { header: 'invoiceNumber', value: (writeOff) => writeOff.invoice.number },
  { header: 'customerName', value: (writeOff) => writeOff.customer.name },
  { header: 'currency', value: (writeOff) => writeOff.currency },
  { header: 'amount', value: (writeOff) => writeOff.amount },
  { header: 'reason', value: (writeOff) => writeOff.reason },
  { header: 'status', value: (writeOff) => writeOff.status },
  { header: 'requestedBy', value: (writeOff) => writeOff.requestedBy },
  { header: 'requestedAt', value: (writeOff) => writeOff.requestedAt },
  { header: 'decidedBy', value: (writeOff) => writeOff.decidedBy },
  { header: 'decidedAt', value: (writeOff) => writeOff.decidedAt },
  { header: 'decisionNote', value: (writeOff) => writeOff.decisionNote },
  { header: 'id', value: (writeOff) => writeOff.id },
];

type Decision = 'approve' | 'reject';
type Deciding = { readonly id: string; readonly decision: Decision } | null;

const decisionButtons: ReadonlyArray<{ readonly decision: Decision; readonly label: string; readonly className: string }> = [
  { decision: 'approve', label: 'Approve', className: 'small' },
  { decision: 'reject', label: 'Reject', className: 'secondary small' },
];

const columns = ['Invoice', 'Customer', { label: 'Amount', className: 'num' }, 'Reason', 'Requested', 'Decision'];

export function WriteOffsPage() {
  usePageTitle('Write-offs');
  const me = useMe();
  const format = useFormatters();
  const query = useQueryParams();
  const status = query.oneOf('status', writeOffStatuses);
  const fetchPage = useCallback((cursor?: string) => listWriteOffs({ status }, cursor), [status]);
  const list = usePagedList(fetchPage);
  const settings = useLoad(getPaymentSettings);
  const canDecide = allows(me.actor.roles, 'decideWriteOffs');
  const [deciding, setDeciding] = useState<Deciding>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [decideKey] = useState(() => new ActionKey());

  const decided = (writeOff: WriteOff) => {
    list.replace(writeOff);
    setDeciding(null);
    setNotice(`The write-off of ${format.money(writeOff.amount, writeOff.currency)} on ${writeOff.invoice.number} was ${writeOff.status}.`);
  };

  return (
    <>
      <SectionTabs label="Payments" links={paymentsTabs} />
      <h1>Write-offs</h1>
      <p className="page-intro">
        What an invoice leaves open is written off as bad debt only when another person approves the request
        {settings.data === null ? '' : `; above ${format.money(settings.data.writeOffThreshold, settings.data.baseCurrency)} only a controller approves`}. Requests are made from the invoice.
      </p>

      <div className="list-toolbar list-toolbar-tight">
        <div className="chips" role="group" aria-label="Show write-offs">
          {[undefined, ...writeOffStatuses].map((candidate) => (
            <button
              key={candidate ?? 'all'}
              type="button"
              className={candidate === status ? 'chip chip-on' : 'chip'}
              aria-pressed={candidate === status}
              onClick={() => query.set({ status: candidate })}
            >
              {candidate === undefined ? 'All' : candidate === 'requested' ? 'Requested' : writeOffStatusLabels[candidate]}
            </button>
          ))}
        </div>
        <ExportCsvButton fileName="write-offs.csv" columns={csvColumns} rows={list.items} />
      </div>

      {notice === null ? null : (
        <p className="message message-success" role="status">
          {notice}
        </p>
      )}
      <ErrorMessage error={list.error} />
      <DataTable caption="Write-offs, newest first" columns={columns} actions>
        {list.items.map((writeOff) => {
          const decision = deciding !== null && deciding.id === writeOff.id ? deciding.decision : null;
          return (
            <Fragment key={writeOff.id}>
              <tr role="row" data-testid={`write-off-${writeOff.invoice.number}`}>
                <td role="cell" data-label="Invoice">
                  <Link to={`/invoices/${writeOff.invoice.id}`}>{writeOff.invoice.number}</Link>
                </td>
                <td role="cell" data-label="Customer">
                  <Link to={`/customers/${writeOff.customer.id}/account`}>{writeOff.customer.name}</Link>
                </td>
                <td role="cell" data-label="Amount" className="num strong">{format.money(writeOff.amount, writeOff.currency)}</td>
                <td role="cell" data-label="Reason">“{writeOff.reason}”</td>
                <td role="cell" data-label="Requested" className="small">
                  {writeOff.requestedBy}
                  <div className="muted">{format.instant(writeOff.requestedAt)}</div>
                </td>
                <td role="cell" data-label="Decision">
                  <WriteOffStatusBadge status={writeOff.status} />
                  {writeOff.decidedBy === null ? null : (
                    <div className="small">
                      {writeOff.decidedBy}, {format.instant(writeOff.decidedAt)}
                      {writeOff.decisionNote === null ? null : <div>“{writeOff.decisionNote}”</div>}
                    </div>
                  )}
                </td>
                <td role="cell" className="cell-actions">
                  {canDecide && writeOff.status === 'requested' ? (
                    <span className="actions">
                      {decisionButtons.map((button) => (
                        <button
                          key={button.decision}
                          type="button"
                          className={button.className}
                          aria-expanded={decision === button.decision}
                          onClick={() => {
                            setNotice(null);
                            setDeciding(decision === button.decision ? null : { id: writeOff.id, decision: button.decision });
                          }}
                        >
                          {button.label}<span className="visually-hidden"> the write-off on {writeOff.invoice.number}</span>
                        </button>
                      ))}
                    </span>
                  ) : null}
                </td>
              </tr>
              {decision === 'approve' ? (
                <DetailsRow colSpan={7}>
                  <ReasonPanel
                    title={`Write off ${format.money(writeOff.amount, writeOff.currency)} on ${writeOff.invoice.number}?`}
                    description={`The amount is posted to bad debt and no longer open on the invoice. Requested by ${writeOff.requestedBy}: “${writeOff.reason}”.`}
                    confirmLabel="Approve write-off"
                    reasonLabel="Note (optional)"
                    reasonRequired={false}
                    onConfirm={async (text) => {
                      const note = text === '' ? null : text;
                      decided(await decideKey.run({ approve: writeOff.id, note }, (key) => approveWriteOff(writeOff.id, note, key)));
                    }}
                    onClose={() => setDeciding(null)}
                  />
                </DetailsRow>
              ) : null}
              {decision === 'reject' ? (
                <DetailsRow colSpan={7}>
                  <ReasonPanel
                    title={`Reject the write-off on ${writeOff.invoice.number}?`}
                    description="The amount stays open on the invoice; the requester sees your note."
                    confirmLabel="Reject write-off"
                    reasonLabel="Note"
                    onConfirm={async (note) => decided(await decideKey.run({ reject: writeOff.id, note }, (key) => rejectWriteOff(writeOff.id, note, key)))}
                    onClose={() => setDeciding(null)}
                  />
                </DetailsRow>
              ) : null}
            </Fragment>
          );
        })}
        {list.items.length === 0 && !list.loading && list.error === null ? (
          <EmptyRow colSpan={7}>{status === 'requested' ? 'No write-off waits for a decision.' : 'No write-offs.'}</EmptyRow>
        ) : null}
      </DataTable>
      <ListFooter count={list.items.length} hasMore={list.hasMore} loading={list.loading} onMore={list.loadMore} noun="write-offs" />
    </>
  );
}
