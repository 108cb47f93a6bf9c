/**
 * Exact decimals as the API carries them ("4.40", "-2.5"). Parsing what a person
 * typed and comparing two quantities, without binary floats.
 */

const canonical = /^-?\d+(\.\d+)?$/;

/** True for a decimal string as the API takes it. */
export function isDecimal(text: string): boolean {
  return canonical.test(text);
}

/**
 * What a person typed ("1.234,5", "12,5", "12.5", " 7 ") as an API decimal
 * ("1234.5"), or null when it is not a number. When both "." and "," appear the
 * last one is the decimal separator; a lone "," is one too.
 */
export function parseDecimalInput(text: string): string | null {
  let value = text.trim().replace(/[\s\u00a0\u202f']/g, '');
  if (value === '') return null;
  const lastDot = value.lastIndexOf('.');
  const lastComma = value.lastIndexOf(',');
  if (lastDot >= 0 && lastComma >= 0) {
    const decimalSeparator = lastDot > lastComma ? '.' : ',';
    const groupSeparator = decimalSeparator === '.' ? ',' : '.';
    value = value.split(groupSeparator).join('');
    if (decimalSeparator === ',') value = value.replace(',', '.');
  } else if (lastComma >= 0) {
    value = value.replace(',', '.');
  }
  if (value.startsWith('+')) value = value.slice(1);
  if (value.startsWith('.')) value = `0${value}`;
  return canonical.test(value) ? value : null;
}

interface Parts {
  readonly negative: boolean;
  readonly whole: string;
  readonly fraction: string;
}

function parts(value: string): Parts {
  const negative = value.startsWith('-');
  const [whole = '0', fraction = ''] = (negative ? value.slice(1) : value).split('.');
  return { negative, whole: whole.replace(/^0+(?=\d)/, ''), fraction: fraction.replace(/0+$/, '') };
}

/** Both decimals as integers of one scale (number of fraction digits). */
function scaled(a: string, b: string): { x: bigint; y: bigint; scale: number } {
  const p = parts(a);
  const q = parts(b);
  const scale = Math.max(p.fraction.length, q.fraction.length);
  const toBig = (r: Parts) => {
    const digits = BigInt(r.whole + r.fraction.padEnd(scale, '0'));
    return r.negative ? -digits : digits;
  };
  return { x: toBig(p), y: toBig(q), scale };
}

function fromScaled(value: bigint, scale: number): string {
  const negative = value < 0n;
  const digits = (negative ? -value : value).toString().padStart(scale + 1, '0');
  const whole = digits.slice(0, digits.length - scale);
  const fraction = scale === 0 ? '' : digits.slice(digits.length - scale).replace(/0+$/, '');
  return `${negative ? '-' : ''}${whole}${fraction === '' ? '' : `.${fraction}`}`;
}

/** -1, 0 or 1 as a is less than, equal to or greater than b (both API decimals). */
export function compareDecimal(a: string, b: string): number {
  const { x, y } = scaled(a, b);
  return x > y ? 1 : x < y ? -1 : 0;
}

/** a + b, exactly. */
export function addDecimal(a: string, b: string): string {
  const { x, y, scale } = scaled(a, b);
  return fromScaled(x + y, scale);
}

/** a − b, exactly. */
export function subtractDecimal(a: string, b: string): string {
  const { x, y, scale } = scaled(a, b);
  return fromScaled(x - y, scale);
}

export function isPositiveDecimal(value: string | null): value is string {
  return value !== null && compareDecimal(value, '0') > 0;
}

/** An amount that may be left empty: null when empty, the amount when it is above zero, undefined for anything else. */
export function parseOptionalAmount(text: string): string | null | undefined {
  if (text.trim() === '') return null;
  const amount = parseDecimalInput(text);
  return isPositiveDecimal(amount) ? amount : undefined;
}

/** The sum of decimals, exactly ("0" for none). */
export function sumDecimals(values: readonly string[]): string {
  return values.reduce((sum, value) => addDecimal(sum, value), '0');
}

/**
 * How much of `whole` `part` is, in `steps` (1000: per mille), rounded down; for
 * drawing (a bar's length), worked out on exact integers. 0 when the whole is not
 * positive; never more than `steps`.
 */
export function proportion(part: string, whole: string, steps = 1000): number {
  const { x, y } = scaled(part, whole);
  if (y <= 0n || x <= 0n) return 0;
  const share = (x * BigInt(steps)) / y;
  return share > BigInt(steps) ? steps : Number(share);
}
