import { Empty, Section } from './PersonaSection';
import type { PersonaDetail } from '@/lib/personas/service';

/** The posts a persona was mined from (none for an imported persona). */
export function SourcePosts({ detail: d }: { detail: PersonaDetail }) {
  const p = d.persona;
  return (
    <Section title="Source posts" id="posts" note="The posts this persona was mined from (stage 1).">
      {d.posts.length === 0 ? (
        <Empty testId="posts-empty">No source posts: this persona was imported from {p.sourceName}, not mined from posts.</Empty>
      ) : (
        <ol className="space-y-2">
          {d.posts.map((post) => (
            <li key={post.id} className="rounded border border-slate-200 bg-white p-3 text-sm">
              <p className="whitespace-pre-wrap">{post.cleanedText ?? post.text}</p>
              <p className="mt-1 text-xs text-slate-500">
                post #{post.id}
                {post.postedAt ? ` · ${post.postedAt}` : ''}
                {post.quality ? ` · quality ${post.quality}` : ''}
              </p>
            </li>
          ))}
        </ol>
      )}
    </Section>
  );
}
