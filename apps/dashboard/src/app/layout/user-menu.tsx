import { useCallback, useRef, useState } from 'react';
import { Link } from 'wouter';
import { useCurrentSession } from '../../features/auth/current-session';
import { useDismiss } from '../../ui/use-dismiss';

function initials(name: string): string {
  const letters = name
    .split(/\s+/)
    .filter((part) => part.length > 0)
    .slice(0, 2)
    .map((part) => part[0]?.toUpperCase() ?? '');
  return letters.join('') || '?';
}

export function UserMenu() {
  const { user } = useCurrentSession();
  const [open, setOpen] = useState(false);
  const ref = useRef<HTMLDivElement>(null);
  const close = useCallback(() => setOpen(false), []);
  useDismiss(ref, open, close);

  return (
    <div className="menu" ref={ref}>
      <button type="button" className="user-button" aria-haspopup="true" aria-expanded={open} onClick={() => setOpen(!open)}>
        <span className="avatar" aria-hidden="true">
          {initials(user.name)}
        </span>
        <span className="user-text">
          <span className="user-name">{user.name}</span>
          <span className="user-email">{user.email}</span>
        </span>
      </button>
      {open && (
        <div className="menu-panel">
          <div className="menu-header">
            <strong>{user.name}</strong>
            <span className="muted">{user.email}</span>
          </div>
          <Link to="/account/security" className="menu-item" onClick={close}>
            Account security
          </Link>
        </div>
      )}
    </div>
  );
}
