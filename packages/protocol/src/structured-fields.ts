/**
 * The subset of RFC 8941 Structured Field Values that HTTP Message Signatures (RFC 9421) use:
 * dictionaries whose members are items or inner lists, each with parameters. Parsing follows the
 * RFC's algorithms and is strict: anything malformed throws {@link StructuredFieldError}.
 */

export type BareItem = string | number | boolean | Token | Uint8Array;

/** An RFC 8941 token (unquoted), kept distinct from a string so it serialises back the same. */
export class Token {
  constructor(readonly value: string) {}
}

export type Parameters = Map<string, BareItem>;

export interface Item {
  readonly kind: 'item';
  readonly value: BareItem;
  readonly params: Parameters;
}

export interface InnerList {
  readonly kind: 'inner-list';
  readonly items: Item[];
  readonly params: Parameters;
}

export type DictionaryMember = Item | InnerList;

export class StructuredFieldError extends Error {
  override readonly name = 'StructuredFieldError';
}

class Parser {
  pos = 0;
  constructor(readonly input: string) {}

  fail(message: string): never {
    throw new StructuredFieldError(`${message} at position ${this.pos}`);
  }
  peek(): string {
    return this.input[this.pos] ?? '';
  }
  eof(): boolean {
    return this.pos >= this.input.length;
  }
  skipSP(): void {
    while (this.peek() === ' ') this.pos++;
  }
  skipOWS(): void {
    while (this.peek() === ' ' || this.peek() === '\t') this.pos++;
  }

  key(): string {
    const first = this.peek();
    if (!/[a-z*]/.test(first)) this.fail('Expected a key');
    let out = '';
    while (/[a-z0-9_\-.*]/.test(this.peek()) && !this.eof()) out += this.input[this.pos++];
    return out;
  }

  bareItem(): BareItem {
    const c = this.peek();
    if (c === '-' || /[0-9]/.test(c)) return this.number();
    if (c === '"') return this.string();
    if (c === ':') return this.byteSequence();
    if (c === '?') return this.boolean();
    if (/[A-Za-z*]/.test(c)) return this.token();
    return this.fail('Expected a bare item');
  }

  number(): number {
    const match = /^-?[0-9]{1,15}(\.[0-9]{1,3})?/.exec(this.input.slice(this.pos));
    if (!match) return this.fail('Expected a number');
    const text = match[0];
    const integerDigits = text.replace('-', '').split('.')[0] ?? '';
    if (match[1] !== undefined && integerDigits.length > 12) this.fail('Decimal has too many integer digits');
    this.pos += text.length;
    if (/[0-9.]/.test(this.peek())) this.fail('Number too long');
    return Number(text);
  }

  string(): string {
    this.pos++; // opening quote
    let out = '';
    while (!this.eof()) {
      const c = this.input[this.pos++] ?? '';
      if (c === '\\') {
        const next = this.input[this.pos++] ?? '';
        if (next !== '"' && next !== '\\') this.fail('Invalid escape in string');
        out += next;
      } else if (c === '"') {
        return out;
      } else {
        const code = c.charCodeAt(0);
        if (code < 0x20 || code > 0x7e) this.fail('Invalid character in string');
        out += c;
      }
    }
    return this.fail('Unterminated string');
  }

  token(): Token {
    let out = '';
    while (!this.eof() && /[A-Za-z0-9!#$%&'*+\-.^_`|~:/]/.test(this.peek())) out += this.input[this.pos++];
    return new Token(out);
  }

  byteSequence(): Uint8Array {
    this.pos++;
    const end = this.input.indexOf(':', this.pos);
    if (end < 0) this.fail('Unterminated byte sequence');
    const text = this.input.slice(this.pos, end);
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text)) this.fail('Invalid base64 in byte sequence');
    this.pos = end + 1;
    return new Uint8Array(Buffer.from(text, 'base64'));
  }

  boolean(): boolean {
    this.pos++;
    const c = this.input[this.pos++];
    if (c === '1') return true;
    if (c === '0') return false;
    return this.fail('Invalid boolean');
  }

  parameters(): Parameters {
    const params: Parameters = new Map();
    while (this.peek() === ';') {
      this.pos++;
      this.skipSP();
      const name = this.key();
      let value: BareItem = true;
      if (this.peek() === '=') {
        this.pos++;
        value = this.bareItem();
      }
      params.set(name, value);
    }
    return params;
  }

  item(): Item {
    const value = this.bareItem();
    return { kind: 'item', value, params: this.parameters() };
  }

  innerList(): InnerList {
    this.pos++; // (
    const items: Item[] = [];
    while (!this.eof()) {
      this.skipSP();
      if (this.peek() === ')') {
        this.pos++;
        return { kind: 'inner-list', items, params: this.parameters() };
      }
      items.push(this.item());
      if (this.peek() !== ' ' && this.peek() !== ')') this.fail('Expected space or ) in inner list');
    }
    return this.fail('Unterminated inner list');
  }

  member(): DictionaryMember {
    return this.peek() === '(' ? this.innerList() : this.item();
  }
}

/** Parse a Structured Field Dictionary (e.g. `Signature-Input`). Later duplicate keys win, as in the RFC. */
export function parseDictionary(input: string): Map<string, DictionaryMember> {
  const parser = new Parser(input.trim());
  const out = new Map<string, DictionaryMember>();
  if (parser.eof()) return out;
  while (!parser.eof()) {
    const name = parser.key();
    let member: DictionaryMember;
    if (parser.peek() === '=') {
      parser.pos++;
      member = parser.member();
    } else {
      member = { kind: 'item', value: true, params: parser.parameters() };
    }
    out.set(name, member);
    parser.skipOWS();
    if (parser.eof()) break;
    if (parser.peek() !== ',') parser.fail('Expected , between dictionary members');
    parser.pos++;
    parser.skipOWS();
    if (parser.eof()) parser.fail('Trailing comma');
  }
  return out;
}

export function serializeBareItem(value: BareItem): string {
  if (value instanceof Token) return value.value;
  if (value instanceof Uint8Array) return `:${Buffer.from(value).toString('base64')}:`;
  if (typeof value === 'boolean') return value ? '?1' : '?0';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new StructuredFieldError('Numbers must be finite');
    return Number.isInteger(value) ? String(value) : String(Math.round(value * 1000) / 1000);
  }
  if (!/^[\x20-\x7e]*$/.test(value)) throw new StructuredFieldError('Strings must be printable ASCII');
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

export function serializeParameters(params: Parameters): string {
  let out = '';
  for (const [name, value] of params) out += value === true ? `;${name}` : `;${name}=${serializeBareItem(value)}`;
  return out;
}

/** Canonical serialisation of an inner list with its parameters, e.g. `("@method" "@path");created=1`. */
export function serializeInnerList(list: InnerList): string {
  return `(${list.items.map((i) => serializeBareItem(i.value) + serializeParameters(i.params)).join(' ')})${serializeParameters(list.params)}`;
}
