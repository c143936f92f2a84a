import type { NavIcon } from '../app/navigation';

/** Stroke paths on a 24×24 grid; decorative, the link text carries the meaning. */
const PATHS: Record<NavIcon, string> = {
  overview: 'M4 13h6V4H4zM14 20h6v-9h-6zM14 4v4h6V4zM4 20h6v-4H4z',
  logs: 'M4 6h2M4 12h2M4 18h2M9 6h11M9 12h11M9 18h7',
  transactions: 'M7 20V4M3 8l4-4 4 4M17 4v16M13 16l4 4 4-4',
  sandbox: 'M9 3h6M10 3v6l-5.2 9.1A2 2 0 0 0 6.5 21h11a2 2 0 0 0 1.7-2.9L14 9V3M7.5 15h9',
  key: 'M14.5 9.5a4 4 0 1 1-8 0 4 4 0 0 1 8 0zM13.5 12.5 20 19m-3-3 2-2',
  secret: 'M6 10V8a6 6 0 0 1 12 0v2M5 10h14v10H5zM12 14v2',
  callback: 'M4 12h11M11 6l6 6-6 6M20 5v14',
  deliveries: 'M3 7l9-4 9 4-9 4zM3 7v10l9 4 9-4V7M12 11v10',
  shield: 'M12 3l8 3v6c0 5-3.5 8-8 9-4.5-1-8-4-8-9V6zM9 12l2 2 4-4',
  audit: 'M8 4h10v16H6V6zM9 9h6M9 13h6M9 17h4',
  team: 'M9 11a3.5 3.5 0 1 0 0-7 3.5 3.5 0 0 0 0 7zM2.5 20a6.5 6.5 0 0 1 13 0M16 4.5a3.5 3.5 0 0 1 0 6.5M18 14a6.5 6.5 0 0 1 3.5 6',
};

export function NavIconGlyph({ icon }: { readonly icon: NavIcon }) {
  return (
    <svg
      className="nav-icon"
      viewBox="0 0 24 24"
      width="16"
      height="16"
      fill="none"
      stroke="currentColor"
      strokeWidth="1.8"
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
    >
      <path d={PATHS[icon]} />
    </svg>
  );
}
