import { describe, expect, it } from 'vitest';
import { matched } from './test-util.js';
import { findCredentialUrls } from './url-credentials.js';

describe('findCredentialUrls', () => {
  it.each([
    ['db postgres://app:s3cret@db.internal:5432/prod now', ['postgres://app:s3cret@db.internal:5432/prod']],
    ['see (https://bob:pw@example.com/a).', ['https://bob:pw@example.com/a']],
    ['"redis://:token123@127.0.0.1:6379"', ['redis://:token123@127.0.0.1:6379']],
    ['https://ghp_tok@github.com/o/r.git,', ['https://ghp_tok@github.com/o/r.git']],
    ['wiki https://u:p@h/x_(y) end', ['https://u:p@h/x_(y)']],
  ])('finds %j', (text, want) => {
    expect(matched(findCredentialUrls, text)).toEqual(want);
  });

  it.each([
    ['no userinfo', 'https://example.com/path'],
    ['@ in the path', 'https://medium.com/@author/post'],
    ['email, not a URL', 'ada@example.com'],
    ['no host after @', 'https://user:pw@ next'],
  ])('leaves %s', (_why, text) => {
    expect(findCredentialUrls(text)).toEqual([]);
  });
});
