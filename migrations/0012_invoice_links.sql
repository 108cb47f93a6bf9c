-- The corrections of an invoice are found through an index, as its credit notes are:
-- reading a document lists both, and without it every read scanned the tenant's invoices.
create index invoices_corrects on invoices (tenant_id, corrects_invoice_id) where corrects_invoice_id is not null;
