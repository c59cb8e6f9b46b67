/**
 * Local secrets that nobody configured: generated once and kept in the data folder, so voter sessions and the
 * operator token survive a restart. Never used when the variables are set.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface LocalSecrets {
  OPERATOR_TOKEN: string;
  VOTER_SECRET: string;
  RENDERER_TOKEN: string;
  /** What the chat bridge presents to the edge (`npm start` runs one when a chat is configured, or with --demo). */
  BRIDGE_TOKEN: string;
  UPSTASH_TOKEN: string;
}

export function localSecrets(dataDir: string, given: Partial<LocalSecrets>): LocalSecrets & { generatedOperatorToken: boolean } {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, 'secrets.json');
  const stored: Partial<LocalSecrets> = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Partial<LocalSecrets>) : {};
  const make = () => randomBytes(24).toString('base64url');
  const secrets: LocalSecrets = {
    OPERATOR_TOKEN: stored.OPERATOR_TOKEN ?? make(),
    VOTER_SECRET: stored.VOTER_SECRET ?? make(),
    RENDERER_TOKEN: stored.RENDERER_TOKEN ?? make(),
    BRIDGE_TOKEN: stored.BRIDGE_TOKEN ?? make(),
    UPSTASH_TOKEN: stored.UPSTASH_TOKEN ?? make(),
  };
  writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return {
    OPERATOR_TOKEN: given.OPERATOR_TOKEN ?? secrets.OPERATOR_TOKEN,
    VOTER_SECRET: given.VOTER_SECRET ?? secrets.VOTER_SECRET,
    RENDERER_TOKEN: given.RENDERER_TOKEN ?? secrets.RENDERER_TOKEN,
    BRIDGE_TOKEN: given.BRIDGE_TOKEN ?? secrets.BRIDGE_TOKEN,
    UPSTASH_TOKEN: secrets.UPSTASH_TOKEN,
    generatedOperatorToken: given.OPERATOR_TOKEN === undefined,
  };
}
