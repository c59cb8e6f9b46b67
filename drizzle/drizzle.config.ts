import { defineConfig } from 'drizzle-kit';

// Only `generate` is run from here (it needs no database); migrations are applied by migrate.ts, through the same
// Neon HTTP driver the worker uses.
export default defineConfig({
  dialect: 'postgresql',
  schema: './schema.ts',
  out: './migrations',
  strict: true,
  verbose: true,
});
