import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useFreshDatabase } from '../../support/db';

let env: ReturnType<typeof useFreshDatabase>;
beforeAll(() => {
  env = useFreshDatabase();
});
afterAll(() => {
  delete process.env.POPULACE_MAX_UPLOAD_MB;
  delete process.env.POPULACE_MAX_UPLOAD_ROWS;
  env.cleanup();
});

/** A posts CSV of `n` rows, each a first-person post of 40 words (generated, shown here). */
function postsCsv(n: number): string {
  const words = Array.from({ length: 40 }, (_, i) => (i === 0 ? 'I' : `word${i}`)).join(' ');
  return ['author_id,text', ...Array.from({ length: n }, (_, i) => `a${i % 7},"${words} ${i}"`)].join('\n') + '\n';
}

function upload(body: string | Uint8Array, filename: string) {
  return new Request(`http://localhost/api/pipeline/import?kind=posts&filename=${filename}`, { method: 'POST', body: body as BodyInit });
}

describe('upload limits', () => {
  it('refuses an upload over the row limit with 413 naming the file', async () => {
    process.env.POPULACE_MAX_UPLOAD_ROWS = '50';
    const { POST } = await import('@/app/api/pipeline/import/route');
    const res = await POST(upload(postsCsv(200), 'big.csv'), undefined);
    expect(res.status).toBe(413);
    const body = await res.json();
    expect(body.error.message).toMatch(/^big\.csv: the upload has more than the limit of 50 lines \(POPULACE_MAX_UPLOAD_ROWS\)\. The import stopped after \d+ rows; \d+ were stored before that\./);
    expect(body.error.details.complete).toBe(false);
    const jsonl = Array.from({ length: 200 }, (_, i) => JSON.stringify({ author_id: `a${i % 5}`, text: `I wrote post ${i}` })).join('\n');
    const res2 = await POST(upload(jsonl, 'big.jsonl'), undefined);
    expect(res2.status).toBe(413);
    expect((await res2.json()).error.message).toMatch(/^big\.jsonl: the upload has more than the limit of 50 lines/);
    delete process.env.POPULACE_MAX_UPLOAD_ROWS;
  });

  it('refuses an upload over the size limit, from its declared length or while streaming', async () => {
    process.env.POPULACE_MAX_UPLOAD_MB = '0.01'; // 10 KiB
    const { POST } = await import('@/app/api/pipeline/import/route');
    const body = postsCsv(100); // about 25 KiB
    const res = await POST(upload(body, 'huge.csv'), undefined);
    expect(res.status).toBe(413);
    expect((await res.json()).error.message).toMatch(/^huge\.csv: the upload is larger than the limit of 0\.01 MB \(POPULACE_MAX_UPLOAD_MB\)\./);
    delete process.env.POPULACE_MAX_UPLOAD_MB;
  });

  it('reports a file that ends mid-row, for CSV and JSONL, and says the import is complete otherwise', async () => {
    const { POST } = await import('@/app/api/pipeline/import/route');
    const cut = postsCsv(10).slice(0, -20); // the last quoted text never closes
    const r1 = await (await POST(upload(cut, 'cut.csv'), undefined)).json();
    expect(r1.imported).toBe(9);
    expect(r1.bad).toEqual([expect.objectContaining({ line: 11, reason: expect.stringMatching(/^the file ends mid-row/) })]);
    const lines = Array.from({ length: 5 }, (_, i) => JSON.stringify({ author_id: `b${i}`, text: `I wrote post ${i}` })).join('\n');
    const r2 = await (await POST(upload(lines.slice(0, -5), 'cut-lines.jsonl'), undefined)).json();
    expect(r2.imported).toBe(4);
    expect(r2.bad).toEqual([expect.objectContaining({ line: 5, reason: expect.stringMatching(/^the file ends mid-row/) })]);
    // A bad last line that is complete (ends with a newline) is an ordinary bad row.
    const r3 = await (await POST(upload(lines + '\n{"author_id": \n', 'bad-last.jsonl'), undefined)).json();
    expect(r3.bad[0].reason).toMatch(/^invalid JSON/);
    expect(r3.complete).toBe(true);
  });

  it('refuses to file posts under a source of another kind', async () => {
    const { POST } = await import('@/app/api/pipeline/import/route');
    const { ensureSource } = await import('@/db/queries/posts');
    const { getDb } = await import('@/db/client');
    ensureSource({ db: getDb(), source: { id: 'human-ref', name: 'Reference', kind: 'reference', licence: 'x', citation: 'x', origin: 'x' } });
    const res = await POST(new Request('http://localhost/api/pipeline/import?kind=posts&filename=p.csv&sourceId=human-ref', { method: 'POST', body: postsCsv(3) }), undefined);
    expect(res.status).toBe(409);
    expect((await res.json()).error.message).toBe('p.csv: the source "human-ref" holds reference, not posts; choose another source id.');
  });

  it('accepts an upload within the limits and rejects binary garbage row by row without crashing', async () => {
    const { POST } = await import('@/app/api/pipeline/import/route');
    const ok = await POST(upload(postsCsv(20), 'fine.csv'), undefined);
    expect(ok.status).toBe(200);
    expect((await ok.json()).imported).toBe(20);
    const garbage = new Uint8Array(4096).map((_, i) => (i * 7919) % 256);
    const res = await POST(upload(garbage, 'garbage.csv'), undefined);
    expect(res.status).toBeLessThan(500);
  });
});
