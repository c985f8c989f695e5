import { describe, expect, it } from 'vitest';
import { maskContact } from './contact-mask.js';

describe('maskContact', () => {
  it('keeps the country code, the operator prefix and the last two digits of a phone number', () => {
    expect(maskContact('sms', '+221771234567')).toBe('+221 77 ••• •• 67');
  });
  it('keeps the first letter and the domain of an e-mail address', () => {
    expect(maskContact('email', 'awa.diop@example.sn')).toBe('a•••@example.sn');
  });
});
