import { describe, expect, it } from 'vitest';
import { addDays, businessDateAt, daysBetween, isBusinessDate, isValidTimeZone, parseBusinessDate } from '../../src/kernel';

describe('business dates', () => {
  it('accept only calendar days that exist', () => {
    expect(isBusinessDate('2028-02-29')).toBe(true);
    expect(isBusinessDate('2026-02-29')).toBe(false);
    expect(isBusinessDate('2026-13-01')).toBe(false);
    expect(isBusinessDate('2026-4-01')).toBe(false);
    expect(() => parseBusinessDate('2026-02-30', 'dueDate')).toThrow(/dueDate must be a calendar date/);
  });

  it('take the day of an instant in the tenant time zone', () => {
    const instant = new Date('2026-12-31T23:30:00Z');
    expect(businessDateAt(instant, 'UTC')).toBe('2026-12-31');
    expect(businessDateAt(instant, 'Europe/Berlin')).toBe('2027-01-01');
    expect(businessDateAt(instant, 'America/New_York')).toBe('2026-12-31');
  });

  it('add days across month and year ends', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(daysBetween('2026-01-01', '2026-03-01')).toBe(59);
  });

  it('know the IANA time zones', () => {
    expect(isValidTimeZone('Europe/Berlin')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus')).toBe(false);
  });
});
