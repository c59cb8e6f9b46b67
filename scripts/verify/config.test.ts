import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readVerifyConfig } from './config.ts';

/** A data folder holding the secrets `npm start` generated. */
function dataDir(operatorToken: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'sf-verify-'));
  writeFileSync(join(dir, 'secrets.json'), JSON.stringify({ OPERATOR_TOKEN: operatorToken }));
  return dir;
}

describe('verify finds the operator token', () => {
  const generated = 'generated-token-0123456789';
  const exported = 'exported-operator-token-0123';

  it('uses OPERATOR_TOKEN when it is exported, as the README says (npm start runs with it too)', () => {
    const cfg = readVerifyConfig({ OPERATOR_TOKEN: exported, DATA_DIR: dataDir(generated) });
    expect(cfg.VERIFY_OPERATOR_TOKEN).toBe(exported);
    expect(cfg.operatorTokenSource).toBe('OPERATOR_TOKEN');
  });

  it('prefers VERIFY_OPERATOR_TOKEN over OPERATOR_TOKEN', () => {
    const cfg = readVerifyConfig({ VERIFY_OPERATOR_TOKEN: 'verify-only-token-0123456', OPERATOR_TOKEN: exported });
    expect(cfg.VERIFY_OPERATOR_TOKEN).toBe('verify-only-token-0123456');
  });

  it('falls back to the generated one for a stack on this machine, on any port', () => {
    const dir = dataDir(generated);
    expect(readVerifyConfig({ DATA_DIR: dir }).VERIFY_OPERATOR_TOKEN).toBe(generated);
    expect(readVerifyConfig({ DATA_DIR: dir, VERIFY_API_URL: 'http://127.0.0.1:8897' }).VERIFY_OPERATOR_TOKEN).toBe(generated);
    expect(readVerifyConfig({ DATA_DIR: dir, VERIFY_API_URL: 'https://sf.example.com' }).VERIFY_OPERATOR_TOKEN).toBeUndefined();
  });

  it('refuses a token too short to be one', () => {
    expect(() => readVerifyConfig({ OPERATOR_TOKEN: 'short' })).toThrow(/OPERATOR_TOKEN: must be at least 16/);
  });
});
