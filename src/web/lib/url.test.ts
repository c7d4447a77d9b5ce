import { describe, expect, it } from 'vitest';
import { safeHttpUrl } from './url.js';

describe('safeHttpUrl', () => {
  it('keeps http and https links', () => {
    expect(safeHttpUrl('http://192.0.2.10:3000')).toBe('http://192.0.2.10:3000/');
    expect(safeHttpUrl('https://chat.example.org/')).toBe('https://chat.example.org/');
  });
  it('drops anything else', () => {
    expect(safeHttpUrl('javascript:alert(1)')).toBeNull();
    expect(safeHttpUrl('not a url')).toBeNull();
    expect(safeHttpUrl('')).toBeNull();
    expect(safeHttpUrl(null)).toBeNull();
  });
});
