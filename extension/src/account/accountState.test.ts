// Unit tests of accountState: errors to states, and requests racing notifications.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AuthController, AuthStore, stateFromError, type AuthState } from './accountState';
import { ErrorCodes, type AuthStatus } from '../common/protocol';
import { max, signedOut } from './accountFixtures';

describe('stateFromError', () => {
  it('turns CliNotFound into cliMissing with the searched places', () => {
    const error = { code: ErrorCodes.CliNotFound, message: 'not found', data: { searched: ['/usr/bin', 3] } };
    assert.deepEqual(stateFromError(error), { kind: 'cliMissing', message: 'not found', searched: ['/usr/bin'] });
  });

  it('turns other failures into errors', () => {
    assert.deepEqual(stateFromError({ code: ErrorCodes.CliFailed, message: 'garbage' }), { kind: 'error', message: 'garbage' });
    assert.deepEqual(stateFromError(new Error('gone')), { kind: 'error', message: 'gone' });
    assert.deepEqual(stateFromError('odd'), { kind: 'error', message: 'odd' });
  });
});

function deferred<T>(): { promise: Promise<T>; resolve: (v: T) => void; reject: (e: unknown) => void } {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('AuthController', () => {
  it('shows checking, then the answer', async () => {
    const store = new AuthStore();
    const seen: AuthState[] = [];
    store.onDidChange((s) => seen.push(s));
    const forces: (boolean | undefined)[] = [];
    const auth = new AuthController(store, (params) => {
      forces.push(params.force);
      return Promise.resolve(max);
    });
    await auth.refresh(true);
    assert.deepEqual(forces, [true]);
    assert.deepEqual(seen, [{ kind: 'checking' }, { kind: 'status', status: max }]);
  });

  it('shows a failed request as its state', async () => {
    const store = new AuthStore();
    const notFound = Object.assign(new Error('m'), { code: ErrorCodes.CliNotFound, data: { searched: [] } });
    const auth = new AuthController(store, () => Promise.reject(notFound));
    await auth.refresh(false);
    assert.equal(store.state.kind, 'cliMissing');
  });

  it('lets a notification that arrives during a request win', async () => {
    const store = new AuthStore();
    const answer = deferred<AuthStatus>();
    const auth = new AuthController(store, () => answer.promise);
    const refresh = auth.refresh(false);
    auth.statusChanged(max);
    answer.resolve(signedOut);
    await refresh;
    assert.deepEqual(store.state, { kind: 'status', status: max });
  });

  it('keeps "sidecar unavailable" over a request that failed because of it', async () => {
    const store = new AuthStore();
    const answer = deferred<AuthStatus>();
    const auth = new AuthController(store, () => answer.promise);
    const refresh = auth.refresh(false);
    auth.unavailable('stopped');
    answer.reject(new Error('connection closed'));
    await refresh;
    assert.deepEqual(store.state, { kind: 'error', message: 'stopped' });
  });

  it('stops telling a listener once it is disposed', () => {
    const store = new AuthStore();
    let calls = 0;
    const sub = store.onDidChange(() => calls++);
    store.set({ kind: 'checking' });
    sub.dispose();
    store.set({ kind: 'checking' });
    assert.equal(calls, 1);
  });
});

describe('AuthStore', () => {
  it('marks a sign-out after a sign-in in this window as "signed out", not "not signed in"', () => {
    const store = new AuthStore();
    store.set({ kind: 'status', status: signedOut });
    assert.deepEqual(store.state, { kind: 'status', status: signedOut });
    store.set({ kind: 'status', status: max });
    store.set({ kind: 'checking' });
    store.set({ kind: 'status', status: signedOut });
    assert.deepEqual(store.state, { kind: 'status', status: signedOut, signedOut: true });
  });
});
