import type { RequestContext } from '../../platform/auth/actor';
import type { Tx } from '../../platform/db/database';
import { demoKeyAccountPriceListName, findPriceListIdByName } from '../catalog';
import { changeCustomerStatus } from './customers.status';
import { createCustomer, type AddressInputData, type NewCustomer } from './customers.service';

/**
 * The demo company's customers: German domestic accounts, intra-EU businesses and
 * a consumer-like buyer, and export customers in USD, GBP and CHF, with the
 * diacritics real names carry. Each goes through the same use case as the API.
 */
type DemoCustomer = Omit<NewCustomer, 'addresses' | 'priceListId' | 'contacts' | 'bankAccounts' | 'vatId' | 'creditLimit' | 'invoicingMoment' | 'invoiceGrouping'> &
  Partial<Pick<NewCustomer, 'contacts' | 'bankAccounts' | 'vatId' | 'creditLimit' | 'invoicingMoment' | 'invoiceGrouping'>> & {
    street: string;
    postalCode: string;
    city: string;
    shipTo?: Array<Omit<AddressInputData, 'kind'>>;
    keyAccount?: true;
    blockedReason?: string;
  };

const demoCustomers: readonly DemoCustomer[] = [
  {
    name: 'Müller Elektrotechnik',
    legalName: 'Müller Elektrotechnik GmbH',
    vatId: 'DE 136 695 976',
    countryCode: 'DE',
    currency: 'EUR',
    language: 'de',
    paymentTermsCode: '2/10NET30',
    creditLimit: '50000.00',
    invoiceGrouping: 'daily',
    street: 'Leopoldstraße 52',
    postalCode: '80802',
    city: 'München',
    shipTo: [
      { name: 'Müller Elektrotechnik GmbH – Lager Garching', line1: 'Lichtenbergstraße 8', line2: 'Tor 3', postalCode: '85748', city: 'Garching', countryCode: 'DE', isDefault: true },
      { name: 'Müller Elektrotechnik GmbH – Baustelle Augsburg', line1: 'Haunstetter Straße 112', line2: null, postalCode: '86161', city: 'Augsburg', countryCode: 'DE', isDefault: false },
    ],
    contacts: [
      { name: 'Jürgen Müller', email: 'einkauf@mueller-elektro.example', phone: '+49 89 1234567', roles: ['orders'] },
      { name: 'Sabine Weiß', email: 'buchhaltung@mueller-elektro.example', phone: null, roles: ['invoices', 'reminders'] },
    ],
    bankAccounts: [{ iban: 'DE89 3704 0044 0532 0130 00', bic: 'COBADEFFXXX', accountHolder: null }],
    keyAccount: true,
  },
  {
    name: 'Bäckerei Schröder',
    legalName: 'Bäckerei Schröder & Söhne KG',
    vatId: 'DE811115368',
    countryCode: 'DE',
    currency: 'EUR',
    language: 'de',
    paymentTermsCode: 'EOM30',
    creditLimit: '15000.00',
    invoicingMoment: 'delivery',
    invoiceGrouping: 'daily',
    street: 'Große Bergstraße 200',
    postalCode: '22767',
    city: 'Hamburg',
    contacts: [{ name: 'Heike Schröder', email: 'heike@schroeder-baeckerei.example', phone: '+49 40 9876543', roles: ['orders', 'invoices', 'reminders'] }],
  },
  {
    name: 'Gärtnerei Weißdorn',
    legalName: 'Gärtnerei Weißdorn GmbH',
    countryCode: 'DE',
    currency: 'EUR',
    language: 'de',
    paymentTermsCode: 'NET14',
    creditLimit: '5000.00',
    street: 'Karl-Liebknecht-Straße 17',
    postalCode: '04107',
    city: 'Leipzig',
    contacts: [{ name: 'Björn Weißdorn', email: 'info@weissdorn.example', phone: null, roles: ['orders', 'invoices', 'reminders'] }],
    blockedReason: 'Three invoices more than 60 days overdue; deliveries only after payment',
  },
  {
    name: 'Atelier Lumière',
    legalName: 'Atelier Lumière SARL',
    vatId: 'FR40303265045',
    countryCode: 'FR',
    currency: 'EUR',
    language: 'fr',
    paymentTermsCode: 'NET30',
    creditLimit: '20000.00',
    street: '14 rue de la République',
    postalCode: '69002',
    city: 'Lyon',
    contacts: [{ name: 'Hélène Moreau', email: 'compta@atelier-lumiere.example', phone: '+33 4 72 00 00 00', roles: ['orders', 'invoices', 'reminders'] }],
    bankAccounts: [{ iban: 'FR14 2004 1010 0505 0001 3M02 606', bic: null, accountHolder: null }],
  },
  {
    name: 'Holzbau Österreicher',
    legalName: 'Holzbau Österreicher GmbH',
    vatId: 'ATU13585627',
    countryCode: 'AT',
    currency: 'EUR',
    language: 'de',
    paymentTermsCode: '2/10NET30',
    street: 'Annenstraße 34',
    postalCode: '8020',
    city: 'Graz',
    contacts: [{ name: 'Lukas Österreicher', email: 'office@holzbau-oe.example', phone: null, roles: ['orders', 'invoices'] }],
    bankAccounts: [{ iban: 'AT61 1904 3002 3457 3201', bic: null, accountHolder: null }],
  },
  {
    name: 'Sanne de Vries',
    legalName: 'Sanne de Vries',
    countryCode: 'NL',
    currency: 'EUR',
    language: 'nl',
    paymentTermsCode: 'PREPAY',
    street: 'Oudegracht 101',
    postalCode: '3511 AD',
    city: 'Utrecht',
    contacts: [{ name: 'Sanne de Vries', email: 'sanne.devries@mail.example', phone: null, roles: ['orders', 'invoices', 'reminders'] }],
    bankAccounts: [{ iban: 'NL91ABNA0417164300', bic: 'ABNANL2A', accountHolder: 'S. de Vries' }],
  },
  {
    name: 'Great Lakes Supply',
    legalName: 'Great Lakes Supply Inc.',
    countryCode: 'US',
    currency: 'USD',
    language: 'en',
    paymentTermsCode: 'NET30',
    creditLimit: '25000.00',
    street: '233 South Wacker Drive',
    postalCode: 'IL 60606',
    city: 'Chicago',
    contacts: [{ name: 'Dana Kowalski', email: 'ap@greatlakes-supply.example', phone: '+1 312 555 0142', roles: ['orders', 'invoices', 'reminders'] }],
  },
  {
    name: 'Thornbury & Hale',
    legalName: 'Thornbury & Hale Ltd',
    vatId: 'GB980780684',
    countryCode: 'GB',
    currency: 'GBP',
    language: 'en',
    paymentTermsCode: 'NET30',
    creditLimit: '12000.00',
    street: '1 Poultry',
    postalCode: 'EC2R 8EJ',
    city: 'London',
    contacts: [{ name: 'Oliver Hale', email: 'accounts@thornbury-hale.example', phone: '+44 20 7946 0000', roles: ['orders', 'invoices', 'reminders'] }],
    bankAccounts: [{ iban: 'GB29 NWBK 6016 1331 9268 19', bic: 'NWBKGB2L', accountHolder: null }],
  },
  {
    name: 'Åkesson & Öberg',
    legalName: 'Åkesson & Öberg AB',
    vatId: 'SE556012345601',
    countryCode: 'SE',
    currency: 'SEK',
    language: 'sv',
    paymentTermsCode: 'NET30',
    creditLimit: '250000.00',
    street: 'Kungsportsavenyen 10',
    postalCode: '411 36',
    city: 'Göteborg',
    contacts: [{ name: 'Linnéa Öberg', email: 'faktura@akesson-oberg.example', phone: null, roles: ['invoices', 'reminders'] }],
    bankAccounts: [{ iban: 'SE45 5000 0000 0583 9825 7466', bic: null, accountHolder: null }],
  },
  {
    name: 'Zürcher Feinmechanik',
    legalName: 'Zürcher Feinmechanik AG',
    vatId: 'CHE-116.281.710 MWST',
    countryCode: 'CH',
    currency: 'CHF',
    language: 'de',
    paymentTermsCode: 'NET30',
    street: 'Bahnhofstrasse 45',
    postalCode: '8001',
    city: 'Zürich',
    contacts: [{ name: 'Reto Brändli', email: 'kreditoren@zuercher-feinmechanik.example', phone: '+41 44 000 00 00', roles: ['orders', 'invoices', 'reminders'] }],
    bankAccounts: [{ iban: 'CH93 0076 2011 6238 5295 7', bic: null, accountHolder: null }],
  },
  {
    name: 'Łódź Tekstylia',
    legalName: 'Łódź Tekstylia Sp. z o.o.',
    vatId: 'PL5260250274',
    countryCode: 'PL',
    currency: 'EUR',
    language: 'pl',
    paymentTermsCode: 'NET30',
    street: 'ul. Piotrkowska 120',
    postalCode: '90-006',
    city: 'Łódź',
    // The one demo customer whose contacts receive no invoices.
    contacts: [{ name: 'Małgorzata Wąsowska', email: 'zamowienia@lodz-tekstylia.example', phone: null, roles: ['orders'] }],
  },
  {
    name: 'Ørbæk Maskiner',
    legalName: 'Ørbæk Maskiner ApS',
    vatId: 'DK13585628',
    countryCode: 'DK',
    currency: 'DKK',
    language: 'da',
    paymentTermsCode: 'NET14',
    street: 'Søndergade 7',
    postalCode: '5853',
    city: 'Ørbæk',
    contacts: [{ name: 'Søren Ærø', email: 'bogholderi@orbaek-maskiner.example', phone: null, roles: ['invoices', 'reminders'] }],
    bankAccounts: [{ iban: 'DK50 0040 0440 1162 43', bic: null, accountHolder: null }],
  },
  // Two customers with a long payment history (see the credit demo): one pays late, one has stopped paying.
  {
    name: 'Kowalczyk Stahlbau',
    legalName: 'Kowalczyk Stahlbau GmbH',
    countryCode: 'DE',
    currency: 'EUR',
    language: 'de',
    paymentTermsCode: 'NET30',
    creditLimit: '20000.00',
    street: 'Hafenstraße 18',
    postalCode: '47119',
    city: 'Duisburg',
    contacts: [{ name: 'Piotr Kowalczyk', email: 'buchhaltung@kowalczyk-stahlbau.example', phone: '+49 203 000000', roles: ['orders', 'invoices', 'reminders'] }],
    bankAccounts: [{ iban: 'DE02 1203 0000 0000 2020 51', bic: null, accountHolder: null }],
  },
  {
    name: 'Berger Metallhandel',
    legalName: 'Berger Metallhandel KG',
    countryCode: 'DE',
    currency: 'EUR',
    language: 'de',
    paymentTermsCode: 'NET30',
    creditLimit: '15000.00',
    street: 'Gewerbepark 3',
    postalCode: '09111',
    city: 'Chemnitz',
    contacts: [{ name: 'Ute Berger', email: 'einkauf@berger-metall.example', phone: null, roles: ['orders', 'invoices', 'reminders'] }],
  },
];

export async function loadCustomersDemo(tx: Tx, context: RequestContext): Promise<void> {
  const keyAccountPriceListId = await findPriceListIdByName(tx, context.actor.tenantId, demoKeyAccountPriceListName);
  for (const demo of demoCustomers) {
    const { street, postalCode, city, shipTo, keyAccount, blockedReason, ...fields } = demo;
    const billing: AddressInputData = { kind: 'billing', name: demo.legalName, line1: street, line2: null, postalCode, city, countryCode: demo.countryCode };
    const shipping = (shipTo ?? [{ ...billing, isDefault: true }]).map((address) => ({ ...address, kind: 'shipping' as const }));
    const customer = await createCustomer(tx, context, {
      vatId: null,
      creditLimit: null,
      invoicingMoment: 'shipment',
      invoiceGrouping: 'per_shipment',
      contacts: [],
      bankAccounts: [],
      ...fields,
      priceListId: keyAccount === true ? keyAccountPriceListId : null,
      addresses: [billing, ...shipping],
    });
    if (blockedReason !== undefined) await changeCustomerStatus(tx, context, customer.id, 'block', { reason: blockedReason });
  }
}
