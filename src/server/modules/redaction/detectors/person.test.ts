import { describe, expect, it } from 'vitest';
import { parseNamesFile, personFinder } from './person.js';
import { matched } from './test-util.js';

describe('personFinder', () => {
  const find = personFinder(['Ada', 'Ada Lovelace', 'Mary Ann Smith', "Miles O'Brien", 'Zoë', 'Jean-Luc']);

  it.each([
    ['Ada Lovelace wrote', ['Ada Lovelace']],
    ['ADA  LOVELACE and ada', ['ADA  LOVELACE', 'ada']],
    ['Ada\nLovelace', ['Ada\nLovelace']],
    ["O'Brien? Miles O'Brien's log", ["Miles O'Brien"]],
    ['mary ann smith, Mary Ann', ['mary ann smith']],
    ['zoë said', ['zoë']],
    ['Jean-Luc Picard', ['Jean-Luc']],
    ['(Ada)', ['Ada']],
  ])('finds %j', (text, want) => {
    expect(matched(find, text)).toEqual(want);
  });

  it.each(['Adam', 'Nevada', 'ada_lovelace', 'Ada2', 'Jean Luc', 'Lovelace'])('leaves %j', (text) => {
    expect(find(text)).toEqual([]);
  });

  it('the first-word gate: short words and heads one letter apart', () => {
    // 'eve'/'evb'/'evd' share a 32-bit word of the head bit set; 'al'/'bo' have padded heads.
    const gate = personFinder(['Al Gore', 'Bo', 'Eve', 'Evan', 'Evb Xu']);
    expect(matched(gate, 'al gore, BO, Evan and eve; evb xu')).toEqual([
      'al gore',
      'BO',
      'Evan',
      'eve',
      'evb xu',
    ]);
    expect(gate('Al, Evd, Ev, Eva, Evb, Bob, Evans')).toEqual([]);
  });

  it('an empty list finds nothing', () => {
    expect(personFinder([])('Ada')).toEqual([]);
  });
});

describe('parseNamesFile', () => {
  it('one name per line; blanks and comments skipped; CRLF tolerated', () => {
    expect(parseNamesFile('# staff\r\nAda Lovelace\r\n\r\n  Grace Hopper  \n#x\n')).toEqual([
      'Ada Lovelace',
      'Grace Hopper',
    ]);
  });
});
