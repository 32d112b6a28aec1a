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
    expect((await res.json()).error.message).toBe('big.csv: the upload has more than 50 lines.');
    const jsonl = Array.from({ length: 200 }, (_, i) => JSON.stringify({ author_id: `a${i % 5}`, text: `I wrote post ${i}` })).join('\n');
    const res2 = await POST(upload(jsonl, 'big.jsonl'), undefined);
    expect(res2.status).toBe(413);
    expect((await res2.json()).error.message).toBe('big.jsonl: the upload has more than 50 lines.');
    delete process.env.POPULACE_MAX_UPLOAD_ROWS;
  });

  it('refuses an upload over the size limit, from its declared length or while streaming', async () => {
    process.env.POPULACE_MAX_UPLOAD_MB = '0.01'; // 10 KiB
    const { POST } = await import('@/app/api/pipeline/import/route');
    const body = postsCsv(100); // about 25 KiB
    const res = await POST(upload(body, 'huge.csv'), undefined);
    expect(res.status).toBe(413);
    expect((await res.json()).error.message).toMatch(/^huge\.csv: the upload is larger than \d+ MB\.$/);
    delete process.env.POPULACE_MAX_UPLOAD_MB;
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
