import { z } from "zod";

/** Bumped whenever the on-disk layout changes; older builds are rebuilt, never read. */
export const INDEX_FORMAT = 1;

export const manifestSchema = z.object({
  format: z.literal(INDEX_FORMAT),
  builtAt: z.string(),
  buildMs: z.number(),
  embedder: z.object({ name: z.string(), dimensions: z.number().int().positive() }),
  /** Per corpus file: what was indexed, so changes are found by stat and confirmed by hash. */
  articles: z.record(
    z.string(),
    z.object({ file: z.string(), hash: z.string(), size: z.number(), mtimeMs: z.number(), passages: z.number().int() }),
  ),
  passages: z.number().int(),
  /** Files that were skipped, with the reason. */
  problems: z.array(z.object({ file: z.string(), problem: z.string() })),
  /** sha256 of each index file, checked on load: a corrupt file means a rebuild. */
  files: z.record(z.string(), z.string()),
});

export type Manifest = z.infer<typeof manifestSchema>;
