import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { schemaInstance } from './json-schema-instance.js';

/** The instance generated from zod's own JSON Schema must parse with the zod schema itself. */
const roundTrip = (schema: z.ZodType): unknown => {
  const value = schemaInstance(z.toJSONSchema(schema));
  return schema.parse(value);
};

describe('schemaInstance', () => {
  it('fills every property of an object with a value of its type', () => {
    const value = roundTrip(
      z.object({
        name: z.string(),
        age: z.number().int(),
        score: z.number(),
        active: z.boolean(),
        tags: z.array(z.string()),
        nothing: z.null(),
      }),
    );
    expect(value).toEqual({
      name: 'example',
      age: 0,
      score: 0,
      active: true,
      tags: ['example'],
      nothing: null,
    });
  });

  it('honours enums, literals, bounds, lengths and formats', () => {
    const value = roundTrip(
      z.object({
        unit: z.enum(['celsius', 'fahrenheit']),
        kind: z.literal('weather'),
        rating: z.number().int().min(3).max(5),
        ratio: z.number().gt(0.5).lt(10),
        code: z.string().min(12).max(14),
        when: z.iso.datetime(),
        mail: z.email(),
        count: z.number().int().multipleOf(7).min(8),
        few: z.array(z.number()).min(3).max(3),
      }),
    );
    expect(value).toMatchObject({ unit: 'celsius', kind: 'weather', rating: 3, count: 14 });
    expect((value as { code: string }).code).toHaveLength(12);
    expect((value as { few: number[] }).few).toHaveLength(3);
  });

  it('takes the first non-null branch of unions and nullable fields', () => {
    const value = roundTrip(
      z.object({
        either: z.union([z.number(), z.string()]),
        maybe: z.string().nullable(),
        optional: z.boolean().optional(),
      }),
    );
    expect(value).toMatchObject({ either: 0, maybe: 'example' });
  });

  it('resolves $ref into $defs, including recursive definitions, and nests objects', () => {
    const Node: z.ZodType<{ label: string; children: unknown[] }> = z.object({
      label: z.string(),
      get children() {
        return z.array(Node);
      },
    });
    const schema = z.object({ root: Node, meta: z.object({ depth: z.number().int().nonnegative() }) });
    const json = z.toJSONSchema(schema) as Record<string, unknown>;
    expect(JSON.stringify(json)).toContain('$ref');
    const value = schemaInstance(json) as { root: { label: string } };
    // The recursion is cut off: the value is finite, and still a valid tree up to the cut.
    expect(value.root.label).toBe('example');
    expect(JSON.stringify(value).length).toBeLessThan(10_000);
  });

  it('handles hand-written schemas: type unions, allOf, definitions, required names without schema', () => {
    const value = schemaInstance({
      type: 'object',
      definitions: { Point: { type: 'object', properties: { x: { type: 'number' } }, required: ['x'] } },
      properties: {
        at: { $ref: '#/definitions/Point' },
        id: { type: ['null', 'integer'], minimum: 1 },
        both: {
          allOf: [{ properties: { a: { type: 'string' } } }, { properties: { b: { type: 'boolean' } } }],
        },
      },
      required: ['at', 'extra'],
    });
    expect(value).toEqual({ at: { x: 0 }, id: 1, both: { a: 'example', b: true }, extra: 'example' });
  });

  it('gives something JSON for an empty or non-object schema', () => {
    expect(schemaInstance({})).toEqual({});
    expect(schemaInstance(true)).toEqual({});
    expect(schemaInstance({ type: 'array' })).toEqual(['example']);
    expect(schemaInstance({ $ref: '#/nowhere' })).toEqual({});
  });
});
