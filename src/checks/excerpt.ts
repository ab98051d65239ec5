/** A short piece of a long text for evidence: the head (a response body) or the tail (command output). */
export function excerpt(text: string, max = 300, from: 'head' | 'tail' = 'head'): string {
  const trimmed = text.trim();
  if (trimmed.length <= max) return trimmed;
  return from === 'head' ? `${trimmed.slice(0, max)}…` : `…${trimmed.slice(-max)}`;
}
