import { describe, expect, it } from 'vitest';
import { chineseDate, chineseNumber, rmb, rmbCapitals, termLabel } from '../templates/format.js';

describe('document formatting', () => {
  it.each([
    [1_200_000, '人民币壹万贰仟元整'],
    [1005, '人民币壹拾元零伍分'],
    [1050, '人民币壹拾元伍角整'],
    [0, '人民币零元整'],
    [5, '人民币伍分'],
    [10_000_000_00, '人民币壹仟万元整'],
    [100_010_000, '人民币壹佰万零壹佰元整'],
    [1_000_100_00, '人民币壹佰万零壹佰元整'],
    [2_003_000_000, '人民币贰仟零叁万元整'],
    [123_456_789_01, '人民币壹亿贰仟叁佰肆拾伍万陆仟柒佰捌拾玖元零壹分'],
  ])('when %i fen is written in capitals, then it reads %s', (fen, text) => {
    expect(rmbCapitals(fen)).toBe(text);
  });

  it('when an amount is written, then figures follow the capitals', () => {
    expect(rmb(1_200_000)).toBe('人民币壹万贰仟元整（¥12,000.00）');
  });

  it.each([
    ['2026-11-25', '二〇二六年十一月二十五日'],
    ['2026-01-01', '二〇二六年一月一日'],
    ['2030-10-10', '二〇三〇年十月十日'],
  ])('when %s is written in Chinese, then it reads %s', (iso, text) => {
    expect(chineseDate(iso)).toBe(text);
  });

  it('when terms are numbered, then they read 一、 … 十一、 … 六十、', () => {
    expect([1, 10, 11, 20, 25, 60, 100, 101, 110].map(chineseNumber)).toEqual([
      '一',
      '十',
      '十一',
      '二十',
      '二十五',
      '六十',
      '一百',
      '一百零一',
      '一百一十',
    ]);
    expect(termLabel(3)).toBe('三、');
  });
});
