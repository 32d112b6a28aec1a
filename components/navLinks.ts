/** The main navigation, in order. Add a screen here when it exists. */
export const NAV_LINKS: { href: string; label: string }[] = [
  { href: '/', label: 'Workspace' },
  { href: '/studio', label: 'Alignment studio' },
  { href: '/personas', label: 'Personas' },
  { href: '/review', label: 'Review' },
  { href: '/pipeline', label: 'Pipeline' },
  { href: '/groups', label: 'Groups' },
  { href: '/exports', label: 'Exports' },
];
