// Dutch number, percentage, size and month formatting for the dashboards.

const NUMBER = new Intl.NumberFormat('nl-NL');
const PCT = new Intl.NumberFormat('nl-NL', { minimumFractionDigits: 0, maximumFractionDigits: 1 });

const SHORT_MONTHS = ['jan', 'feb', 'mrt', 'apr', 'mei', 'jun', 'jul', 'aug', 'sep', 'okt',
  'nov', 'dec'];
const LONG_MONTHS = ['januari', 'februari', 'maart', 'april', 'mei', 'juni', 'juli',
  'augustus', 'september', 'oktober', 'november', 'december'];

/** A finite number, or null for null, undefined, '' and anything not numeric. */
export function num(value) {
  if (value === null || value === undefined || value === '') return null;
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
}

/** "1.234"; "–" when missing. */
export function formatNumber(value) {
  const n = num(value);
  return n === null ? '–' : NUMBER.format(n);
}

/** "87,5%"; "–" when missing. */
export function formatPct(value) {
  const n = num(value);
  return n === null ? '–' : `${PCT.format(n)}%`;
}

/** "1,2 MB" / "830 kB" for a byte count. */
export function formatBytes(bytes) {
  const n = num(bytes) || 0;
  if (n >= 1024 * 1024) return `${PCT.format(n / (1024 * 1024))} MB`;
  if (n >= 1024) return `${Math.round(n / 1024)} kB`;
  return `${n} bytes`;
}

function monthParts(ym) {
  const m = /^(\d{4})-(\d{2})$/.exec(String(ym || ''));
  if (!m) return null;
  const month = Number(m[2]) - 1;
  if (month < 0 || month > 11) return null;
  return { year: m[1], month };
}

/** "nov 2026" for "2026-11". */
export function shortMonth(ym) {
  const p = monthParts(ym);
  return p ? `${SHORT_MONTHS[p.month]} ${p.year}` : String(ym || '');
}

/** "november 2026" for "2026-11". */
export function longMonth(ym) {
  const p = monthParts(ym);
  return p ? `${LONG_MONTHS[p.month]} ${p.year}` : String(ym || '');
}

/** Today as YYYY-MM-DD in the Netherlands (for date inputs). */
export function todayIso() {
  try {
    const parts = new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Europe/Amsterdam', year: 'numeric', month: '2-digit', day: '2-digit',
    }).formatToParts(new Date());
    const get = (t) => parts.find((p) => p.type === t).value;
    return `${get('year')}-${get('month')}-${get('day')}`;
  } catch (e) {
    return new Date().toISOString().slice(0, 10);
  }
}

/** A positive integer id from a query parameter or input, or null. */
export function parseId(value) {
  const s = String(value ?? '').trim();
  if (!/^[0-9]{1,15}$/.test(s)) return null;
  const n = Number(s);
  return n > 0 ? n : null;
}

/** "22 november 2026 om 23:05" for an RFC 3339 time, in the Netherlands' time zone. */
export function formatDateTime(iso) {
  const d = new Date(iso);
  if (!iso || Number.isNaN(d.getTime())) return 'onbekend';
  try {
    const parts = new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Europe/Amsterdam', year: 'numeric', month: 'numeric', day: 'numeric',
      hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
    }).formatToParts(d);
    const get = (t) => parts.find((p) => p.type === t).value;
    return `${Number(get('day'))} ${LONG_MONTHS[Number(get('month')) - 1]} ${get('year')} om ${get('hour')}:${get('minute')}`;
  } catch (e) {
    return d.toISOString().slice(0, 16).replace('T', ' ');
  }
}
