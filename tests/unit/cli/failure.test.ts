import { describe, expect, it } from 'vitest';
import { CliError, cliFailure } from '@/lib/cli/args';
import { AppError } from '@/lib/errors';
import { AlignInputError } from '@/lib/numeric';

describe('cliFailure: what a failed command prints', () => {
  it('a CliError keeps its message and exit code', () => {
    expect(cliFailure(new CliError('missing required option --out'))).toEqual({ message: 'missing required option --out', exitCode: 2 });
  });
  it('a domain error prints its message as the API answers it, without the class name', () => {
    expect(cliFailure(new AlignInputError('BAD_WEIGHTS', 'Every weight is zero, so no persona can be selected.'))).toEqual({
      message: 'Every weight is zero, so no persona can be selected.',
      exitCode: 1,
    });
    expect(cliFailure(new AppError('unknown_run', 'There is no run 9.', 404))).toEqual({ message: 'There is no run 9.', exitCode: 1 });
  });
  it('anything else prints its name and message', () => {
    expect(cliFailure(new TypeError('x is not a function'))).toEqual({ message: 'TypeError: x is not a function', exitCode: 1 });
  });
});
