'use client';

import { useEffect, useRef, useState, type ReactNode } from 'react';

/**
 * Renders its children while any part of them is on screen (or within `margin` of it, default none); off screen it keeps showing what it
 * last rendered and skips re-rendering, so live pages spend their time on what the user can see. Scrolling a stale
 * panel into view brings it up to date at once.
 */
export function WhenVisible({ children, margin = '0px', className }: { children: ReactNode; margin?: string; className?: string }) {
  const ref = useRef<HTMLDivElement>(null);
  const [visible, setVisible] = useState(true);
  const last = useRef<ReactNode>(children);
  useEffect(() => {
    const el = ref.current;
    if (!el || typeof IntersectionObserver === 'undefined') return;
    const io = new IntersectionObserver(([entry]) => setVisible(entry?.isIntersecting ?? true), { rootMargin: margin });
    io.observe(el);
    return () => io.disconnect();
  }, [margin]);
  if (visible) last.current = children;
  return (
    <div ref={ref} className={className}>
      {last.current}
    </div>
  );
}
