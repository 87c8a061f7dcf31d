// The one decoder of sidecar errors: a failed request (vscode-languageclient rejects with a JSON-RPC `ResponseError`, or an Error when the sidecar is down) as code, message and data; no vscode import.
import { ResponseError } from 'vscode-jsonrpc';
import { isRecord } from './json';

/** A failed request, as features need it: `code` is the JSON-RPC error code (undefined when the request never got an answer). */
export interface SidecarError {
  code: number | undefined;
  message: string;
  data: unknown;
}

/**
 * Decodes what a request rejected with. A `ResponseError` (the sidecar answered with an error)
 * gives its code, message and data; anything else carrying a numeric `code` is read the same way;
 * any other Error or value gives its message only.
 */
export function sidecarError(error: unknown): SidecarError {
  if (error instanceof ResponseError) return { code: error.code, message: error.message, data: error.data };
  if (isRecord(error)) {
    const message = typeof error.message === 'string' ? error.message : JSON.stringify(error);
    return { code: typeof error.code === 'number' ? error.code : undefined, message, data: error.data };
  }
  return { code: undefined, message: String(error), data: undefined };
}

/** The error's code, or undefined. */
export function errorCode(error: unknown): number | undefined {
  return sidecarError(error).code;
}

/** The error's message. */
export function errorMessage(error: unknown): string {
  return sidecarError(error).message;
}
