/**
 * Why a question cannot be searched, as the message to show; undefined when it is fine.
 * Never throws: every input gets a clear answer.
 */
export function checkQuestion(question: string, maxChars: number): string | undefined {
  const q = question.trim();
  if (!q) return "Please ask a question: it was empty.";
  if (q.length > maxChars) return `Questions are limited to ${maxChars} characters; this one has ${q.length}. Please shorten it.`;
  if (!/[\p{L}\p{N}]/u.test(q)) return "That question has no words to search for. Please ask in words.";
  if (!/[A-Za-z0-9]/.test(q)) return "I can only search the articles in English; please ask in English.";
  return undefined;
}
