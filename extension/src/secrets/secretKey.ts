// Checks a plugin secret's key as the sidecar does (1 to 200 printable characters), for the "Set Secret" input box; no vscode import.

/** The longest key, in UTF-8 bytes, as the sidecar counts it. */
export const MAX_SECRET_KEY_BYTES = 200;

/** Why a key is refused, or undefined when it is fine. */
export function secretKeyProblem(key: string): string | undefined {
  if (key.trim() === '') return 'Type a key, such as my-plugin.api-token.';
  if (/\p{Cc}/u.test(key)) return 'A key is printable characters only (no tabs, newlines or other control characters).';
  if (new TextEncoder().encode(key).length > MAX_SECRET_KEY_BYTES) return `A key is at most ${MAX_SECRET_KEY_BYTES} characters.`;
  return undefined;
}
