/**
 * What a server-rendered page shows, for tests that call a page as Next.js calls it (outside Next.js).
 *
 * `renderServerComponents(node)` resolves a React element tree as the React Server Components pass of Next.js does:
 * every server component (a function component) is called with its props and, when it is async, awaited, and what it
 * returns is resolved in turn; host elements ('div', ...) and client components stay elements, with their props
 * (children included) resolved, as they travel to the browser. A component is a client component when it calls a
 * hook the server pass does not allow (state, effects, context, refs, ...): Next.js decides by the 'use client'
 * directive of its module, and a server component cannot use those hooks, so the two agree for the components a
 * test renders. Errors thrown by a server component (notFound(), redirect(), a failed query) propagate.
 *
 * `textOf(node)` is every string in a resolved tree's props (children included). `renderedText(node)` does both.
 */
import React from 'react';

/** Thrown by a hook a server component may not call: the component being called is a client component. */
const CLIENT_HOOK = Symbol('client hook');

/** React's hook dispatcher slot (React 19: null outside a render; the renderer sets it while a component runs). */
const internals = (React as unknown as { __CLIENT_INTERNALS_DO_NOT_USE_OR_WARN_USERS_THEY_CANNOT_UPGRADE: { H: unknown } })
  .__CLIENT_INTERNALS_DO_NOT_USE_OR_WARN_USERS_THEY_CANNOT_UPGRADE;

/** The hooks the server pass allows (as React's server renderer); any other hook marks a client component. */
function serverDispatcher() {
  let ids = 0;
  const allowed: Record<string, unknown> = {
    useMemo: (create: () => unknown) => create(),
    useCallback: (callback: unknown) => callback,
    useId: () => `«s${ids++}»`,
    useDebugValue: () => undefined,
  };
  return new Proxy(allowed, {
    get: (target, name) =>
      typeof name === 'string' && name in target
        ? target[name]
        : () => {
            throw CLIENT_HOOK;
          },
  });
}

interface Element {
  type: unknown;
  props: Record<string, unknown>;
}

const isElement = (v: unknown): v is Element => React.isValidElement(v);
const isThenable = (v: unknown): v is PromiseLike<unknown> => !!v && typeof (v as { then?: unknown }).then === 'function';

/** Calls a function component as the server pass does: the server's hooks only; CLIENT_HOOK when it is a client component. */
function callComponent(type: (props: unknown) => unknown, props: Record<string, unknown>): { client: true } | { client: false; output: unknown } {
  const previous = internals.H;
  internals.H = serverDispatcher();
  try {
    return { client: false, output: type(props) };
  } catch (e) {
    if (e === CLIENT_HOOK) return { client: true };
    throw e;
  } finally {
    internals.H = previous;
  }
}

async function resolveProps(props: Record<string, unknown>): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(props)) out[k] = isElement(v) || Array.isArray(v) || isThenable(v) ? await renderServerComponents(v) : v;
  return out;
}

/** The tree with every server component replaced by what it renders (see the module comment). */
export async function renderServerComponents(node: unknown): Promise<unknown> {
  if (isThenable(node)) return renderServerComponents(await node);
  if (Array.isArray(node)) return Promise.all(node.map((n) => renderServerComponents(n)));
  if (!isElement(node)) return node;
  let type = node.type;
  // memo() around a component renders the component
  const MEMO = Symbol.for('react.memo');
  while (typeof type === 'object' && type !== null && (type as { $$typeof?: unknown }).$$typeof === MEMO) type = (type as { type: unknown }).type;
  const isClass = typeof type === 'function' && !!(type as { prototype?: { isReactComponent?: unknown } }).prototype?.isReactComponent;
  if (typeof type === 'function' && !isClass) {
    const called = callComponent(type as (props: unknown) => unknown, node.props);
    if (!called.client) return renderServerComponents(await called.output);
  }
  // a host element, a client component, a fragment or a provider: stays, with its props resolved
  return { type: node.type, props: await resolveProps(node.props) };
}

/** Every string in a React element tree's props (children included): what a resolved tree renders, as text. */
export function textOf(node: unknown, seen = new Set<unknown>()): string {
  if (typeof node === 'string' || typeof node === 'number') return String(node);
  if (!node || typeof node !== 'object' || seen.has(node)) return '';
  seen.add(node);
  if (Array.isArray(node)) return node.map((n) => textOf(n, seen)).join(' ');
  const props = (node as { props?: Record<string, unknown> }).props;
  return props ? Object.values(props).map((v) => textOf(v, seen)).join(' ') : '';
}

/** The text of a page as Next.js renders it: its server components resolved, then every string. */
export async function renderedText(node: unknown): Promise<string> {
  return textOf(await renderServerComponents(node));
}
