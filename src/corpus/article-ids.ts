import type { CorpusProblem } from "./article.js";

/**
 * One article per id: files are claimed in corpus order (sorted), the first file with an id wins, and
 * a later file with the same id is a problem. Loading the corpus and building the index both go by it.
 */
export class ArticleIds {
  /** By id: the file it is read from. */
  private readonly files = new Map<string, string>();
  /** The later files that used an id already taken, in the order they were claimed. */
  readonly duplicates: CorpusProblem[] = [];

  /** Whether `file` is the one `id` is read from: true for the first file to claim it. */
  claim(file: string, id: string): boolean {
    const other = this.files.get(id);
    if (other === undefined) this.files.set(id, file);
    else this.duplicates.push({ file, problem: `duplicate id "${id}" (already used by ${other})` });
    return other === undefined;
  }

  has(id: string): boolean {
    return this.files.has(id);
  }

  /** How many ids are claimed: the articles. */
  get size(): number {
    return this.files.size;
  }
}
