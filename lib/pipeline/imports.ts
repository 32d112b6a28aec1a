/**
 * Streaming imports: social media posts from CSV or JSONL, and ready-made personas from JSONL.
 *
 * Rows are read one by one and stored in batches, each batch in one transaction (a row is never half-written).
 * A bad row does not stop the import: it is reported with its line, the field and the reason. Importing the same
 * file again adds nothing (rows are identified by their id column, or by their line when there is none).
 *
 * Posts: CSV with a header, or JSONL objects. Columns: author id (author_id | authorId | author | user_id | user),
 * text (text | body | content | post), optional time (time | timestamp | posted_at | created_at | date), optional id
 * (id | post_id); every other column is kept as metadata.
 * Personas: JSONL objects {id?, name?, narrative, demographics?: {age?, gender?, country?, occupation?},
 * instrument?, answers?: {itemId: value}, model?, temperature?}.
 */
import { getDb } from '../../db/client';
import { insertPersonasBatch, type ImportedPersonaRow } from '../../db/queries/pipeline';
import { insertPostsBatch, type PostRowInput } from '../../db/queries/posts';
import { AppError } from '../http/errors';
import { scoreCommon } from '../instruments/score';
import { personaDemographics } from '../personas/extractDemographics';
import { addBad, importLoop, openSource, zodBad, type ImportOptions } from './importReport';
import { formatOf, readRows } from './importRows';
import { loadInstrument } from './instruments';
import { parsePostRow } from './postRows';
import { importedPersonaSchema, type ImportReport } from './schema';
import { recheckSourceDuplicates } from './sourceDuplicates';

/** Jaccard similarity of word shingles above which an imported persona counts as a near duplicate (as generation's default). */
const DUPLICATE_THRESHOLD = 0.8;

/** Imports posts; returns counts and the bad rows. */
export async function importPosts(o: ImportOptions): Promise<ImportReport> {
  const db = o.db ?? getDb();
  const format = formatOf(o.fileName, o.format);
  const report = openSource(db, o, 'posts');
  const batchSize = o.batchSize ?? 500;
  let batch: PostRowInput[] = [];
  const flush = () => {
    const n = insertPostsBatch({ db, sourceId: report.sourceId, rows: batch });
    report.imported += n;
    report.skipped += batch.length - n;
    batch = [];
  };
  return importLoop(report, async () => {
    for await (const r of readRows(o.input, format)) {
      report.rows++;
      if ('error' in r) {
        addBad(report, { line: r.line, field: null, reason: r.error });
        continue;
      }
      const parsed = parsePostRow(r.row, r.line);
      if ('reason' in parsed) addBad(report, parsed);
      else batch.push(parsed);
      if (batch.length >= batchSize) flush();
    }
    flush();
  });
}

/** Imports ready-made personas (JSONL), with item answers and trait scores when given. */
export async function importPersonas(o: ImportOptions): Promise<ImportReport> {
  const db = o.db ?? getDb();
  const format = formatOf(o.fileName, o.format);
  if (format !== 'jsonl') throw new AppError('unknown_format', `${o.fileName}: personas are imported from JSONL.`, 400);
  const report = openSource(db, o, 'personas');
  const instruments = new Map<string, ReturnType<typeof loadInstrument> | null>();
  const instrument = (id: string) => {
    if (!instruments.has(id)) {
      try {
        instruments.set(id, loadInstrument(db, id));
      } catch {
        instruments.set(id, null);
      }
    }
    return instruments.get(id)!;
  };
  let batch: ImportedPersonaRow[] = [];
  const flush = () => {
    const n = insertPersonasBatch({ db, rows: batch });
    report.imported += n;
    report.skipped += batch.length - n;
    batch = [];
  };
  return importLoop(report, async () => {
    for await (const r of readRows(o.input, 'jsonl')) {
      report.rows++;
      if ('error' in r) {
        addBad(report, { line: r.line, field: null, reason: r.error });
        continue;
      }
      const parsed = importedPersonaSchema.safeParse(r.row);
      if (!parsed.success) {
        addBad(report, zodBad(r.line, parsed.error));
        continue;
      }
      const v = parsed.data;
      const row: ImportedPersonaRow = {
        persona: {
          sourceId: report.sourceId,
          externalId: v.id ?? `line:${r.line}`,
          name: v.name ?? null,
          narrative: v.narrative.trim(),
          // The file's demographics are 'given'; what it leaves out is read from the narrative.
          ...personaDemographics(
            {
              age: v.demographics?.age ?? null,
              gender: v.demographics?.gender ?? 'unknown',
              country: v.demographics?.country?.trim() || 'unknown',
              occupation: v.demographics?.occupation?.trim() || 'unknown',
            },
            v.narrative,
          ),
          model: v.model ?? null,
          status: 'draft',
          metadata: { import: { file: report.file, line: r.line } },
        },
      };
      if (v.answers && Object.keys(v.answers).length) {
        if (!v.instrument) {
          addBad(report, { line: r.line, field: 'instrument', reason: 'answers need the instrument they belong to' });
          continue;
        }
        const ins = instrument(v.instrument);
        if (!ins) {
          addBad(report, { line: r.line, field: 'instrument', reason: `unknown instrument "${v.instrument}"` });
          continue;
        }
        const known = new Set(ins.items.map((i) => i.itemId));
        const badItem = Object.entries(v.answers).find(([k, x]) => !known.has(k) || !Number.isInteger(x) || x < ins.scaleMin || x > ins.scaleMax);
        if (badItem) {
          const [k, x] = badItem;
          addBad(report, {
            line: r.line,
            field: `answers.${k}`,
            reason: known.has(k) ? `${x} is not an integer on the scale ${ins.scaleMin}-${ins.scaleMax}` : `"${k}" is not an item of ${ins.id}`,
          });
          continue;
        }
        row.responses = { instrumentId: ins.id, model: v.model ?? null, temperature: v.temperature ?? null, answers: v.answers };
        if (ins.items.every((i) => v.answers![i.itemId] !== undefined)) {
          const s = scoreCommon({ id: ins.id, scaleMin: ins.scaleMin, scaleMax: ins.scaleMax, items: ins.items }, new Map(Object.entries(v.answers)));
          row.scores = { instrumentId: ins.id, ...s };
          row.persona.status = 'measured';
        }
      }
      batch.push(row);
      if (batch.length >= (o.batchSize ?? 200)) flush();
    }
    flush();
    // Exact and near duplicates within the source (this file's personas and those stored before) are flagged for review.
    report.duplicates = recheckSourceDuplicates({ db, sourceId: report.sourceId, threshold: DUPLICATE_THRESHOLD });
  });
}
