import { describe, expect, it, vi } from 'vitest';
import { app, withPassphrase } from '../../src/lib/app.svelte';

async function answer(pass: string | null): Promise<string | null> {
  await vi.waitFor(() => expect(app.passphrase).not.toBeNull());
  const req = app.passphrase!;
  app.passphrase = null;
  req.resolve(pass);
  return req.error;
}

describe('passphrase fallback', () => {
  it('tries without a passphrase, asks when Rust says none is available, asks again after a wrong one', async () => {
    const tried: (string | null)[] = [];
    const result = withPassphrase(false, async (pass) => {
      tried.push(pass);
      if (pass === null) throw { kind: 'passphrase_required', message: 'protected by a passphrase' };
      if (pass !== 'correct horse') throw { kind: 'wrong_passphrase', message: 'wrong passphrase' };
      return 'opened';
    });
    expect(await answer('guess')).toBeNull();
    expect(await answer('correct horse')).toBe('wrong passphrase');
    await expect(result).resolves.toBe('opened');
    expect(tried).toEqual([null, 'guess', 'correct horse']);
  });

  it('gives up quietly when the user cancels', async () => {
    const result = withPassphrase(true, async () => {
      throw { kind: 'passphrase_required', message: 'no keyring' };
    });
    await answer(null);
    await expect(result).resolves.toBeNull();
  });

  it('passes other errors through', async () => {
    await expect(
      withPassphrase(false, async () => {
        throw { kind: 'store', message: 'not an engagement file' };
      }),
    ).rejects.toEqual({ kind: 'store', message: 'not an engagement file' });
  });
});
