import { useCallback, useState } from 'react';
import { allows } from '../../access';
import { ActionKey, approveLimitRequest, limitRequestStatuses, listLimitRequests, rejectLimitRequest, type CreditLimitRequest } from '../../api';
import { ExportCsvButton } from '../../components/ListControls';
import { LoadedContent } from '../../components/LoadedContent';
import { ReasonPanel } from '../../components/ReasonPanel';
import { SectionTabs } from '../../components/SectionTabs';
import { DetailsRow } from '../../components/TableParts';
import type { CsvColumn } from '../../csv';
import { useFormatters, useMe } from '../../session';
import { useLoad } from '../../useLoad';
import { usePageTitle } from '../../usePageTitle';
import { useQueryParams } from '../invoicing/invoicingParts';
import { CustomerFilter } from '../orders/orderParts';
import { LimitRequestForm } from './creditForms';
import { LimitRequestsTable, creditTabs, limitRequestStatusLabels } from './creditParts';

const csvColumns: readonly CsvColumn<CreditLimitRequest>[] = [
  { header: 'customerNumber', value: (request) => request.customer.number },
  { header: 'customerName', value: (request) => request.customer.name },
  { header: 'currency', value: (request) => request.currency },
  { header: 'currentLimit', value: (request) => request.currentLimit },
  { header: 'limit', value: (request) => request.limit },
  { header: 'expiresOn', value: (request) => request.expiresOn },
  { header: 'reason', value: (request) => request.reason },
  { header: 'status', value: (request) => request.status },
  { header: 'requestedBy', value: (request) => request.requestedBy },
  { header: 'requestedAt', value: (request) => request.requestedAt },
  { header: 'decidedBy', value: (request) => request.decidedBy },
  { header: 'decidedAt', value: (request) => request.decidedAt },
  { header: 'decisionReason', value: (request) => request.decisionReason },
  { header: 'id', value: (request) => request.id },
];

type Decision = 'approve' | 'reject';
type Deciding = { readonly id: string; readonly decision: Decision } | null;

export function LimitRequestsPage() {
  usePageTitle('Limit requests');
  const me = useMe();
  const format = useFormatters();
  const query = useQueryParams();
  const status = query.oneOf('status', limitRequestStatuses);
  const customerId = query.get('customerId');
  const requests = useLoad(useCallback(() => listLimitRequests({ status, customerId }), [status, customerId]));
  const canDecide = allows(me.actor.roles, 'decideCredit');
  const canRequest = allows(me.actor.roles, 'requestLimits');
  const [asking, setAsking] = useState(false);
  const [deciding, setDeciding] = useState<Deciding>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [decideKey] = useState(() => new ActionKey());

  const decided = (request: CreditLimitRequest) => {
    setDeciding(null);
    setNotice(
      request.status === 'approved'
        ? `The limit request for ${request.customer.name} was approved: ${format.money(request.limit, request.currency)}${request.expiresOn === null ? '' : ` until ${format.date(request.expiresOn)}`} is in force.`
        : `The limit request for ${request.customer.name} was rejected.`,
    );
    requests.reload();
  };

  return (
    <>
      <SectionTabs label="Credit" links={creditTabs} />
      <div className="page-heading">
        <h1>Limit requests</h1>
        {canRequest ? (
          <div className="actions">
            <button
              type="button"
              aria-expanded={asking}
              onClick={() => {
                setNotice(null);
                setAsking(!asking);
              }}
            >
              Ask for a limit
            </button>
          </div>
        ) : null}
      </div>
      <p className="page-intro">Sales asks for a customer's credit limit, or a temporary one until a day; a credit manager other than the person who asked approves it (the limit is set at once) or rejects it, each with a reason.</p>

      {asking ? (
        <LimitRequestForm
          customer={null}
          onClose={() => setAsking(false)}
          onDone={(request) => {
            setAsking(false);
            setNotice(`Limit of ${format.money(request.limit, request.currency)} for ${request.customer.name} asked for; it waits for a credit manager.`);
            requests.reload();
          }}
        />
      ) : null}

      <div className="list-toolbar list-toolbar-tight">
        <div className="chips" role="group" aria-label="Show limit requests">
          {[undefined, ...limitRequestStatuses].map((candidate) => (
            <button
              key={candidate ?? 'all'}
              type="button"
              className={candidate === status ? 'chip chip-on' : 'chip'}
              aria-pressed={candidate === status}
              onClick={() => {
                setDeciding(null);
                query.set({ status: candidate });
              }}
            >
              {candidate === undefined ? 'All' : candidate === 'pending' ? 'Pending' : limitRequestStatusLabels[candidate]}
            </button>
          ))}
        </div>
        <ExportCsvButton fileName="limit-requests.csv" columns={csvColumns} rows={requests.data?.items ?? []} />
      </div>
      <form className="filters" aria-label="Filter limit requests" onSubmit={(event) => event.preventDefault()}>
        <CustomerFilter customerId={customerId} onChange={(chosen) => query.set({ customerId: chosen })} />
      </form>

      {notice === null ? null : (
        <p className="message message-success" role="status">
          {notice}
        </p>
      )}
      <LoadedContent loaded={requests} loadingText="Loading limit requests…">
        {(data) => (
          <div aria-busy={requests.loading}>
            <LimitRequestsTable
              requests={data.items}
              caption="Limit requests, newest first"
              empty={status === 'pending' ? 'No limit request waits for a decision.' : 'No limit requests.'}
              renderAction={
                canDecide
                  ? (request) =>
                      request.status === 'pending' ? (
                        <span className="actions">
                          {(['approve', 'reject'] as const).map((decision) => {
                            const open = deciding?.id === request.id && deciding.decision === decision;
                            return (
                              <button
                                key={decision}
                                type="button"
                                className={decision === 'approve' ? 'small' : 'secondary small'}
                                aria-expanded={open}
                                onClick={() => {
                                  setNotice(null);
                                  setDeciding(open ? null : { id: request.id, decision });
                                }}
                              >
                                {decision === 'approve' ? 'Approve' : 'Reject'}
                                <span className="visually-hidden"> the limit request for {request.customer.name}</span>
                              </button>
                            );
                          })}
                        </span>
                      ) : null
                  : undefined
              }
              renderDetails={(request, colSpan) =>
                deciding?.id !== request.id ? null : (
                  <DetailsRow colSpan={colSpan}>
                    {deciding.decision === 'approve' ? (
                      <ReasonPanel
                        key="approve"
                        title={`Approve ${format.money(request.limit, request.currency)} for ${request.customer.name}?`}
                        description={`${request.expiresOn === null ? 'The customer’s own limit' : `A temporary limit until ${format.date(request.expiresOn)}`} is set at once. ${request.requestedBy} asked: “${request.reason}”.`}
                        confirmLabel="Approve request"
                        reasonLabel="Reason for the approval"
                        danger={false}
                        onConfirm={async (reason) => decided(await decideKey.run({ approve: request.id, reason }, (key) => approveLimitRequest(request.id, reason, key)))}
                        onClose={() => setDeciding(null)}
                      />
                    ) : (
                      <ReasonPanel
                        key="reject"
                        title={`Reject the limit request for ${request.customer.name}?`}
                        description="The limit stays as it is; the person who asked sees your reason."
                        confirmLabel="Reject request"
                        reasonLabel="Reason for the rejection"
                        onConfirm={async (reason) => decided(await decideKey.run({ reject: request.id, reason }, (key) => rejectLimitRequest(request.id, reason, key)))}
                        onClose={() => setDeciding(null)}
                      />
                    )}
                  </DetailsRow>
                )
              }
            />
          </div>
        )}
      </LoadedContent>
    </>
  );
}
