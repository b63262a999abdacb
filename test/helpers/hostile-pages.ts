/** Pages that attack the importer, written for the tests (no real article text). */

const PARA = "<p>The harbour council met on Tuesday and voted to repair the north pier before the summer season, the mayor said after the meeting.</p>";

/** A page whose article sits under `depth` nested <div>s: 8,000 is 87 KB, 200,000 about 2.2 MB. */
export function nestedPage(depth: number): string {
  return `<!doctype html><html><head><title>Deep page</title></head><body>${"<div>".repeat(depth)}${PARA.repeat(4)}${"</div>".repeat(depth)}</body></html>`;
}

/** A page within the caps whose extraction still takes seconds: many elements, shallow. */
export function busyPage(elements: number): string {
  return `<!doctype html><html><head><title>Busy page</title></head><body><article>${PARA.repeat(4)}${"<div><span>x</span></div>".repeat(Math.floor(elements / 2))}</article></body></html>`;
}

/** An ordinary UTF-8 news page (accents and a euro sign) that a server will label utf-16le. */
export function mislabelledPage(): Buffer {
  return Buffer.from(
    `<!doctype html><html><head><meta charset="utf-8"><title>Café reopens on the quay</title><meta property="og:site_name" content="Quay Gazette"></head><body><article><h1>Café reopens on the quay</h1>
<p>The quayside café reopened on Saturday after a winter of repairs, its owner said, and the first customers paid €2 for a coffee as they did before the storm.</p>
<p>The harbour trust said the repairs to the sea wall behind the café had cost less than planned and would protect the quay for another thirty years.</p></article></body></html>`,
    "utf8",
  );
}
