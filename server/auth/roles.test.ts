import { describe, expect, it } from 'vitest';
import { roleAtLeast } from './roles';

describe('roleAtLeast', () => {
  it('orders owner > admin > editor > viewer', () => {
    expect(roleAtLeast('owner', 'admin')).toBe(true);
    expect(roleAtLeast('admin', 'admin')).toBe(true);
    expect(roleAtLeast('editor', 'admin')).toBe(false);
    expect(roleAtLeast('viewer', 'editor')).toBe(false);
    expect(roleAtLeast('editor', 'viewer')).toBe(true);
    expect(roleAtLeast('admin', 'owner')).toBe(false);
  });
});
