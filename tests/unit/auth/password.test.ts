import { afterEach, describe, expect, it } from 'vitest';
import { bcryptCost, checkPasswordPolicy, hashPassword, verifyPassword } from '@/lib/auth/password';

const saved = { cost: process.env.POPULACE_BCRYPT_COST, env: process.env.NODE_ENV };
afterEach(() => {
  if (saved.cost === undefined) delete process.env.POPULACE_BCRYPT_COST;
  else process.env.POPULACE_BCRYPT_COST = saved.cost;
  (process.env as Record<string, string | undefined>).NODE_ENV = saved.env;
});

describe('passwords', () => {
  it('refuses empty and short passwords', () => {
    expect(() => checkPasswordPolicy('')).toThrow(/at least 10/);
    expect(() => checkPasswordPolicy('123456789')).toThrow(/at least 10/);
    expect(() => checkPasswordPolicy('1234567890')).not.toThrow();
  });

  it('uses cost 10 unless a lower cost is asked for under tests', () => {
    delete process.env.POPULACE_BCRYPT_COST;
    expect(bcryptCost()).toBe(10);
    process.env.POPULACE_BCRYPT_COST = '4';
    expect(bcryptCost()).toBe(4);
    (process.env as Record<string, string | undefined>).NODE_ENV = 'production';
    expect(bcryptCost()).toBe(10);
  });

  it('hashes with bcrypt and verifies', async () => {
    process.env.POPULACE_BCRYPT_COST = '4';
    const hash = await hashPassword('a long enough password');
    expect(hash).toMatch(/^\$2[aby]\$04\$/);
    expect(await verifyPassword('a long enough password', hash)).toBe(true);
    expect(await verifyPassword('a long enough passworD', hash)).toBe(false);
  });
});
