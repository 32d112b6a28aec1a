/** Every string in a React element tree's props (children included): what a server component renders, as text. */
export function textOf(node: unknown, seen = new Set<unknown>()): string {
  if (typeof node === 'string' || typeof node === 'number') return String(node);
  if (!node || typeof node !== 'object' || seen.has(node)) return '';
  seen.add(node);
  if (Array.isArray(node)) return node.map((n) => textOf(n, seen)).join(' ');
  const props = (node as { props?: Record<string, unknown> }).props;
  return props ? Object.values(props).map((v) => textOf(v, seen)).join(' ') : '';
}
