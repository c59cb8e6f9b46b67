/**
 * GET and POST /api/season in the OpenAPI document: the operator's three acts as the request body, the bounds of the
 * cycle's lengths, the answers' codes, and a response schema whose top-level fields are the ones the room answers with.
 */
import { CycleLengths } from '@stream-fighter/core';
import { describe, expect, it } from 'vitest';
import { call } from './helpers.ts';

type JsonSchema = {
  type?: string;
  const?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  oneOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  additionalProperties?: boolean;
  minimum?: number;
  maximum?: number;
};
type Operation = {
  security?: Array<Record<string, unknown>>;
  requestBody?: { required?: boolean; content: Record<string, { schema: JsonSchema }> };
  responses: Record<string, { content?: Record<string, { schema: JsonSchema }> }>;
};

async function seasonPaths(): Promise<{ get?: Operation; post?: Operation }> {
  const doc = (await (await call('/api/openapi.json')).json()) as { paths: Record<string, { get?: Operation; post?: Operation }> };
  return doc.paths['/api/season'] ?? {};
}

describe('/api/season in the OpenAPI document', () => {
  it('documents the public read with the fields the room answers with', async () => {
    const { get } = await seasonPaths();
    expect(get, 'GET /api/season').toBeDefined();
    expect(get!.security, 'public: no security requirement').toBeUndefined();
    const schema = get!.responses['200']?.content?.['application/json']?.schema;
    expect(schema?.required?.sort()).toEqual(['bracket', 'champions', 'cycle', 'position', 'type', 'v']);
    const body = (await (await call('/api/season')).json()) as Record<string, unknown>;
    expect(Object.keys(body).sort(), 'the answer has exactly the documented fields').toEqual(Object.keys(schema!.properties!).sort());
  });

  it("documents the operator's three acts, the lengths' bounds and the refusals", async () => {
    const { post } = await seasonPaths();
    expect(post, 'POST /api/season').toBeDefined();
    expect(post!.security).toEqual([{ operatorToken: [] }]);
    expect(post!.requestBody?.required).toBe(true);
    const body = post!.requestBody!.content['application/json']!.schema;
    const acts = (body.oneOf ?? body.anyOf ?? []).map((s) => s.properties?.action?.const);
    expect(acts.sort()).toEqual(['set-lengths', 'skip-to-matchmaking', 'start-tournament']);
    const setLengths = (body.oneOf ?? body.anyOf ?? []).find((s) => s.properties?.action?.const === 'set-lengths');
    const lengths = setLengths?.properties?.lengths;
    expect(lengths?.required ?? [], 'each length may be left out').toEqual([]);
    // The bounds the route checks with (core's CycleLengths).
    for (const name of ['matchmakingRounds', 'exhibitions'] as const) {
      const { minValue, maxValue } = CycleLengths.shape[name];
      expect(lengths?.properties?.[name], name).toMatchObject({ type: 'integer', minimum: minValue, maximum: maxValue });
    }
    expect(Object.keys(post!.responses).sort()).toEqual(['200', '400', '401', '413']);
    expect(post!.responses['200']?.content?.['application/json']?.schema.required).toContain('position');
  });
});
