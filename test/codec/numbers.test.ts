/**
 * Tests for src/codec/numbers.ts. Every expected value in the tables below, and in
 * fixtures/incrbyfloat-cases.json, is a reply captured from a real redis-server 7.0.15 (x86-64,
 * glibc) on 127.0.0.1, not output of the module:
 * - INTEGER_CASES: `DEL k` then `INCRBY k <input>`; the integer reply, or null for the error
 *   "ERR value is not an integer or out of range".
 * - DOUBLE_CASES: `ZADD z <input> m` then `ZSCORE z m` on a skiplist-encoded zset (listpack turns
 *   -0 into 0); null where ZADD replied "ERR value is not a valid float".
 * - FORMAT_CASES: the same with the shortest JavaScript text of a double as input.
 * - BOUND_CASES: null where `ZCOUNT z <input> <input>` replied "ERR min or max is not a float";
 *   otherwise the server counted a member scored exactly at the given value.
 * Random inputs come from seeded generators; the fast-check properties are seeded too.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  formatDouble,
  formatLongDouble,
  incrByFloat,
  parseDouble,
  parseInteger,
  parseLongDouble,
  parseScoreBound,
  type IncrByFloatResult,
} from '../../src/codec/numbers.ts';
import fixture from './fixtures/incrbyfloat-cases.json';

const INTEGER_CASES: readonly (readonly [string, string | null])[] = [
  ["0", "0"],
  ["-0", null],
  ["00", null],
  ["01", null],
  ["-01", null],
  ["1", "1"],
  ["-1", "-1"],
  ["+1", null],
  [" 1", null],
  ["1 ", null],
  ["", null],
  ["-", null],
  ["--1", null],
  ["\t1", null],
  ["1\u0000", null],
  ["12a", null],
  ["0x10", null],
  ["1e3", null],
  ["1.0", null],
  ["9", "9"],
  ["-9", "-9"],
  ["123456789012345", "123456789012345"],
  ["999999999999999", "999999999999999"],
  ["1000000000000000", "1000000000000000"],
  ["-1000000000000000", "-1000000000000000"],
  ["9007199254740991", "9007199254740991"],
  ["9007199254740992", "9007199254740992"],
  ["-9007199254740991", "-9007199254740991"],
  ["-9007199254740992", "-9007199254740992"],
  ["9007199254740993", "9007199254740993"],
  ["9223372036854775807", "9223372036854775807"],
  ["9223372036854775808", null],
  ["-9223372036854775808", "-9223372036854775808"],
  ["-9223372036854775809", null],
  ["18446744073709551615", null],
  ["99999999999999999999", null],
  ["123456789012345678901", null],
  ["00000000000000000001", null],
  ["-00000000000000000001", null],
  ["1234567890123456789", "1234567890123456789"],
  ["26360", "26360"],
  ["-96717102635281344404", null],
  ["-972422", "-972422"],
  ["9", "9"],
  ["-105831858339982", "-105831858339982"],
  ["-975727583306", "-975727583306"],
  ["-489291", "-489291"],
  ["2139169620", "2139169620"],
  ["76515", "76515"],
  ["8278", "8278"],
  ["6191436746206724414", "6191436746206724414"],
  ["384602924280624", "384602924280624"],
  ["-19414", "-19414"],
  ["42010", "42010"],
  ["3936054", "3936054"],
  ["-725837524", "-725837524"],
  ["2", "2"],
  ["-7150224378370298498", "-7150224378370298498"],
  ["-29299655", "-29299655"],
  ["38", "38"],
  ["-2070409539331", "-2070409539331"],
  ["8357500164", "8357500164"],
  ["-919147493766", "-919147493766"],
  ["9718111942036336", "9718111942036336"],
  ["66059771346", "66059771346"],
  ["-6383283041637", "-6383283041637"],
  ["-63663189", "-63663189"],
  ["36871395959061095", "36871395959061095"],
  ["-54306965363667614", "-54306965363667614"],
  ["-526527110", "-526527110"],
  ["540", "540"],
  ["-8563087073671", "-8563087073671"],
  ["37", "37"],
  ["738", "738"],
  ["1060813", "1060813"],
  ["-92530428888834957688", null],
  ["-9716151180986107470", null],
  ["-1284114", "-1284114"],
  ["74981886216884858", "74981886216884858"],
  ["1874", "1874"],
];

const DOUBLE_CASES: readonly (readonly [string, string | null])[] = [
  ["0", "0"],
  ["-0", "-0"],
  ["+0", "0"],
  ["-0.0", "-0"],
  ["1", "1"],
  ["+1", "1"],
  ["-1", "-1"],
  [" 1", null],
  ["1 ", null],
  ["\t1", null],
  ["\n1", null],
  ["", null],
  [".", null],
  ["1.", "1"],
  [".5", "0.5"],
  ["+.5", "0.5"],
  ["-.5", "-0.5"],
  ["1e", null],
  ["1e+", null],
  ["1e-", null],
  ["e5", null],
  ["1e5", "100000"],
  ["1E5", "100000"],
  ["1e+5", "100000"],
  ["1e-5", "1.0000000000000001e-05"],
  ["1e400", null],
  ["-1e400", null],
  ["1e-400", null],
  ["-1e-400", null],
  ["4.9e-324", "4.9406564584124654e-324"],
  ["2.5e-324", "4.9406564584124654e-324"],
  ["2.4e-324", null],
  ["2.4703282292062328e-324", "4.9406564584124654e-324"],
  ["2.4703282292062327e-324", null],
  ["2.2250738585072014e-308", "2.2250738585072014e-308"],
  ["1e-310", "9.9999999999999694e-311"],
  ["1.7976931348623157e308", "1.7976931348623157e+308"],
  ["1.7976931348623158e308", "1.7976931348623157e+308"],
  ["1.7976931348623159e308", null],
  ["0x10", "16"],
  ["0X10", "16"],
  ["-0x10", "-16"],
  ["0x1p3", "8"],
  ["0x1P-3", "0.125"],
  ["0x1.8p1", "3"],
  ["0x.8", "0.5"],
  ["0x", null],
  ["0xg", null],
  ["0x1p", null],
  ["0x1p+", null],
  ["0x.p1", null],
  ["0x1p-1075", null],
  ["0x1.8p-1075", "4.9406564584124654e-324"],
  ["0x1p-1074", "4.9406564584124654e-324"],
  ["0x1p1024", null],
  ["0x1.fffffffffffffp1023", "1.7976931348623157e+308"],
  ["0x1.fffffffffffff8p1023", null],
  ["0x1.fffffffffffff7ffp1023", "1.7976931348623157e+308"],
  ["0x0p99999", "0"],
  ["0x0.0000000000000000001p64", "0.000244140625"],
  ["inf", "inf"],
  ["+inf", "inf"],
  ["-inf", "-inf"],
  ["INF", "inf"],
  ["-INF", "-inf"],
  ["Inf", "inf"],
  ["infinity", "inf"],
  ["-Infinity", "-inf"],
  ["INFINITY", "inf"],
  ["infinit", null],
  ["infx", null],
  ["in", null],
  ["i", null],
  ["nan", null],
  ["NaN", null],
  ["-nan", null],
  ["nan(123)", null],
  ["nan(", null],
  ["1\u0000", null],
  ["1\u00002", null],
  ["0.1", "0.10000000000000001"],
  ["0.2", "0.20000000000000001"],
  ["0.3", "0.29999999999999999"],
  ["00001.5", "1.5"],
  ["1_0", null],
  ["1,5", null],
  ["0e999999999999", "0"],
  ["1e-999999999999", null],
  ["1e999999999999", null],
  ["0.0000000000000000000000000000001e31", "1"],
  ["123456789012345678901234567890", "1.2345678901234568e+29"],
  ["1e0001", "10"],
  ["1.5e+0", "1.5"],
  ["9007199254740993", "9007199254740992"],
  ["1000000000000000.25", "1000000000000000.2"],
  ["1000000000000000.75", "1000000000000000.8"],
  ["0.000003814697265625", "3.814697265625e-06"],
  ["3.0e3", "3000"],
  ['1.' + '0'.repeat(6000), "1"],
  ["173291.781364865267", "173291.78136486528"],
  ["8751429665958709968336.44114730614996", "8.7514296659587105e+21"],
  ["788", "788"],
  ["2.6", "2.6000000000000001"],
  ["0.00000000000000000099268674476", "9.9268674475999995e-19"],
  ["-5944", "-5944"],
  ["+33387604.29316E-1392", null],
  ["-424.9", "-424.89999999999998"],
  ["575644", "575644"],
  ["6.19", "6.1900000000000004"],
  ["822561.27253475", "822561.27253475005"],
  ["2108460.24e2097", null],
  ["97009597144076007", "97009597144076000"],
  ["-113817032815753523.154614", "-1.1381703281575352e+17"],
  ["-832772062900300673223702", "-8.3277206290030068e+23"],
  ["2348", "2348"],
  ["-541148.99675E+100", "-5.4114899674999997e+105"],
  ["6", "6"],
  ["0.00000000000000000381237782", "3.8123778200000003e-18"],
  ["3474.50E+4", "34745000"],
  ["2967.764", "2967.7640000000001"],
  ["7.6280508601", "7.6280508601000001"],
  ["+49.7", "49.700000000000003"],
  ["-0.5410148", "-0.54101480000000002"],
  ["+688.8", "688.79999999999995"],
  ["-3.7", "-3.7000000000000002"],
  ["2396657.9752050e+3", "2396657975.2049999"],
  ["0.000000553242", "5.5324200000000005e-07"],
  ["+6874809558548.7133354", "6874809558548.7129"],
  ["80.", "80"],
  ["-0.00000000000000000008523761648", "-8.5237616479999997e-20"],
  ["406.48", "406.48000000000002"],
  ["48.74e-19", "4.8739999999999996e-18"],
  ["-6947.94332e-4867", null],
  ["53724942008.4023", "53724942008.402298"],
  ["0.000000000000000938537944359", "9.3853794435900006e-16"],
  ["70.263", "70.263000000000005"],
  ["-5811595903268708517", "-5.8115959032687084e+18"],
  ["316417371576.31313e3983", null],
  ["672.935", "672.93499999999995"],
];

const FORMAT_CASES: readonly (readonly [string, string])[] = [
  ["0", "0"],
  ["-0", "-0"],
  ["1", "1"],
  ["-1", "-1"],
  ["2.5", "2.5"],
  ["0.1", "0.10000000000000001"],
  ["0.5", "0.5"],
  ["1e-5", "1.0000000000000001e-05"],
  ["1e-4", "0.0001"],
  ["0.0001234", "0.00012339999999999999"],
  ["1e300", "1.0000000000000001e+300"],
  ["1e-300", "1e-300"],
  ["1e16", "10000000000000000"],
  ["1e17", "1e+17"],
  ["1e21", "1e+21"],
  ["123456789012345678", "1.2345678901234568e+17"],
  ["12345678901234567", "12345678901234568"],
  ["99999999999999999", "1e+17"],
  ["1.7976931348623157e+308", "1.7976931348623157e+308"],
  ["5e-324", "4.9406564584124654e-324"],
  ["2.2250738585072014e-308", "2.2250738585072014e-308"],
  ["9007199254740992", "9007199254740992"],
  ["9007199254740993", "9007199254740992"],
  ["25917821091296688", "25917821091296688"],
  ["-98507225528147168", "-98507225528147168"],
  ["1000000000000000.2", "1000000000000000.2"],
  ["1000000000000000.8", "1000000000000000.8"],
  ["2251799813685248.5", "2251799813685248.5"],
  ["0.3", "0.29999999999999999"],
  ["100", "100"],
  ["1234.5678", "1234.5678"],
  ["3.14159", "3.1415899999999999"],
  ["-2.718281828459045", "-2.7182818284590451"],
  ["65536.0001", "65536.000100000005"],
  ["1e-7", "9.9999999999999995e-08"],
  ["0.00001", "1.0000000000000001e-05"],
  ["8.150304793123526e-141", "8.1503047931235257e-141"],
  ["-1.1807329706610303e-137", "-1.1807329706610303e-137"],
  ["1.5868369635831726e+205", "1.5868369635831726e+205"],
  ["-4.1606499534989393e+238", "-4.1606499534989393e+238"],
  ["3.242838792420843e-70", "3.242838792420843e-70"],
  ["-2.4252444670724006e+131", "-2.4252444670724006e+131"],
  ["4.230030548276866e-62", "4.2300305482768658e-62"],
  ["-8.290508433709903e+21", "-8.2905084337099029e+21"],
  ["-9.195224851029937e-248", "-9.1952248510299372e-248"],
  ["-8.54075701799449e-205", "-8.5407570179944898e-205"],
  ["-1.0994502790499644e-224", "-1.0994502790499644e-224"],
  ["-1.482596319921186e+113", "-1.482596319921186e+113"],
  ["3.5079463067316143e-113", "3.5079463067316143e-113"],
  ["7.138284623611739e+130", "7.1382846236117392e+130"],
  ["6.385408050664473e-24", "6.3854080506644726e-24"],
  ["-3.402472454017252e-204", "-3.4024724540172522e-204"],
  ["-3.8229731396699684e+66", "-3.8229731396699684e+66"],
  ["-8.417890245342148e+116", "-8.4178902453421478e+116"],
  ["4.288768046047627e-139", "4.2887680460476269e-139"],
  ["7.296062752692752e-96", "7.2960627526927524e-96"],
  ["3.393195913313091e-174", "3.3931959133130909e-174"],
  ["-7.295361917251307e+111", "-7.2953619172513068e+111"],
  ["6.609277626745657e-175", "6.6092776267456573e-175"],
  ["-1.0337863714093633e+216", "-1.0337863714093633e+216"],
  ["-1.219930045325988e-130", "-1.219930045325988e-130"],
  ["-1.2470185328736757e+36", "-1.2470185328736757e+36"],
  ["-5.820764176688824e+255", "-5.8207641766888241e+255"],
  ["4.5473416665963944e+66", "4.5473416665963944e+66"],
  ["4.233897411271093e+289", "4.2338974112710934e+289"],
  ["1.3207236802136845e+244", "1.3207236802136845e+244"],
  ["-1.686664448441954e-123", "-1.6866644484419539e-123"],
  ["-3.5538585018464444e-140", "-3.5538585018464444e-140"],
  ["2.3914512700972437e-240", "2.3914512700972437e-240"],
  ["4.8151094817193137e-17", "4.8151094817193137e-17"],
  ["6.739729442697944e-184", "6.7397294426979441e-184"],
  ["-1.4375710558349106e+78", "-1.4375710558349106e+78"],
  ["-8.044020561089724e-86", "-8.0440205610897244e-86"],
  ["-7.696102906017969e+193", "-7.696102906017969e+193"],
  ["-1.4362506595069072e+293", "-1.4362506595069072e+293"],
  ["9.931401950883434e+223", "9.9314019508834337e+223"],
  ["9897747439330562000", "9.897747439330562e+18"],
  ["486568760690244900", "4.8656876069024493e+17"],
  ["7636", "7636"],
  ["-39653144252492325000", "-3.9653144252492325e+19"],
  ["-3.9", "-3.8999999999999999"],
  ["771960291444.1656", "771960291444.16565"],
  ["318", "318"],
  ["-7.836931056950202e-18", "-7.836931056950202e-18"],
  ["-4.1211e-21", "-4.1211000000000001e-21"],
  ["3.3500581998192e-16", "3.3500581998192001e-16"],
  ["4.1653155618623e-10", "4.1653155618623e-10"],
  ["149.86", "149.86000000000001"],
  ["633119", "633119"],
  ["1.83743110868e-16", "1.8374311086800001e-16"],
  ["-98212837308.89838", "-98212837308.898376"],
  ["58565", "58565"],
  ["5288753364823576000", "5.2887533648235756e+18"],
  ["-663491863477986.4", "-663491863477986.38"],
  ["-8.4", "-8.4000000000000004"],
  ["4.63e-7", "4.63e-07"],
  ["-99.541", "-99.540999999999997"],
  ["310774198662162.06", "310774198662162.06"],
  ["5429821722830595000", "5.4298217228305951e+18"],
  ["49032392.729841", "49032392.729841001"],
  ["-72.28403471755", "-72.28403471755"],
  ["5.37169348322504e-24", "5.3716934832250398e-24"],
  ["-2303", "-2303"],
  ["99.7526", "99.752600000000001"],
  ["260756449001472.06", "260756449001472.06"],
  ["678895792422912.2", "678895792422912.25"],
  ["202130004639744.25", "202130004639744.25"],
  ["343996696756224.1", "343996696756224.12"],
  ["-7793128243200.0625", "-7793128243200.0625"],
  ["250595877191680.06", "250595877191680.06"],
  ["79662546485248.06", "79662546485248.062"],
  ["156726491283456.06", "156726491283456.06"],
  ["876091889942528.2", "876091889942528.25"],
  ["-51622604308480.125", "-51622604308480.125"],
  ["488839127105536.1", "488839127105536.12"],
  ["1004556307660800.2", "1004556307660800.2"],
  ["-199101155246080.06", "-199101155246080.06"],
  ["1069352032665600.2", "1069352032665600.2"],
  ["-33520254386176.062", "-33520254386176.062"],
  ["-82873019203584.06", "-82873019203584.062"],
  ["71873690861568.12", "71873690861568.125"],
  ["77853581770752.12", "77853581770752.125"],
  ["-979126905208832.2", "-979126905208832.25"],
  ["-435194824491008.1", "-435194824491008.12"],
  ["1108402697666560.5", "1108402697666560.5"],
  ["384168538013696.1", "384168538013696.12"],
  ["166639455698944.25", "166639455698944.25"],
  ["-1078206459281408.5", "-1078206459281408.5"],
  ["264461125681152.12", "264461125681152.12"],
  ["-241977222692864.06", "-241977222692864.06"],
  ["-298146943205376.25", "-298146943205376.25"],
  ["-1243498421944320.5", "-1243498421944320.5"],
  ["201160604647424.12", "201160604647424.12"],
  ["393637124505600.1", "393637124505600.12"],
];

// Each non-null value was confirmed by the server: ZADD z <value> m, then ZCOUNT z <input> <input> replied 1.
const BOUND_CASES: readonly (readonly [string, string | null])[] = [
  ["", "0"],
  [" 1", "1"],
  ["\t\n 2.5", "2.5"],
  ["1\u0000garbage", "1"],
  ["\u0000x", "0"],
  ["-", null],
  ["x", null],
  ["1 ", null],
  [" ", null],
  ["nan", null],
  ["-nan", null],
  ["inf", "inf"],
  ["-inf", "-inf"],
  ["+Infinity", "inf"],
  ["1e400", "inf"],
  ["-1e400", "-inf"],
  ["1e-400", "0"],
  ["0x1p0", "1"],
  ["0x10\u0000z", "16"],
  ["1e", null],
  ["1e5", "100000"],
  [".", null],
  ["5.0e3", "5000"],
  ["0.1", "0.1"],
];

const SEED = 20240607;

describe('parseInteger', () => {
  it.each(INTEGER_CASES)('%j → %j as redis-server', (input, expected) => {
    const v = parseInteger(input);
    expect(v === null ? null : String(v)).toBe(expected);
  });

  it('returns a number exactly when |v| <= 2^53-1, else a bigint', () => {
    expect(parseInteger('9007199254740991')).toBe(9007199254740991);
    expect(parseInteger('-9007199254740991')).toBe(-9007199254740991);
    expect(parseInteger('9007199254740992')).toBe(9007199254740992n);
    expect(parseInteger('-9223372036854775808')).toBe(-9223372036854775808n);
    expect(Object.is(parseInteger('0'), 0)).toBe(true);
  });

  it('agrees with BigInt on every canonical int64 string', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), (n) => {
        const v = parseInteger(String(n));
        expect(v).not.toBeNull();
        expect(BigInt(v!)).toBe(n);
        const small = n >= -(2n ** 53n - 1n) && n <= 2n ** 53n - 1n;
        expect(typeof v).toBe(small ? 'number' : 'bigint');
      }),
      { seed: SEED, numRuns: 2000 },
    );
  });

  it('rejects non-canonical spellings and values outside int64', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 2n ** 63n - 1n }), (n) => {
        const s = String(n);
        expect(parseInteger('+' + s)).toBeNull();
        expect(parseInteger('0' + s)).toBeNull();
        expect(parseInteger('-0' + s)).toBeNull();
        expect(parseInteger(s + ' ')).toBeNull();
        expect(parseInteger(String(n + 2n ** 63n))).toBeNull();
        expect(parseInteger(String(-n - 2n ** 63n - 1n))).toBeNull();
      }),
      { seed: SEED, numRuns: 1000 },
    );
  });
});

describe('parseDouble', () => {
  it.each(DOUBLE_CASES)('%j → %j as redis-server', (input, expected) => {
    const v = parseDouble(input);
    expect(v === null ? null : formatDouble(v)).toBe(expected);
  });

  it('keeps the sign of zero and gives infinities', () => {
    expect(Object.is(parseDouble('-0'), -0)).toBe(true);
    expect(Object.is(parseDouble('-0x0p3'), -0)).toBe(true);
    expect(parseDouble('-Infinity')).toBe(-Infinity);
  });

  it('reads back every %.17g text to the same double', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true }), (x) => {
        const text = formatDouble(x);
        const back = parseDouble(text);
        expect(Object.is(back, x)).toBe(true);
        expect(formatDouble(back!)).toBe(text);
      }),
      { seed: SEED, numRuns: 5000 },
    );
  });

  it("reads JavaScript's own number text like Number() does", () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
        expect(parseDouble(String(x))).toBe(Object.is(x, -0) ? 0 : x);
      }),
      { seed: SEED, numRuns: 3000 },
    );
  });
});

describe('parseScoreBound', () => {
  it.each(BOUND_CASES)('%j → %j as redis-server', (input, expected) => {
    const want = expected === null ? null : expected === 'inf' ? Infinity : expected === '-inf' ? -Infinity : Number(expected);
    expect(parseScoreBound(input)).toBe(want);
  });

  it('accepts everything parseDouble accepts, with the same value', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true }), (x) => {
        expect(Object.is(parseScoreBound(formatDouble(x)), x)).toBe(true);
      }),
      { seed: SEED, numRuns: 1000 },
    );
  });
});

/**
 * An independent, slow %.17g: the double's exact decimal expansion via BigInt, rounded half to
 * even to 17 significant digits, laid out as C's %g does.
 */
function referenceG17(x: number): string {
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  const sign = x < 0 ? '-' : '';
  let a = Math.abs(x);
  let k = 0;
  while (!Number.isInteger(a)) {
    a *= 2;
    k++;
  }
  // |x| = a / 2^k = a * 5^k / 10^k.
  const all = (BigInt(a) * 5n ** BigInt(k)).toString();
  let exp = all.length - k - 1;
  const head = all.slice(0, 17).padEnd(17, '0');
  const rest = all.slice(17);
  let n = BigInt(head);
  const firstDropped = rest.length > 0 ? rest.charCodeAt(0) - 48 : 0;
  const moreDropped = /[1-9]/.test(rest.slice(1));
  if (firstDropped > 5 || (firstDropped === 5 && (moreDropped || n % 2n === 1n))) n += 1n;
  let digits = n.toString();
  if (digits.length > 17) {
    digits = digits.slice(0, 17);
    exp++;
  }
  const sig = digits.replace(/0+$/, '') || '0';
  if (exp < -4 || exp >= 17) {
    const e = Math.abs(exp).toString().padStart(2, '0');
    return `${sign}${sig[0]}${sig.length > 1 ? '.' + sig.slice(1) : ''}e${exp < 0 ? '-' : '+'}${e}`;
  }
  const padded = exp < 0 ? '0'.repeat(-exp) + sig : sig.padEnd(exp + 1, '0');
  const point = exp < 0 ? 1 : exp + 1;
  const frac = padded.slice(point);
  return sign + padded.slice(0, point) + (frac ? '.' + frac : '');
}

describe('formatDouble', () => {
  it.each(FORMAT_CASES)('%s → %j as redis-server', (input, expected) => {
    expect(formatDouble(Number(input))).toBe(expected);
  });

  it('spells infinities as Redis does', () => {
    expect(formatDouble(Infinity)).toBe('inf');
    expect(formatDouble(-Infinity)).toBe('-inf');
  });

  it('matches an exact BigInt %.17g on arbitrary doubles', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true }), (x) => {
        expect(formatDouble(x)).toBe(referenceG17(x));
      }),
      { seed: SEED, numRuns: 3000 },
    );
  });

  it('rounds 17-digit ties to even, like glibc (short binary fractions)', () => {
    const tieProne = fc
      .tuple(fc.integer({ min: 0, max: 2 ** 31 - 1 }), fc.integer({ min: 0, max: 2 ** 22 - 1 }), fc.integer({ min: 1, max: 25 }))
      .map(([hi, lo, k]) => (hi * 2 ** 22 + lo) / 2 ** k);
    fc.assert(
      fc.property(tieProne, fc.boolean(), (x, neg) => {
        const v = neg ? -x : x;
        expect(formatDouble(v)).toBe(referenceG17(v));
      }),
      { seed: SEED, numRuns: 5000 },
    );
  });
});

/** The reply INCRBYFLOAT sends for a result. */
function incrByFloatReply(r: IncrByFloatResult): { value: string } | { error: string } {
  if (r.ok) return { value: r.value };
  return { error: r.error === 'not-a-float' ? 'ERR value is not a valid float' : 'ERR increment would produce NaN or Infinity' };
}

interface FixtureCase {
  readonly current: string | null;
  readonly increment: string;
  readonly value?: string;
  readonly error?: string;
}

describe('incrByFloat', () => {
  const cases = (fixture as { cases: FixtureCase[] }).cases;

  it('has the captured table', () => {
    expect(cases.length).toBeGreaterThan(400);
  });

  it.each(cases.map((c) => [c.current, c.increment, c.value ?? c.error] as const))(
    'INCRBYFLOAT (%j) by %j → %j as redis-server',
    (current, increment) => {
      const c = cases.find((x) => x.current === current && x.increment === increment)!;
      const want = c.error !== undefined ? { error: c.error } : { value: c.value! };
      expect(incrByFloatReply(incrByFloat(current, increment))).toEqual(want);
    },
  );

  it('says which operand is not a float, checking the stored value first', () => {
    expect(incrByFloat('abc', 'xyz')).toEqual({ ok: false, error: 'not-a-float', operand: 'current' });
    expect(incrByFloat('1', 'xyz')).toEqual({ ok: false, error: 'not-a-float', operand: 'increment' });
    expect(incrByFloat('abc', 'inf')).toEqual({ ok: false, error: 'not-a-float', operand: 'current' });
    expect(incrByFloat(null, 'inf')).toEqual({ ok: false, error: 'nan-or-infinity' });
  });

  const decimal = fc
    .tuple(fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }), fc.integer({ min: -40, max: 40 }))
    .map(([m, e]) => `${m}e${e}`);

  it('is a fixed point after one step: a result read back and increased by 0 prints the same', () => {
    fc.assert(
      fc.property(decimal, (s) => {
        const r = incrByFloat(null, s);
        expect(r.ok).toBe(true);
        if (!r.ok) return;
        expect(incrByFloat(r.value, '0')).toEqual(r);
      }),
      { seed: SEED, numRuns: 1000 },
    );
  });

  it('adds commutatively', () => {
    fc.assert(
      fc.property(decimal, decimal, (a, b) => {
        expect(incrByFloat(a, b)).toEqual(incrByFloat(b, a));
      }),
      { seed: SEED, numRuns: 1000 },
    );
  });

  it('is exact on integers below 2^64', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n }), fc.bigInt({ min: -(2n ** 62n), max: 2n ** 62n }), (a, b) => {
        expect(incrByFloat(String(a), String(b))).toEqual({ ok: true, value: String(a + b) });
      }),
      { seed: SEED, numRuns: 1000 },
    );
  });
});

describe('parseLongDouble and formatLongDouble', () => {
  it('uses the x87 range and the 5119-byte limit (as INCRBYFLOAT showed)', () => {
    expect(parseLongDouble('1e4932')?.finite).toBe(true);
    expect(parseLongDouble('1e4933')).toBeNull();
    expect(parseLongDouble('1e-4950')).not.toBeNull();
    expect(parseLongDouble('1e-4952')).toBeNull();
    expect(parseLongDouble('1.' + '0'.repeat(5117))).not.toBeNull();
    expect(parseLongDouble('1.' + '0'.repeat(5118))).toBeNull();
    expect(parseLongDouble('-inf')).toEqual({ neg: true, finite: false, mant: 0n, exp: 0 });
    expect(parseLongDouble('nan')).toBeNull();
  });

  it('prints what it reads for 64-bit integers and short binary fractions', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(2n ** 64n) + 1n, max: 2n ** 64n - 1n }), fc.integer({ min: 0, max: 17 }), (m, k) => {
        const v = parseLongDouble(`0x${(m < 0n ? -m : m).toString(16)}p-${k}`)!;
        const text = formatLongDouble(m < 0n ? { ...v, neg: true } : v);
        // m / 2^k has at most k <= 17 fractional digits, so %.17Lf is exact.
        const exact = (m < 0n ? -m : m) * 5n ** BigInt(k);
        const digits = exact.toString().padStart(k + 1, '0');
        const intPart = digits.slice(0, digits.length - k);
        const frac = digits.slice(digits.length - k).replace(/0+$/, '');
        const want = (m < 0n ? '-' : '') + intPart + (frac ? '.' + frac : '');
        expect(text).toBe(want === '-0' ? '0' : want);
      }),
      { seed: SEED, numRuns: 1000 },
    );
  });
});
