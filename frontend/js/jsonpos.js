// Where things are in a JSON text: a small strict JSON parser that records, for every
// value, its JSON pointer (RFC 6901) and its place in the text, so that an error the
// server reports for "/nodes/n3/choices/0/next" can be shown on the right line.

const MAX_DEPTH = 32; // as the server (JSON_MAX_DEPTH)

/** "/nodes/a~1b" for ['nodes', 'a/b']. */
export function pointerChild(base, key) {
  return `${base}/${String(key).replace(/~/g, '~0').replace(/\//g, '~1')}`;
}

class JsonSyntaxError extends Error {
  constructor(message, offset) {
    super(message);
    this.offset = offset;
  }
}

/**
 * Parses `text`. Returns { ok: true, value, places } where `places` maps each pointer
 * ('' for the whole document) to { start, end, keyStart?, keyEnd?, container }, or
 * { ok: false, message, offset } (a Dutch message) for text that is not JSON.
 */
export function locateJson(text) {
  const places = new Map();
  let i = 0;
  const n = text.length;

  const fail = (message, at = i) => { throw new JsonSyntaxError(message, at); };
  const ws = () => {
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) i += 1;
      else break;
    }
  };
  const describe = (at) => (at >= n ? 'het einde van de tekst' : `het teken ${JSON.stringify(text[at])}`);

  function parseString() {
    const start = i;
    i += 1; // opening quote
    let out = '';
    let chunk = i;
    for (;;) {
      if (i >= n) fail('Een tekst tussen aanhalingstekens is niet afgesloten.', start);
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        out += text.slice(chunk, i);
        i += 1;
        return { value: out, start, end: i };
      }
      if (c < 0x20) {
        fail(c === 0x0a
          ? 'Een tekst tussen aanhalingstekens loopt door over de regel; schrijf een regelovergang als \\n.'
          : 'Een tekst bevat een onzichtbaar stuurteken; verwijder het of schrijf het als \\u-code.');
      }
      if (c === 0x5c) {
        out += text.slice(chunk, i);
        const e = text[i + 1];
        const simple = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
        if (e in simple) {
          out += simple[e];
          i += 2;
        } else if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
          const code = parseInt(text.slice(i + 2, i + 6), 16);
          if (code === 0) fail('\\u0000 is niet toegestaan in een tekst.');
          out += String.fromCharCode(code);
          i += 6;
        } else {
          fail('Ongeldige \\-code in een tekst (toegestaan: \\" \\\\ \\/ \\n \\t \\r \\b \\f \\uXXXX).');
        }
        chunk = i;
      } else {
        i += 1;
      }
    }
  }

  function parseValue(pointer, depth, key) {
    ws();
    if (i >= n) fail('De tekst houdt op waar nog een waarde moet komen.');
    const start = i;
    const c = text[i];
    let value;
    let container = false;
    if (c === '{') {
      if (depth >= MAX_DEPTH) fail('De JSON is te diep genest.');
      container = true;
      value = {};
      i += 1;
      ws();
      if (text[i] === '}') {
        i += 1;
      } else {
        for (;;) {
          ws();
          if (text[i] !== '"') {
            if (text[i] === '}' && value && Object.keys(value).length > 0) fail('Na het laatste veld mag geen komma staan.');
            if (text[i] === "'") fail('JSON gebruikt dubbele aanhalingstekens ("), geen enkele.');
            fail(`Hier moet een naam tussen aanhalingstekens komen, maar er staat ${describe(i)}.`);
          }
          const k = parseString();
          if (Object.prototype.hasOwnProperty.call(value, k.value)) {
            fail(`De naam "${k.value.slice(0, 40)}" staat twee keer in hetzelfde object.`, k.start);
          }
          ws();
          if (text[i] !== ':') fail(`Na de naam "${k.value}" moet een dubbele punt komen.`);
          i += 1;
          const child = pointerChild(pointer, k.value);
          value[k.value] = parseValue(child, depth + 1, k);
          ws();
          if (text[i] === ',') { i += 1; continue; }
          if (text[i] === '}') { i += 1; break; }
          fail(`Hier moet een komma of } komen, maar er staat ${describe(i)}.`);
        }
      }
    } else if (c === '[') {
      if (depth >= MAX_DEPTH) fail('De JSON is te diep genest.');
      container = true;
      value = [];
      i += 1;
      ws();
      if (text[i] === ']') {
        i += 1;
      } else {
        for (let index = 0; ; index += 1) {
          ws();
          if (index > 0 && text[i] === ']') fail('Na het laatste element mag geen komma staan.');
          value.push(parseValue(pointerChild(pointer, index), depth + 1, null));
          ws();
          if (text[i] === ',') { i += 1; continue; }
          if (text[i] === ']') { i += 1; break; }
          fail(`Hier moet een komma of ] komen, maar er staat ${describe(i)}.`);
        }
      }
    } else if (c === '"') {
      value = parseString().value;
    } else if (c === '-' || (c >= '0' && c <= '9')) {
      const m = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(text.slice(i, i + 400));
      if (!m || m[0] === '-') fail('Ongeldig getal.');
      value = Number(m[0]);
      i += m[0].length;
    } else if (text.startsWith('true', i)) {
      value = true; i += 4;
    } else if (text.startsWith('false', i)) {
      value = false; i += 5;
    } else if (text.startsWith('null', i)) {
      value = null; i += 4;
    } else {
      fail(c === "'"
        ? 'JSON gebruikt dubbele aanhalingstekens ("), geen enkele.'
        : `Hier moet een waarde komen, maar er staat ${describe(i)}.`);
    }
    const place = { start, end: i, container };
    if (key) {
      place.keyStart = key.start;
      place.keyEnd = key.end;
    }
    places.set(pointer, place);
    return value;
  }

  try {
    const value = parseValue('', 0, null);
    ws();
    if (i < n) fail(`Na het einde van de JSON staat nog ${describe(i)}.`);
    return { ok: true, value, places };
  } catch (err) {
    if (err instanceof JsonSyntaxError) return { ok: false, message: err.message, offset: err.offset };
    throw err;
  }
}

/** Line starts of `text`, for lineAt(). */
export function lineStarts(text) {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/** 1-based line and column of `offset`, given lineStarts(text). */
export function lineAt(starts, offset) {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, column: offset - starts[lo] + 1 };
}

/**
 * The place in the text for a server error path: the value at `pointer`, or, for
 * something missing (a field that is not there), its nearest parent that is.
 * Returns { start, end, exact, pointer } (the range to select) or null.
 */
export function placeFor(text, places, pointer) {
  let p = typeof pointer === 'string' ? pointer : '';
  if (p !== '' && !p.startsWith('/')) p = '';
  let exact = true;
  while (!places.has(p)) {
    if (p === '') return null;
    p = p.slice(0, p.lastIndexOf('/'));
    exact = false;
  }
  const place = places.get(p);
  const start = place.keyStart !== undefined ? place.keyStart : place.start;
  let end = place.end;
  if (place.container) {
    // A whole node can be long: select only its first line ("n3": {). An array element
    // (a choice) has no name on that line, so it is selected whole when it is short.
    const eol = text.indexOf('\n', start);
    const firstLineEnd = Math.min(place.end, eol === -1 ? text.length : eol);
    const lines = text.slice(start, place.end).split('\n').length;
    end = place.keyStart === undefined && lines <= 12 ? place.end : firstLineEnd;
  }
  return { start, end, exact, pointer: p };
}
