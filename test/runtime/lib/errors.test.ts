import { describe, expect, it } from 'vitest';
import { errorMessage } from '../../../src/runtime/lib/errors.js';

describe('errorMessage', () => {
  it("gives an Error's message without its name or stack", () => {
    expect(errorMessage(new TypeError('x is not a function'))).toBe('x is not a function');
  });

  it('turns any other thrown value into text', () => {
    expect(errorMessage('boom')).toBe('boom');
    expect(errorMessage(42)).toBe('42');
    expect(errorMessage(undefined)).toBe('undefined');
    expect(errorMessage(null)).toBe('null');
  });
});
