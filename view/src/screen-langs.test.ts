import { describe, expect, it } from 'vitest';
import { SCREEN_LANGS } from '@stream-fighter/core/screen';
import { LANGS } from './languages.ts';

// core has no view to import (view depends on core), so the screens' languages are written there again: pin them.
describe("a screen's languages", () => {
  it('are the languages the stream speaks', () => {
    expect([...SCREEN_LANGS]).toEqual([...LANGS]);
  });
});
