/**
 * The hash chain's canonical JSON against RFC 8785 (JSON Canonicalization Scheme): the vectors below are the
 * RFC's own, written out literally, so an outside verifier can check a reimplementation against the same
 * table. db/canonical-json.ts says which subset of the RFC the chain relies on.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../db/canonical-json.js';
import { eventHash } from '../../db/event-chain.js';

/** The IEEE-754 double with these 64 bits (the RFC's number table gives each sample this way). */
function double(hex: string): number {
  const view = new DataView(new ArrayBuffer(8));
  view.setBigUint64(0, BigInt(`0x${hex}`));
  return view.getFloat64(0);
}

const utf8Hex = (s: string) => Buffer.from(s, 'utf8').toString('hex');

describe('canonical JSON: RFC 8785 vectors', () => {
  it('when the RFC 8785 section 3.2.4 sample is parsed and canonicalized, then the bytes are the RFC output', () => {
    const input = String.raw`{
      "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
      "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
      "literals": [null, true, false]
    }`;
    const expected = String.raw`{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\u000f\nA'B\"\\\\\"/"}`;
    const out = canonicalJson(JSON.parse(input));
    expect(out).toBe(expected);
    // The RFC's UTF-8 rendering of the same output, byte for byte.
    expect(utf8Hex(out)).toBe(
      [
        '7b226c69746572616c73223a5b6e756c6c2c74727565',
        '2c66616c73655d2c226e756d62657273223a5b333333',
        '3333333333332e333333333333332c31652b33302c34',
        '2e352c302e3030322c31652d32375d2c22737472696e',
        '67223a22e282ac245c75303030665c6e4127425c225c',
        '5c5c5c5c222f227d',
      ].join(''),
    );
  });

  it('when keys sort (RFC 8785 section 3.2.3), then they are ordered by UTF-16 code units, not code points or locale', () => {
    const input = String.raw`{
      "\u20ac": "Euro Sign",
      "\r": "Carriage Return",
      "\ufb33": "Hebrew Letter Dalet With Dagesh",
      "1": "One",
      "\ud83d\ude00": "Emoji: Grinning Face",
      "\u0080": "Control",
      "\u00f6": "Latin Small Letter O With Diaeresis"
    }`;
    // U+1F600 is the surrogate pair D83D DE00, so it sorts before U+FB33 (by code point it would come after).
    const expected =
      '{"\\r":"Carriage Return","1":"One","\u0080":"Control","\u00f6":"Latin Small Letter O With Diaeresis",' +
      '"\u20ac":"Euro Sign","\ud83d\ude00":"Emoji: Grinning Face","\ufb33":"Hebrew Letter Dalet With Dagesh"}';
    expect(canonicalJson(JSON.parse(input))).toBe(expected);
  });

  // RFC 8785 Appendix B: IEEE-754 bit patterns and their serialization (the finite ones; NaN and Infinity below).
  it.each([
    ['0000000000000000', '0', 'zero'],
    ['8000000000000000', '0', 'minus zero'],
    ['0000000000000001', '5e-324', 'min pos number'],
    ['8000000000000001', '-5e-324', 'min neg number'],
    ['7fefffffffffffff', '1.7976931348623157e+308', 'max pos number'],
    ['ffefffffffffffff', '-1.7976931348623157e+308', 'max neg number'],
    ['4340000000000000', '9007199254740992', 'max pos int'],
    ['c340000000000000', '-9007199254740992', 'max neg int'],
    ['4430000000000000', '295147905179352830000', '~2**68'],
    ['44b52d02c7e14af5', '9.999999999999997e+22', ''],
    ['44b52d02c7e14af6', '1e+23', ''],
    ['44b52d02c7e14af7', '1.0000000000000001e+23', ''],
    ['444b1ae4d6e2ef4e', '999999999999999700000', ''],
    ['444b1ae4d6e2ef4f', '999999999999999900000', ''],
    ['444b1ae4d6e2ef50', '1e+21', ''],
    ['3eb0c6f7a0b5ed8c', '9.999999999999997e-7', ''],
    ['3eb0c6f7a0b5ed8d', '0.000001', ''],
    ['41b3de4355555553', '333333333.3333332', ''],
    ['41b3de4355555554', '333333333.33333325', ''],
    ['41b3de4355555555', '333333333.3333333', ''],
    ['41b3de4355555556', '333333333.3333334', ''],
    ['41b3de4355555557', '333333333.33333343', ''],
    ['becbf647612f3696', '-0.0000033333333333333333', ''],
    ['43143ff3c1cb0959', '1424953923781206.2', 'round to even'],
  ])('when the number is 0x%s, then it is written %s %s', (bits, expected) => {
    expect(canonicalJson(double(bits))).toBe(expected);
    expect(canonicalJson([double(bits)])).toBe(`[${expected}]`);
  });

  it('when a string holds controls, quotes, a solidus and non-ASCII, then only what JSON requires is escaped, in lowercase hex', () => {
    const s = '\u0000\u0001\u001f\b\t\n\f\r"\\/\u007f\u00e9\u4e2d\ud83d\ude00';
    expect(canonicalJson(s)).toBe(String.raw`"\u0000\u0001\u001f\b\t\n\f\r\"\\/` + '\u007f\u00e9\u4e2d\ud83d\ude00"');
  });

  it('when values nest, then every level is sorted, array order is kept and there is no whitespace', () => {
    const value = {
      z: [3, { b: 2, a: [{ d: 1, c: 0 }] }, [], {}],
      a: { y: true, x: false, '': null },
      m: '',
      B: -1.5,
    };
    expect(canonicalJson(value)).toBe(
      '{"B":-1.5,"a":{"":null,"x":false,"y":true},"m":"","z":[3,{"a":[{"c":0,"d":1}],"b":2},[],{}]}',
    );
  });

  it.each([
    [null, 'null'],
    [true, 'true'],
    [false, 'false'],
    ['', '""'],
    [[], '[]'],
    [{}, '{}'],
  ])('when the value is the literal %j, then it is written %s', (value, expected) => {
    expect(canonicalJson(value)).toBe(expected);
  });

  it('when prefixes and case differ, then the shorter name and upper case sort first (code units, not locale)', () => {
    expect(canonicalJson({ ab: 1, a: 2, B: 3, b: 4, _: 5, 10: 6, 9: 7 })).toBe(
      '{"10":6,"9":7,"B":3,"_":5,"a":2,"ab":1,"b":4}',
    );
  });
});

describe('canonical JSON outside the I-JSON subset (RFC 8785 would refuse these)', () => {
  // These are pinned, not endorsed: they are what JSON.stringify stores, and changing them would change the
  // hash of anything already recorded with them (see db/canonical-json.ts for why no recorded event holds one).
  it('when a number is not finite, then it is written null, as JSON.stringify stores it', () => {
    expect(canonicalJson([Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY])).toBe('[null,null,null]');
  });

  it('when a member is undefined, then it is left out of an object and null in an array', () => {
    expect(canonicalJson({ a: undefined, b: 1 })).toBe('{"b":1}');
    expect(canonicalJson([undefined])).toBe('[null]');
    expect(canonicalJson(undefined)).toBe('null');
  });

  it('when a string holds a lone surrogate, then it is escaped as \\udxxx', () => {
    expect(canonicalJson('\ud800x\udc00')).toBe(String.raw`"\ud800x\udc00"`);
  });

  it('when a value is a Date, then its toJSON is not called: dates enter the chain as ISO strings', () => {
    expect(canonicalJson({ at: new Date(0) })).toBe('{"at":{}}');
  });
});

describe('the event hash', () => {
  it('when an event is hashed, then the hash is SHA-256 over the UTF-8 bytes of its canonical JSON', () => {
    const event = {
      caseId: '5f0c1b9e-3d1a-4c2b-9a7e-2b8f6c4d1e00',
      seq: 2,
      type: 'mediator_assigned',
      at: '2026-03-02T09:15:00.000+08:00',
      actorId: 'staff-7',
      actorRole: 'staff',
      payload: {
        mediatorId: 'm-12',
        note: '调解员 € 😀',
        amounts: [4.5, 1e30, 0.002],
        extra: undefined,
        flags: { urgent: false, b: null },
      },
      prevHash: 'a'.repeat(64),
    };
    const canonical =
      '{"actorId":"staff-7","actorRole":"staff","at":"2026-03-02T01:15:00.000Z",' +
      '"caseId":"5f0c1b9e-3d1a-4c2b-9a7e-2b8f6c4d1e00",' +
      '"payload":{"amounts":[4.5,1e+30,0.002],"flags":{"b":null,"urgent":false},"mediatorId":"m-12","note":"调解员 € 😀"},' +
      `"prevHash":"${'a'.repeat(64)}","seq":2,"type":"mediator_assigned"}`;
    const sha256 = createHash('sha256').update(Buffer.from(canonical, 'utf8')).digest('hex');
    expect(eventHash(event)).toBe(sha256);
    // Pinned: a change to the canonical form would break the verification of every recorded chain.
    expect(sha256).toBe('11750c293d9ab7f95ae5ff4191883cc36acf9cf708a8c1e019ef134a0622c1db');
  });
});
