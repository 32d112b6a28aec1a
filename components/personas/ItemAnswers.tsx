import { Empty, Section } from './PersonaSection';
import type { PersonaDetail } from '@/lib/personas/service';

/** The persona's answer to each questionnaire item, folded. */
export function ItemAnswers({ detail: d }: { detail: PersonaDetail }) {
  const items = d.itemAnswers;
  return (
    <Section title="Item answers" id="items" note="The persona's answer to each questionnaire item on the instrument's own scale; '-' items are reverse-keyed (scored min + max − answer).">
      {items.length === 0 ? (
        <Empty testId="items-empty">No item answers recorded.</Empty>
      ) : (
        <details className="rounded-lg border border-slate-200 bg-white" data-testid="item-answers">
          <summary className="cursor-pointer px-3 py-2 text-sm">
            {items.length} answers ({[...new Set(items.map((i) => i.instrumentId))].join(', ')}, scale {items[0]!.scaleMin}-{items[0]!.scaleMax}
            {items[0]!.model ? `, model ${items[0]!.model}` : ''}
            {items[0]!.temperature !== null ? `, temperature ${items[0]!.temperature}` : ''})
          </summary>
          <div className="relative overflow-x-auto">
            <table className="w-full text-sm">
              <thead className="bg-slate-100 text-left">
                <tr>
                  <th className="px-3 py-1">Item</th>
                  <th className="px-3 py-1">Trait</th>
                  <th className="px-3 py-1">Key</th>
                  <th className="px-3 py-1">Text</th>
                  <th className="px-3 py-1 text-right">Answer</th>
                </tr>
              </thead>
              <tbody>
                {items.map((it) => (
                  <tr key={`${it.instrumentId}-${it.itemId}-${it.repetition}-${it.model}`} className="border-t border-slate-100">
                    <td className="px-3 py-1 tabular-nums">{it.itemId}</td>
                    <td className="px-3 py-1">{it.trait ?? '—'}</td>
                    <td className="px-3 py-1">{it.keyed ?? ''}</td>
                    <td className="px-3 py-1">{it.text ?? ''}</td>
                    <td className="px-3 py-1 text-right tabular-nums">{it.value}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </details>
      )}
    </Section>
  );
}
