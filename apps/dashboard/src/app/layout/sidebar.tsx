import { Link, useRoute } from 'wouter';
import { BrandMark } from '../../ui/brand-mark';
import { NavIconGlyph } from '../../ui/nav-icon';
import { DEVELOPER_NAV, HOME_PATH, type NavEntry } from '../navigation';

function NavItem({ entry }: { readonly entry: NavEntry }) {
  const [active] = useRoute(entry.path);
  return (
    <li>
      <Link to={entry.path} className={active ? 'nav-link active' : 'nav-link'} aria-current={active ? 'page' : undefined}>
        <NavIconGlyph icon={entry.icon} />
        <span>{entry.label}</span>
      </Link>
    </li>
  );
}

export function Sidebar() {
  return (
    <aside className="sidebar">
      <Link to={HOME_PATH} className="sidebar-brand">
        <BrandMark />
        <span>Paygate</span>
      </Link>
      <nav aria-label="Developers" data-testid="developers-nav" className="sidebar-section">
        <h2 className="sidebar-heading">Developers</h2>
        <ul>
          {DEVELOPER_NAV.map((entry) => (
            <NavItem key={entry.path} entry={entry} />
          ))}
        </ul>
      </nav>
    </aside>
  );
}
