import { describe, expect, it } from 'vitest';
import { defaultStudioState, formatEdit, parseEdit, parseStudioUrl, studioUrlQuery } from '@/components/studio/urlState';

const OPTIONS = {
  countries: [{ code: 'DE' }, { code: 'NL' }, { code: 'GB' }, { code: 'US' }, { code: 'unknown' }],
  regions: [{ id: 'europe', countries: ['DE', 'NL', 'GB'] }],
  johnsonGroups: ['Female 21-40', 'Male <21'],
  mccraeCountries: [{ code: 'GER' }],
};

describe('studio address', () => {
  it('leaves the defaults out: the plain studio is /studio', () => {
    expect(studioUrlQuery(defaultStudioState(), OPTIONS)).toBe('');
    expect(parseStudioUrl(new URLSearchParams(''), OPTIONS)).toEqual({ state: defaultStudioState(), problems: [] });
  });

  it('writes and reads back every part of the state', () => {
    const s = defaultStudioState();
    s.filters = { countries: ['DE', 'NL', 'GB'], genders: ['female'], ageMin: 18, ageMax: 40 };
    s.preset = { kind: 'johnson', sex: 'Male', ageGroup: '<21' };
    s.edits.E = { shift: 0.2, spread: 1.1 };
    s.edits.N = { shift: -0.3, spread: 1 };
    s.edits.O = { shift: 0, spread: 0.8 };
    s.method = 'kde';
    s.bandwidth = 'scott';
    s.estimator = 'raking';
    s.selection = 'pivotal';
    s.scatterTraits = [1, 4];
    const q = studioUrlQuery(s, OPTIONS);
    expect(q).toBe('target=europe&age=18-40&gender=female&preset=johnson:Male:%3C21&E=+0.2x1.1&N=-0.3&O=x0.8&live=kde&bandwidth=scott&estimator=raking&selection=pivotal&scatter=A,O');
    // URLSearchParams reads the literal "+" as a space, as a server does.
    expect(parseStudioUrl(new URLSearchParams(q), OPTIONS)).toEqual({ state: s, problems: [] });
  });

  it('writes countries that are not a region as codes', () => {
    const s = defaultStudioState();
    s.filters.countries = ['DE', 'US'];
    expect(studioUrlQuery(s, OPTIONS)).toBe('target=DE,US');
    expect(parseStudioUrl({ target: 'de,us' }, OPTIONS).state.filters.countries).toEqual(['DE', 'US']);
  });

  it('names each parameter it cannot use and keeps the default for it', () => {
    const { state, problems } = parseStudioUrl(
      { target: 'garbage', E: '+9', N: '-0.3', age: '40-18', live: 'magic', scatter: 'E', zoom: '2' },
      OPTIONS,
    );
    expect(problems.map((p) => p.param)).toEqual(['target', 'E', 'age', 'live', 'scatter', 'zoom']);
    expect(problems[0]!.message).toBe(
      'The address parameter target=garbage was not understood (expected "all", a region (europe) or country codes such as DE,NL; unknown: GARBAGE); the studio shows respondents from all countries instead.',
    );
    expect(problems[1]!.message).toMatch(/^The address parameter E=\+9 was not understood \(the mean shift must be between -1 and \+1 points/);
    expect(state.filters.countries).toEqual([]);
    expect(state.edits.E).toEqual({ shift: 0, spread: 1 });
    expect(state.edits.N).toEqual({ shift: -0.3, spread: 1 });
    expect(state.filters.ageMin).toBeUndefined();
    expect(state.method).toBe('calibration');
  });

  it('reads slider edits in every written form', () => {
    expect(parseEdit('+0.2x1.1')).toEqual({ shift: 0.2, spread: 1.1 });
    expect(parseEdit(' 0.2x1.1')).toEqual({ shift: 0.2, spread: 1.1 });
    expect(parseEdit('x0.5')).toEqual({ shift: 0, spread: 0.5 });
    expect(parseEdit('-1')).toEqual({ shift: -1, spread: 1 });
    expect(parseEdit('abc')).toBe('the mean shift is not a number');
    expect(parseEdit('0.1x2')).toBe('the spread must be between 0.5 and 1.5 times the SD');
    expect(formatEdit({ shift: 0.25, spread: 1 })).toBe('+0.25');
    expect(formatEdit({ shift: 0, spread: 1 })).toBe('');
  });
});
