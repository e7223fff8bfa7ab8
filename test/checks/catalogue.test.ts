// CHECK_IDS is the catalogue's list of ids: the typed CheckId is only as good as the two agreeing.
import { describe, expect, it } from 'vitest';
import { CHECK_IDS } from '../../src/model/check-ids.js';
import { CHECKS } from '../../src/checks/index.js';

describe('check catalogue', () => {
  it('lists every check once, in the order of CHECK_IDS', () => {
    expect(CHECKS.map((c) => c.id)).toEqual([...CHECK_IDS]);
  });
});
