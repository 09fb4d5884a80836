import { describe, it, expect } from 'vitest';
import { canonicalLanguage, days, groupName, languageName, personName, sameLanguage, withArticle } from './labels.ts';

describe('language codes', () => {
  it.each([
    ['pl', 'pl'],
    ['PL', 'pl'],
    [' en ', 'en'],
    ['bsl', 'bsl'],
    ['BFI', 'bsl'], // the ISO 639-3 code for British Sign Language
  ])('%j is compared as %j', (code, canonical) => {
    expect(canonicalLanguage(code)).toBe(canonical);
  });

  it('treats the codes for British Sign Language as one language, and different languages as different', () => {
    expect(sameLanguage('bsl', 'bfi')).toBe(true);
    expect(sameLanguage('en', 'EN')).toBe(true);
    expect(sameLanguage('en', 'cy')).toBe(false);
  });

  it.each([
    ['pl', 'Polish'],
    ['ur', 'Urdu'],
    ['cy', 'Welsh'],
    ['bsl', 'British Sign Language'],
    ['bfi', 'British Sign Language'],
    ['sgn', 'sign language'],
    ['xx', 'xx'],
    ['not a code!', 'not a code!'],
  ])('names %j as %j', (code, name) => {
    expect(languageName(code)).toBe(name);
  });
});

describe('words', () => {
  it('names groups, people and counts of days', () => {
    expect([groupName('male'), groupName('female')]).toEqual(["men's group", "women's group"]);
    expect([personName('male'), personName('female')]).toEqual(['a man', 'a woman']);
    expect([days(1), days(-1), days(28)]).toEqual(['1 day', '-1 day', '28 days']);
    expect([withArticle('Urdu interpreter'), withArticle('Polish interpreter')]).toEqual(['an Urdu interpreter', 'a Polish interpreter']);
  });
});
