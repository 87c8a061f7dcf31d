// Unit tests of common/: the one decoder of sidecar errors (a real ResponseError as vscode-languageclient rejects with, anything else thrown), isRecord, and the webview head with the shared stylesheet first.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ResponseError } from 'vscode-jsonrpc';
import { ResponseError as ClientResponseError } from 'vscode-languageserver-protocol';
import { errorCode, errorMessage, sidecarError } from './errors';
import { isRecord } from './json';
import { ErrorCodes } from './protocol';
import { COMMON_STYLESHEET, documentHead, scriptTag } from './webview';

describe('sidecarError', () => {
  it('reads a ResponseError: code, message and data', () => {
    const error = new ResponseError(ErrorCodes.WorkspaceDirty, 'dirty', { files: ['a'] });
    assert.deepEqual(sidecarError(error), { code: ErrorCodes.WorkspaceDirty, message: 'dirty', data: { files: ['a'] } });
    assert.equal(errorCode(error), ErrorCodes.WorkspaceDirty);
    assert.equal(errorMessage(error), 'dirty');
  });

  it('is built on the class vscode-languageclient rejects with', () => {
    assert.equal(ClientResponseError, ResponseError);
    assert.equal(errorCode(new ClientResponseError(ErrorCodes.NotARepository, 'not a repository')), ErrorCodes.NotARepository);
  });

  it('reads any other Error or value by its message, with no code', () => {
    assert.deepEqual(sidecarError(new Error("Grove's sidecar is not running.")), {
      code: undefined,
      message: "Grove's sidecar is not running.",
      data: undefined,
    });
    assert.deepEqual(sidecarError('odd'), { code: undefined, message: 'odd', data: undefined });
    assert.deepEqual(sidecarError({ code: 'x' }), { code: undefined, message: '{"code":"x"}', data: undefined });
  });
});

describe('isRecord', () => {
  it('accepts objects only', () => {
    assert.equal(isRecord({}), true);
    assert.equal(isRecord([]), true);
    assert.equal(isRecord(null), false);
    assert.equal(isRecord('x'), false);
    assert.equal(isRecord(undefined), false);
  });
});

describe('webview', () => {
  it('links the stylesheets in order, the common one first, and escapes the title', () => {
    const head = documentHead("default-src 'none'", [`https://w/${COMMON_STYLESHEET}`, 'https://w/usage.css'], 'A <b>');
    const links = [...head.matchAll(/<link rel="stylesheet" href="([^"]*)">/g)].map((m) => m[1]);
    assert.deepEqual(links, ['https://w/webview.css', 'https://w/usage.css']);
    assert.match(head, /<title>A &lt;b&gt;<\/title>/);
    assert.match(head, /content="default-src &#39;none&#39;"/);
  });

  it('loads the script with its nonce', () => {
    assert.equal(
      scriptTag({ cspSource: 'c', nonce: 'n"1', scriptUri: 'https://w/a.js', styleUris: [] }),
      '<script nonce="n&quot;1" src="https://w/a.js"></script>',
    );
  });
});
