import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  creditorReferenceFor,
  formatCreditorReference,
  isValidCreditorReference,
  parseCreditorReference,
} from '../../../src/modules/invoicing/payment-reference.rules';

const digits = '0123456789';
const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const alphanumerics = [...digits, ...letters];

const referencePart = fc.string({ unit: fc.constantFrom(...alphanumerics), minLength: 1, maxLength: 21 });
const numericPart = fc.string({ unit: fc.constantFrom(...digits), minLength: 1, maxLength: 21 });

/** The reference part of an electronic reference: everything after "RF" and the check digits. */
const partOf = (reference: string) => reference.slice(4);
const isDigit = (character: string) => digits.includes(character);
const sameClass = (a: string, b: string) => isDigit(a) === isDigit(b);

describe('creditorReferenceFor', () => {
  it('computes the check digits of the references published with ISO 11649', () => {
    expect(creditorReferenceFor('539007547034')).toBe('RF18539007547034');
    expect(creditorReferenceFor('000000000539007547034')).toBe('RF18000000000539007547034');
    expect(creditorReferenceFor('2348231')).toBe('RF712348231');
    expect(creditorReferenceFor('G72UUR')).toBe('RF45G72UUR');
  });

  it('keeps letters and digits of the document number, upper-cased', () => {
    expect(creditorReferenceFor('INV-2026-000045')).toBe('RF70INV2026000045');
    expect(creditorReferenceFor('inv/2026/000045')).toBe('RF70INV2026000045');
    expect(creditorReferenceFor('CN 2026 · 7')).toBe(creditorReferenceFor('CN20267'));
    expect(creditorReferenceFor('Ü-12')).toBe(creditorReferenceFor('12'));
  });

  it('keeps the last 21 characters of a long number, where the running number is', () => {
    const reference = creditorReferenceFor('INVOICE-BRANCH-NORTH-2026-000000123');
    expect(partOf(reference)).toBe('BRANCHNORTH2026000000123'.slice(-21));
    expect(partOf(reference)).toHaveLength(21);
    expect(reference.endsWith('000000123')).toBe(true);
    expect(isValidCreditorReference(reference)).toBe(true);
  });

  it('gives distinct references to consecutive numbers of one series', () => {
    const references = new Set(Array.from({ length: 500 }, (_, index) => creditorReferenceFor(`INV-2026-${String(index).padStart(6, '0')}`)));
    expect(references.size).toBe(500);
  });

  it('refuses a number without letters or digits', () => {
    expect(() => creditorReferenceFor('')).toThrow(/no letters or digits/);
    expect(() => creditorReferenceFor(' -/ ')).toThrow(/no letters or digits/);
  });

  it('always yields a valid reference of at most 25 characters', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 0, maxLength: 40 }), referencePart, (noise, part) => {
        const reference = creditorReferenceFor(`${noise}${part}`);
        expect(reference).toMatch(/^RF\d{2}[A-Z0-9]{1,21}$/);
        expect(isValidCreditorReference(reference)).toBe(true);
      }),
    );
  });
});

describe('isValidCreditorReference', () => {
  it('accepts the published examples in electronic and print form, in any case', () => {
    for (const text of ['RF18539007547034', 'RF18 5390 0754 7034', 'rf18 5390 0754 7034', 'RF712348231', 'RF71 2348 231', 'RF45G72UUR', 'RF45 G72U UR', 'RF18000000000539007547034']) {
      expect(isValidCreditorReference(text), text).toBe(true);
    }
  });

  it('refuses wrong check digits, wrong prefixes, other characters and wrong lengths', () => {
    for (const text of [
      'RF19539007547034', // check digits off by one
      'RF81539007547034', // check digits swapped
      'RX18539007547034',
      '18539007547034',
      'RF18', // no reference part
      'RF1', // cut short
      'RF18-5390-0754-7034',
      'RF18 5390 0754 703Ä',
      'RF180000000000539007547034', // 26 characters
      '',
    ]) {
      expect(isValidCreditorReference(text), text).toBe(false);
    }
  });

  it('refuses the check digits 00, 01 and 99, which are never issued even where the remainder works out', () => {
    // 02 and 99 leave the same remainder mod 97; only 02 can be issued.
    const reference = Array.from({ length: 1000 }, (_, index) => creditorReferenceFor(String(index))).find((ref) => ref.startsWith('RF02'));
    expect(reference).toBeDefined();
    expect(isValidCreditorReference(reference!)).toBe(true);
    expect(isValidCreditorReference(`RF99${partOf(reference!)}`)).toBe(false);
    const withZero = creditorReferenceFor('539007547034');
    expect(isValidCreditorReference(`RF00${partOf(withZero)}`)).toBe(false);
    expect(isValidCreditorReference(`RF01${partOf(withZero)}`)).toBe(false);
  });
});

describe('formatCreditorReference', () => {
  it('groups the reference in fours', () => {
    expect(formatCreditorReference('RF18539007547034')).toBe('RF18 5390 0754 7034');
    expect(formatCreditorReference('RF712348231')).toBe('RF71 2348 231');
    expect(formatCreditorReference('RF45G72UUR')).toBe('RF45 G72U UR');
    expect(formatCreditorReference('rf18 5390 07547034')).toBe('RF18 5390 0754 7034');
  });
});

describe('parseCreditorReference', () => {
  it('finds a reference in remittance text', () => {
    expect(parseCreditorReference('Payment RF18 5390 0754 7034 thanks')).toBe('RF18539007547034');
    expect(parseCreditorReference('RF18539007547034')).toBe('RF18539007547034');
    expect(parseCreditorReference('rf18 5390 0754 7034')).toBe('RF18539007547034');
    expect(parseCreditorReference('Inv. RF45G72UUR, customer 1001')).toBe('RF45G72UUR');
    expect(parseCreditorReference('REF:RF712348231/2026')).toBe('RF712348231');
  });

  it('joins a reference that a statement wrapped in the middle of a group', () => {
    expect(parseCreditorReference('SEPA credit RF18 5390 07\n54 7034 Mueller GmbH')).toBe('RF18539007547034');
  });

  it('skips an RF that is not a reference and takes the next one', () => {
    expect(parseCreditorReference('RF99 invalid, paying RF18 5390 0754 7034')).toBe('RF18539007547034');
    expect(parseCreditorReference('INTERF18 then RF71 2348 231')).toBe('RF712348231');
  });

  it('answers null when the text holds no valid reference', () => {
    for (const text of ['', 'Invoice 2026-45', 'RF19 5390 0754 7034', 'XRF18539007547034', 'RF18 5390 0754 7035 thanks']) {
      expect(parseCreditorReference(text), text).toBeNull();
    }
  });

  it('round-trips every reference through the print form and back', () => {
    fc.assert(
      fc.property(referencePart, (part) => {
        const reference = creditorReferenceFor(part);
        const printed = formatCreditorReference(reference);
        expect(printed).toMatch(/^(?:[A-Z0-9]{4} )*[A-Z0-9]{1,4}$/);
        expect(printed.replace(/ /g, '')).toBe(reference);
        expect(isValidCreditorReference(printed)).toBe(true);
        expect(parseCreditorReference(printed)).toBe(reference);
        expect(parseCreditorReference(reference)).toBe(reference);
        expect(parseCreditorReference(`Payment ${printed}, thank you`)).toBe(reference);
        expect(parseCreditorReference(`Zahlung: ${printed.toLowerCase()}.`)).toBe(reference);
      }),
    );
  });
});

describe('error detection', () => {
  it('catches every single substitution in the reference part that keeps the kind of character', () => {
    fc.assert(
      fc.property(referencePart, fc.nat(), fc.constantFrom(...alphanumerics), (part, at, replacement) => {
        const reference = creditorReferenceFor(part);
        const position = 4 + (at % part.length);
        const original = reference[position]!;
        fc.pre(replacement !== original && sameClass(replacement, original));
        const typo = `${reference.slice(0, position)}${replacement}${reference.slice(position + 1)}`;
        expect(isValidCreditorReference(typo)).toBe(false);
      }),
      { numRuns: 500 },
    );
  });

  it('catches every single substitution of the check digits', () => {
    fc.assert(
      fc.property(referencePart, fc.integer({ min: 2, max: 3 }), fc.constantFrom(...digits), (part, position, replacement) => {
        const reference = creditorReferenceFor(part);
        fc.pre(reference[position] !== replacement);
        expect(isValidCreditorReference(`${reference.slice(0, position)}${replacement}${reference.slice(position + 1)}`)).toBe(false);
      }),
    );
  });

  it('catches every adjacent transposition in the reference part of two different characters of one kind', () => {
    fc.assert(
      fc.property(referencePart.filter((part) => part.length >= 2), fc.nat(), (part, at) => {
        const reference = creditorReferenceFor(part);
        const position = 4 + (at % (part.length - 1));
        const [a, b] = [reference[position]!, reference[position + 1]!];
        fc.pre(a !== b && sameClass(a, b));
        const typo = `${reference.slice(0, position)}${b}${a}${reference.slice(position + 2)}`;
        expect(isValidCreditorReference(typo)).toBe(false);
      }),
      { numRuns: 500 },
    );
  });

  it('catches every single substitution and adjacent transposition of an all-digit reference, exhaustively for one', () => {
    const reference = creditorReferenceFor('539007547034');
    for (let position = 2; position < reference.length; position += 1) {
      for (const replacement of digits) {
        if (replacement === reference[position]) continue;
        expect(isValidCreditorReference(`${reference.slice(0, position)}${replacement}${reference.slice(position + 1)}`)).toBe(false);
      }
    }
    for (let position = 4; position < reference.length - 1; position += 1) {
      const [a, b] = [reference[position]!, reference[position + 1]!];
      if (a === b) continue;
      expect(isValidCreditorReference(`${reference.slice(0, position)}${b}${a}${reference.slice(position + 2)}`)).toBe(false);
    }
    fc.assert(
      fc.property(numericPart.filter((part) => part.length >= 2), fc.nat(), (part, at) => {
        const reference = creditorReferenceFor(part);
        const position = 4 + (at % (part.length - 1));
        const [a, b] = [reference[position]!, reference[position + 1]!];
        fc.pre(a !== b);
        expect(isValidCreditorReference(`${reference.slice(0, position)}${b}${a}${reference.slice(position + 2)}`)).toBe(false);
      }),
    );
  });

  it('cannot see a letter swapped with a digit where both spell the same digits, which is why it is not claimed', () => {
    // Letters count as two digits (B = 11), so "B1" and "1B" both read 111 and the
    // check digits cannot tell them apart; a letter replaced by a digit changes the
    // length of the number and is missed for some neighbours too.
    const reference = creditorReferenceFor('INV0B1');
    expect(isValidCreditorReference(reference)).toBe(true);
    expect(isValidCreditorReference(reference.replace('B1', '1B'))).toBe(true);
  });
});
