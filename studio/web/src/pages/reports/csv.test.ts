import { describe, expect, it } from 'vitest';
import { csvCell, csvName, toCSV } from './csv';

describe('csvCell', () => {
  it('writes plain text and numbers as they are', () => {
    expect(csvCell('mobile')).toBe('mobile');
    expect(csvCell(0.125)).toBe('0.125');
    expect(csvCell(-3.5)).toBe('-3.5');
    expect(csvCell(0)).toBe('0');
  });
  it('quotes commas, quotes and line breaks, doubling quotes', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('cr\rlf')).toBe('"cr\rlf"');
  });
  it('leaves empty cells for missing values, never "null" or "NaN"', () => {
    expect(csvCell(null)).toBe('');
    expect(csvCell(undefined)).toBe('');
    expect(csvCell(Number.NaN)).toBe('');
    expect(csvCell(Infinity)).toBe('');
  });
  it('keeps text that looks like a formula from running in a spreadsheet', () => {
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell('+1')).toBe("'+1");
    expect(csvCell('-sale')).toBe("'-sale");
    expect(csvCell('@me')).toBe("'@me");
    expect(csvCell('plain=ok')).toBe('plain=ok');
  });
});

describe('toCSV', () => {
  it('writes a header and CRLF-terminated rows', () => {
    expect(toCSV({ columns: ['arm', 'visitors', 'rate'], rows: [['a', 10, 0.5], ['b, new', 12, null]] }))
      .toBe('arm,visitors,rate\r\na,10,0.5\r\n"b, new",12,\r\n');
  });
  it('pads short rows and drops cells past the header', () => {
    expect(toCSV({ columns: ['x', 'y'], rows: [['1'], ['2', 3, 'extra']] })).toBe('x,y\r\n1,\r\n2,3\r\n');
  });
  it('is a header alone when there is no row', () => {
    expect(toCSV({ columns: ['day', 'visitors'], rows: [] })).toBe('day,visitors\r\n');
  });
});

describe('csvName', () => {
  it('makes a file name from a title', () => {
    expect(csvName('Lift of each arm (95 % interval)')).toBe('lift-of-each-arm-95-interval.csv');
    expect(csvName('Reach by device')).toBe('reach-by-device.csv');
    expect(csvName('Acoperire pe dispozitiv, în ziua')).toBe('acoperire-pe-dispozitiv-in-ziua.csv');
    expect(csvName('***')).toBe('chart.csv');
  });
});
