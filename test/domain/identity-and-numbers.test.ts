import { describe, expect, it } from 'vitest';
import { chinaYear, formatCaseNumber } from '../../domain/case-number.js';
import { idNumberProblem } from '../../domain/id-number.js';
import { maskAddress, maskIdNumber, maskPhone } from '../../domain/masking.js';

describe('ID numbers (GB 11643)', () => {
  it.each([
    ['11010519491231002X', undefined], // the standard's own example
    ['445202190001011239', undefined],
    ['445202190001011230', 'has a wrong check digit (GB 11643)'],
    ['445202190002301230', 'contains an impossible birth date'],
    ['44520219000101123', 'must be 18 characters: 17 digits and a digit or X'],
    ['4452021900010112x9', 'must be 18 characters: 17 digits and a digit or X'],
  ])('when the number is %s, then the problem is %s', (value, problem) => {
    expect(idNumberProblem(value)).toBe(problem);
  });
});

describe('masking', () => {
  it('when personal data is shown masked, then only the ends remain', () => {
    expect(maskIdNumber('445202190001011239')).toBe('4452**********1239');
    expect(maskPhone('13812345678')).toBe('138****5678');
    expect(maskAddress('广东省揭阳市榕城区某某路1号')).toBe('广东省揭阳市****');
  });
});

describe('case numbers', () => {
  it('when the pattern is the default, then the number reads （2026）揭榕人调字第0001号', () => {
    expect(
      formatCaseNumber('（{year}）{abbreviation}字第{sequence:4}号', {
        year: 2026,
        abbreviation: '揭榕人调',
        sequence: 1,
      }),
    ).toBe('（2026）揭榕人调字第0001号');
  });

  it('when a case is registered late on 31 December UTC, then it is numbered in the Chinese new year', () => {
    expect(chinaYear('2026-12-31T15:59:59Z')).toBe(2026);
    expect(chinaYear('2026-12-31T16:00:00Z')).toBe(2027);
  });
});

describe('log scrubbing', () => {
  it('when an error message carries an ID or phone number, then the log line does not', async () => {
    const { scrubPersonalData } = await import('../../api/problem.js');
    expect(scrubPersonalData('duplicate key 44520219000101123X for 17000001234 at row 12')).toBe(
      'duplicate key [redacted] for [redacted] at row 12',
    );
  });
});
